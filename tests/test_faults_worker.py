"""A worker killed (SIGKILL) in the middle of a certificate batch: a new worker finishes the job, and nothing is
lost or made twice — every certificate once, numbers unique and gapless, one notification each, one result.

The batch is a real job (activities.jobs_certificates): its task is taken with acks_late, so the killed worker's
message goes back to the queue once the broker's visibility timeout passes (short here, an hour in production);
the job resumes, skipping what committed batches already issued (docs/deploy.md, «Отказы»). Where the message
does not come back (the embedded filesystem broker drops it when taken; Redis only after an hour), the minute
sweeper finds the job's lease lapsed and queues it again.
"""

import json
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db.models import Count
from django.utils import timezone
from redis import Redis

from activities.jobs_certificates import certificates_batch_start
from activities.models import Certificate
from core.jobs import background_jobs_sweep
from core.models import BackgroundJob, Notification, TaskOutbox
from participants.models import Enrollment, User
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


def _batch_killed_half_way(redis, tmp_path, settings, *, visibility: str):
    """150 teachers' certificate batch whose worker was SIGKILLed once its first batch committed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 150 accounts, none signs in
    season = SeasonFactory()
    activity = activity_with_sessions(season)
    session = activity.sessions.get()
    for _ in range(TEACHERS):
        AttendanceFactory(session=session, enrollment=EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE))
    coordinator = UserFactory(role=User.Role.COORDINATOR, municipality=season.program.municipality)

    first = Worker(redis.url, tmp_path, "first", CELERY_VISIBILITY_TIMEOUT=visibility)
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
    return job, activity, coordinator


def _finished_whole(job, activity, coordinator) -> None:
    """Every certificate once, numbers gapless, one notification each, and the page counts the database."""
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    certificates = Certificate.objects.filter(activity=activity)
    assert certificates.count() == TEACHERS
    assert not certificates.values("enrollment").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert sorted(certificates.values_list("sequence", flat=True)) == list(range(1, TEACHERS + 1))
    assert certificates.values("number").distinct().count() == TEACHERS
    assert all(c.pdf for c in certificates)
    assert (job.done, job.total, job.message) == (TEACHERS, TEACHERS, f"Выдано сертификатов: {TEACHERS}.")
    certificate_notes = Notification.objects.filter(kind=Notification.Kind.CERTIFICATE)
    assert certificate_notes.count() == TEACHERS
    assert certificate_notes.values("dedupe_key").distinct().count() == TEACHERS
    assert Notification.objects.filter(user=coordinator, dedupe_key=f"job:{job.pk}").count() == 1


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(redis, tmp_path, settings):
    job, activity, coordinator = _batch_killed_half_way(redis, tmp_path, settings, visibility=VISIBILITY)
    # The new worker's first sweep of unacknowledged messages runs as it starts; kombu's next one comes only after
    # unacked_restore_interval × unacked_restore_throttle (about 100 s). So it starts once the killed worker's
    # delivery is past its visibility timeout, as a worker restarted after a crash finds it.
    unacked = Redis.from_url(redis.url).zrange("unacked_index", 0, -1, withscores=True)
    assert unacked, "the killed worker's delivery is not held unacknowledged"
    taken_at = max(score for _tag, score in unacked)
    wait_for(lambda: time.time() > taken_at + int(VISIBILITY) + 0.5, what="the visibility timeout")

    second = Worker(redis.url, tmp_path, "second", CELERY_VISIBILITY_TIMEOUT=VISIBILITY)
    try:
        second.wait_ready()
        wait_for(lambda: BackgroundJob.objects.get(pk=job.pk).is_finished, timeout=120, what="the job", worker=second)
    finally:
        second.stop()

    _finished_whole(job, activity, coordinator)
    # The batch is not delivered again: no message of its task waits in the queue and none is held
    # unacknowledged (the killed worker's delivery is the one the second worker ran and acknowledged).
    broker = Redis.from_url(redis.url)
    waiting = [json.loads(message)["headers"]["task"] for message in broker.lrange("celery", 0, -1)]
    assert "activities.tasks.certificates_batch_task" not in waiting, waiting
    assert broker.hlen("unacked") == 0
    assert "certificates_batch_task" in second.log()


def test_a_killed_workers_batch_whose_message_is_gone_is_resumed_by_the_sweeper(redis, tmp_path, settings):
    """The message never comes back (visibility an hour, as in production; the embedded broker never): the
    sweeper, run as the minute past the lease, marks the job interrupted and queues it again."""
    job, activity, coordinator = _batch_killed_half_way(redis, tmp_path, settings, visibility="3600")
    assert background_jobs_sweep(now=timezone.now()) == {"requeued": 0, "failed": 0}  # its lease still runs

    past_the_lease = timezone.now() + timedelta(seconds=django_settings.BACKGROUND_JOB_LEASE_SECONDS + 1)
    assert background_jobs_sweep(now=past_the_lease) == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.INTERRUPTED and "попытка 2 из 3" in job.message
    assert job.done == Certificate.objects.filter(activity=activity).count()  # what the database holds
    assert TaskOutbox.objects.filter(task=job.task, sent_at__isnull=False).count() == 2  # published again

    second = Worker(redis.url, tmp_path, "second", CELERY_VISIBILITY_TIMEOUT="3600")
    try:
        second.wait_ready()
        wait_for(lambda: BackgroundJob.objects.get(pk=job.pk).is_finished, timeout=120, what="the job", worker=second)
    finally:
        second.stop()

    _finished_whole(job, activity, coordinator)
    assert BackgroundJob.objects.get(pk=job.pk).attempts == 2
