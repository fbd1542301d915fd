"""A worker killed (SIGKILL) in the middle of a certificate batch: a new worker finishes the job, and nothing is
lost or made twice — every certificate once, numbers unique and gapless, one notification each, one result.

The batch is a real job (activities.jobs_certificates): its task is taken with acks_late, so the killed worker's
message goes back to the queue once the broker's visibility timeout passes (short here, an hour in production);
the job resumes, skipping what committed batches already issued (docs/deploy.md, «Отказы»).
"""

import time

import pytest
from django.db.models import Count

from activities.jobs_certificates import certificates_batch_start
from activities.models import Certificate
from participants.models import BackgroundJob, Enrollment, Notification, TaskOutbox, User
from tests.activities.certificate_fixtures import activity_with_sessions
from tests.factories import AttendanceFactory, EnrollmentFactory, SeasonFactory, UserFactory
from tests.faults_support import OwnRedis, Worker, needs_real_services, portal_on, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TEACHERS = 150  # three batches of 50: killed after the first commits, before the last
VISIBILITY = "6"  # seconds before a killed worker's task is handed out again


@pytest.fixture
def redis(tmp_path, settings):
    needs_real_services()
    server = OwnRedis(tmp_path)
    server.start()
    with portal_on(server, settings):
        yield server
    server.stop()


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(redis, tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 150 accounts, none signs in
    season = SeasonFactory()
    activity = activity_with_sessions(season)
    session = activity.sessions.get()
    for _ in range(TEACHERS):
        AttendanceFactory(session=session, enrollment=EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE))
    coordinator = UserFactory(role=User.Role.COORDINATOR, municipality=season.program.municipality)

    first = Worker(redis.url, tmp_path, "first", CELERY_VISIBILITY_TIMEOUT=VISIBILITY)
    try:
        first.wait_ready()
        job = certificates_batch_start(by=coordinator, activity=activity)
        assert TaskOutbox.objects.get(task="activities.tasks.certificates_batch_task").sent_at is not None
        # Killed once the first batch committed, well before the last.
        wait_for(lambda: Certificate.objects.count() >= 50, what="the first batch", worker=first)
    finally:
        first.kill()
    killed_at = Certificate.objects.count()
    assert 50 <= killed_at < TEACHERS, killed_at
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.RUNNING

    second = Worker(redis.url, tmp_path, "second", CELERY_VISIBILITY_TIMEOUT=VISIBILITY)
    try:
        second.wait_ready()
        wait_for(lambda: BackgroundJob.objects.get(pk=job.pk).is_finished, timeout=120, what="the job", worker=second)
        time.sleep(float(VISIBILITY) + 2)  # a second delivery of the task would run by now: it must do nothing
    finally:
        second.stop()

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    certificates = Certificate.objects.filter(activity=activity)
    assert certificates.count() == TEACHERS
    assert not certificates.values("enrollment").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert sorted(certificates.values_list("sequence", flat=True)) == list(range(1, TEACHERS + 1))
    assert certificates.values("number").distinct().count() == TEACHERS
    assert all(c.pdf for c in certificates)
    certificate_notes = Notification.objects.filter(kind=Notification.Kind.CERTIFICATE)
    assert certificate_notes.count() == TEACHERS
    assert certificate_notes.values("dedupe_key").distinct().count() == TEACHERS
    assert Notification.objects.filter(user=coordinator, dedupe_key=f"job:{job.pk}").count() == 1
    assert "certificates_batch_task" in second.log()
