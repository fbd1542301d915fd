"""The lease of a long job (core.jobs): a job whose worker died is noticed by the minute sweeper,
marked interrupted and queued again, at most BACKGROUND_JOB_MAX_ATTEMPTS runs; a second delivery of its task
to a live worker does nothing. Time is passed in (`now=`), never waited for."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from core.jobs import (
    background_job_claim,
    background_job_create,
    background_job_finish,
    background_job_progress,
    background_jobs_sweep,
)
from core.models import BackgroundJob, JobRun, Notification, TaskOutbox
from core.tasks import flush_task_outbox_job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TASK = "activities.tasks.certificates_zip_task"


@pytest.fixture(autouse=True)
def lease(settings):
    settings.BACKGROUND_JOB_LEASE_SECONDS = 120
    settings.BACKGROUND_JOB_QUEUE_SECONDS = 1800
    settings.BACKGROUND_JOB_MAX_ATTEMPTS = 3


@pytest.fixture
def t0():
    return timezone.now()


def _job(t0, *, task=TASK) -> BackgroundJob:
    return background_job_create(kind="export", title="Выгрузка участников", by=UserFactory(), task=task, now=t0)


def _running(t0, **kwargs) -> BackgroundJob:
    """A job a worker began at t0 and reported 50 of 186 from."""
    job = _job(t0, **kwargs)
    assert background_job_claim(job_id=job.pk, now=t0) is not None
    background_job_progress(job_id=job.pk, done=50, total=186, now=t0)
    return BackgroundJob.objects.get(pk=job.pk)


def _queued_again(job) -> list[dict]:
    return list(TaskOutbox.objects.filter(task=job.task).values_list("kwargs", flat=True))


def test_a_running_job_within_its_lease_is_left_alone(t0):
    job = _running(t0)
    assert background_jobs_sweep(now=t0 + timedelta(seconds=119)) == {"requeued": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.RUNNING and job.attempts == 1
    assert _queued_again(job) == []


def test_a_job_whose_heartbeat_is_older_than_the_lease_is_interrupted_and_queued_again(t0):
    job = _running(t0)
    later = t0 + timedelta(seconds=121)

    assert background_jobs_sweep(now=later) == {"requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.INTERRUPTED and not job.is_finished
    assert job.message == ("Прервано: обработчик остановился; задание будет продолжено автоматически (попытка 2 из 3).")
    assert (job.done, job.total, job.attempts, job.heartbeat_at) == (50, 186, 1, later)
    assert _queued_again(job) == [{"job_id": job.pk}]
    # Swept once: the next minute finds it waiting for a worker, not dead.
    assert background_jobs_sweep(now=later + timedelta(seconds=60)) == {"requeued": 0, "failed": 0}


def test_progress_renews_the_lease(t0):
    job = _running(t0)
    background_job_progress(job_id=job.pk, done=100, now=t0 + timedelta(seconds=100))
    assert background_jobs_sweep(now=t0 + timedelta(seconds=200)) == {"requeued": 0, "failed": 0}
    assert BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.RUNNING


def test_the_queued_again_job_is_resumed_by_the_next_worker(t0):
    job = _running(t0)
    background_jobs_sweep(now=t0 + timedelta(seconds=121))

    resumed = background_job_claim(job_id=job.pk, now=t0 + timedelta(seconds=130))

    assert resumed is not None and resumed.status == BackgroundJob.Status.RUNNING and resumed.attempts == 2
    assert resumed.message == "Продолжается после остановки обработчика (попытка 2 из 3)."
    assert resumed.started_at == t0  # when the job began, not this attempt


def test_attempts_exhausted_the_job_fails_with_a_message_and_its_starter_is_told(t0):
    job = _running(t0)
    now = t0
    for attempt in (2, 3):
        now += timedelta(seconds=121)
        assert background_jobs_sweep(now=now) == {"requeued": 1, "failed": 0}
        assert background_job_claim(job_id=job.pk, now=now).attempts == attempt
    now += timedelta(seconds=121)

    assert background_jobs_sweep(now=now) == {"requeued": 0, "failed": 1}

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.finished_at is not None
    assert job.message == "Не выполнено: обработчик останавливался, попыток: 3. Запустите операцию ещё раз."
    note = Notification.objects.get(user=job.started_by, dedupe_key=f"job:{job.pk}")
    assert note.title == "Не выполнено: Выгрузка участников"
    # A worker that was only slow, not dead, cannot bring a failed job back to life.
    background_job_progress(job_id=job.pk, done=186, now=now)
    assert BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.FAILED
    assert background_job_claim(job_id=job.pk, now=now) is None


def test_a_job_that_names_no_task_cannot_be_resumed_and_fails(t0):
    job = _running(t0, task="")
    assert background_jobs_sweep(now=t0 + timedelta(seconds=121)) == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.message == "Не выполнено: обработчик остановился. Запустите операцию ещё раз."


def test_a_queued_job_no_worker_took_is_queued_again_then_given_up(t0):
    job = _job(t0)
    assert background_jobs_sweep(now=t0 + timedelta(minutes=29)) == {"requeued": 0, "failed": 0}

    assert background_jobs_sweep(now=t0 + timedelta(minutes=31)) == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.QUEUED and job.attempts == 1
    assert "попытка 2 из 3" in job.message
    assert background_jobs_sweep(now=t0 + timedelta(minutes=62)) == {"requeued": 1, "failed": 0}
    assert background_jobs_sweep(now=t0 + timedelta(minutes=93)) == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert job.message == "Не выполнено: ни один обработчик не взял задание. Запустите операцию ещё раз."


def test_finished_jobs_are_never_swept(t0):
    done = _running(t0)
    background_job_finish(job_id=done.pk, message="Готово")
    failed = _running(t0)
    background_job_finish(job_id=failed.pk, failed=True, message="Ошибка")
    assert background_jobs_sweep(now=t0 + timedelta(days=1)) == {"requeued": 0, "failed": 0}
    assert TaskOutbox.objects.count() == 0


def test_a_second_delivery_to_a_live_worker_does_nothing(t0):
    job = _running(t0)
    assert background_job_claim(job_id=job.pk, now=t0 + timedelta(seconds=60)) is None
    assert BackgroundJob.objects.get(pk=job.pk).attempts == 1


def test_a_delivery_after_the_lease_lapsed_resumes_without_the_sweeper(t0):
    job = _running(t0)
    resumed = background_job_claim(job_id=job.pk, now=t0 + timedelta(seconds=121))
    assert resumed is not None and resumed.attempts == 2


def test_a_job_held_by_a_dead_process_of_this_host_is_resumed_at_once(t0):
    job = _running(t0)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = BackgroundJob.objects.get(pk=job.pk).worker.rpartition(":")[0]
    BackgroundJob.objects.filter(pk=job.pk).update(worker=f"{host}:{gone.pid}")

    resumed = background_job_claim(job_id=job.pk, now=t0 + timedelta(seconds=5))

    assert resumed is not None and resumed.attempts == 2


def test_a_job_held_by_another_host_waits_for_its_lease(t0):
    job = _running(t0)
    BackgroundJob.objects.filter(pk=job.pk).update(worker="another-host:1")
    assert background_job_claim(job_id=job.pk, now=t0 + timedelta(seconds=5)) is None


def test_the_minute_job_sweeps_and_logs_what_it_did(t0):
    job = _running(t0)
    assert flush_task_outbox_job(now=t0 + timedelta(seconds=60)) is None  # nothing to do, nothing logged

    run = flush_task_outbox_job(now=t0 + timedelta(seconds=121))

    assert BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.INTERRUPTED
    logged = JobRun.objects.get(pk=run.run.pk)
    assert logged.summary["jobs_requeued"] == 1 and logged.summary["jobs_failed"] == 0
    assert "продолжено 1, прекращено 0" in logged.message
