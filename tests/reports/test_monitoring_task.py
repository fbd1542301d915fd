"""The half-year snapshot job (seed 002, п. 7.3): the task logs its run in the job log, through the real Celery
path (a worker over the project's broker, run with scripts/test_services.py) and in process."""

import time
from datetime import UTC, datetime

import pytest
from django.db import transaction

from core.job_schedule import scheduled_jobs
from core.models import JobRun
from reports import tasks
from reports.models import KpiSnapshot
from reports.monitoring import half_year_snapshots_due
from reports.tasks import kpi_half_year_snapshot_task
from tests.factories import MunicipalityFactory


@pytest.mark.django_db
def test_task_takes_the_due_snapshots_and_logs_the_run(monkeypatch):
    """At 1 July 00:30 UTC every zone from Moscow eastwards is past its 30 June: one snapshot each, once."""
    MunicipalityFactory(name="Армавир", time_zone="Europe/Moscow")
    MunicipalityFactory(name="Октябрьский район", time_zone="Asia/Yekaterinburg")

    class July:  # the moment the task reads; django.utils.timezone otherwise
        @staticmethod
        def now():
            return datetime(2025, 7, 1, 0, 30, tzinfo=UTC)

    monkeypatch.setattr(tasks, "timezone", July)
    kpi_half_year_snapshot_task(trigger=JobRun.Trigger.MANUAL)
    kpi_half_year_snapshot_task()
    first, second = JobRun.objects.filter(job="kpi_half_year_snapshot").order_by("pk")
    assert first.status == JobRun.Status.SUCCESS and first.trigger == JobRun.Trigger.MANUAL
    assert first.summary == {"snapshots": 2} and first.message == "Сняты срезы за полугодие: 2"
    assert second.summary == {"snapshots": 0} and second.trigger == JobRun.Trigger.SCHEDULE
    assert KpiSnapshot.objects.filter(automatic=True, year=2025, half=1).count() == 2


@pytest.mark.django_db
def test_the_job_page_lists_the_new_job():
    jobs = {job.job: job for job in scheduled_jobs(now=datetime(2025, 7, 1, tzinfo=UTC))}
    assert jobs["kpi_half_year_snapshot"].task == "reports.tasks.kpi_half_year_snapshot_task"
    assert jobs["kpi_half_year_snapshot"].title == "Срез показателей за полугодие (мониторинг)"


@pytest.mark.worker
def test_task_runs_in_a_real_worker(celery_worker_process, transactional_db):
    MunicipalityFactory(name="Армавир", time_zone="Europe/Moscow")
    MunicipalityFactory(name="Верхнебуреинский район", time_zone="Asia/Vladivostok")
    # What is due depends on today's date (within 31 days after 30 June / 31 December, or nothing).
    expected = len(half_year_snapshots_due(now=datetime.now(UTC)))
    with transaction.atomic():
        transaction.on_commit(lambda: kpi_half_year_snapshot_task.delay(trigger=JobRun.Trigger.MANUAL))

    deadline = time.monotonic() + 60
    while not JobRun.objects.filter(job="kpi_half_year_snapshot").exclude(status=JobRun.Status.RUNNING).exists():
        assert celery_worker_process.poll() is None, celery_worker_process.log_tail()
        assert time.monotonic() < deadline, (
            f"no finished run after 60 s; worker log:\n{celery_worker_process.log_tail()}"
        )
        time.sleep(0.2)

    run = JobRun.objects.get(job="kpi_half_year_snapshot")
    assert run.status == JobRun.Status.SUCCESS, run.error
    assert run.trigger == JobRun.Trigger.MANUAL and run.summary == {"snapshots": expected}
    assert KpiSnapshot.objects.filter(automatic=True).count() == expected
