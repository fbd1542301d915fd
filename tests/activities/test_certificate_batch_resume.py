"""A certificate batch whose worker died half-way (activities.jobs_certificates): the sweeper marks it
interrupted, its page says so, and the next run finishes it — every certificate once, numbers gapless, and the
page counts the certificates in the database (the whole job, not the resumed run's part)."""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from activities.jobs_certificates import certificates_batch_start
from activities.models import Certificate
from activities.services_certificates import certificates_issue
from activities.tasks import certificates_batch_task
from core.jobs import (
    background_job_claim,
    background_job_params_set,
    background_job_progress,
    background_jobs_sweep,
)
from core.models import BackgroundJob, Notification, TaskOutbox
from participants.models import Enrollment, User
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

TEACHERS = 7
KILLED_AFTER = 3  # the batch that committed before the worker was killed


@pytest.fixture(autouse=True)
def lease(settings):
    settings.BACKGROUND_JOB_LEASE_SECONDS = 120
    settings.BACKGROUND_JOB_MAX_ATTEMPTS = 3


@pytest.fixture
def batch():
    """A coordinator's «выдать сейчас» for an activity of seven teachers."""
    season = SeasonFactory()
    activity = activity_with_sessions(season)
    enrollments = []
    for _ in range(TEACHERS):
        enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE)
        attend(enrollment, activity, 1)
        enrollments.append(enrollment)
    coordinator = UserFactory(role=User.Role.COORDINATOR, municipality=season.program.municipality)
    job = certificates_batch_start(by=coordinator, activity=activity)
    return job, activity, enrollments


def _killed_after_first_batch(job, activity, enrollments, *, at):
    """What a worker killed after its first batch committed leaves: that batch, the job «running» at 3 of 7."""
    assert background_job_claim(job_id=job.pk, now=at) is not None
    background_job_params_set(job_id=job.pk, values={"valid_before": 0})
    certificates_issue(now=at, activity=activity, enrollment_ids=[e.pk for e in enrollments[:KILLED_AFTER]])
    background_job_progress(job_id=job.pk, done=KILLED_AFTER, total=TEACHERS, now=at)


def test_the_batch_names_its_task_for_the_sweeper(batch):
    job, _activity, _enrollments = batch
    assert job.task == "activities.tasks.certificates_batch_task"
    assert TaskOutbox.objects.get(task=job.task).kwargs == {"job_id": job.pk}


def test_an_interrupted_batch_is_resumed_and_its_page_tells_the_truth(client, batch):
    job, activity, enrollments = batch
    killed_at = timezone.now() - timedelta(minutes=5)
    _killed_after_first_batch(job, activity, enrollments, at=killed_at)

    # Within the lease nothing happens; past it the sweeper notices the dead worker.
    assert background_jobs_sweep(now=killed_at + timedelta(seconds=60)) == {"requeued": 0, "failed": 0}
    assert background_jobs_sweep(now=killed_at + timedelta(seconds=121)) == {"requeued": 1, "failed": 0}

    client.force_login(job.started_by)
    html = client.get(reverse("background_job", args=[job.pk])).content.decode()
    assert "Прервано" in html and "text-bg-warning" in html
    assert "Прервано: обработчик остановился; задание будет продолжено автоматически (попытка 2 из 3)." in html
    assert f"Сделано {KILLED_AFTER} из {TEACHERS}" in html
    assert 'http-equiv="refresh"' in html  # not finished: the page keeps following it
    status = client.get(reverse("background_job_status", args=[job.pk])).json()
    assert status["status"] == "interrupted" and status["finished"] is False

    certificates_batch_task(job.pk)  # the task the sweeper queued again, in the next worker

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.attempts == 2
    certificates = Certificate.objects.filter(activity=activity)
    assert certificates.count() == TEACHERS
    assert not certificates.values("enrollment").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert sorted(certificates.values_list("sequence", flat=True)) == list(range(1, TEACHERS + 1))
    # The page counts the job's certificates in the database, the killed attempt's batch included.
    assert (job.done, job.total) == (TEACHERS, TEACHERS)
    assert job.message == f"Выдано сертификатов: {TEACHERS}."
    html = client.get(reverse("background_job", args=[job.pk])).content.decode()
    assert f"Сделано {TEACHERS} из {TEACHERS}" in html and f"Выдано сертификатов: {TEACHERS}." in html
    assert Notification.objects.filter(kind=Notification.Kind.CERTIFICATE).count() == TEACHERS
    assert Notification.objects.filter(dedupe_key=f"job:{job.pk}").count() == 1


def test_the_batch_counts_only_what_it_issued(batch):
    """Certificates the activity had before the job began are not the job's."""
    job, activity, enrollments = batch
    certificates_issue(now=timezone.now(), activity=activity, enrollment_ids=[enrollments[0].pk])

    certificates_batch_task(job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total) == (TEACHERS - 1, TEACHERS - 1)
    assert job.message == f"Выдано сертификатов: {TEACHERS - 1}."


def test_a_second_delivery_while_the_batch_runs_does_nothing(batch):
    job, activity, enrollments = batch
    _killed_after_first_batch(job, activity, enrollments, at=timezone.now())

    certificates_batch_task(job.pk)  # its worker is alive (this process) and its lease fresh

    assert Certificate.objects.filter(activity=activity).count() == KILLED_AFTER
    assert BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.RUNNING
