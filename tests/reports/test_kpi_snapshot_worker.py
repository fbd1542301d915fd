"""The nightly KPI snapshot through a real Celery worker over Redis (run with scripts/test_services.py)."""

import time

import pytest
from django.db import transaction

from core.models import JobRun
from reports.models import KpiSnapshot
from reports.tasks import kpi_snapshot_task
from tests.factories import EnrollmentFactory, SeasonFactory


@pytest.mark.worker
def test_kpi_snapshot_task_runs_in_a_real_worker(celery_worker_process, transactional_db):
    season = SeasonFactory()
    EnrollmentFactory(season=season)
    EnrollmentFactory(season=season)
    with transaction.atomic():
        transaction.on_commit(lambda: kpi_snapshot_task.delay(trigger=JobRun.Trigger.MANUAL))

    deadline = time.monotonic() + 60
    while not JobRun.objects.filter(job="kpi_snapshot").exclude(status=JobRun.Status.RUNNING).exists():
        assert celery_worker_process.poll() is None, celery_worker_process.log_tail()
        assert time.monotonic() < deadline, (
            f"no finished run after 60 s; worker log:\n{celery_worker_process.log_tail()}"
        )
        time.sleep(0.2)

    run = JobRun.objects.get(job="kpi_snapshot")
    assert run.status == JobRun.Status.SUCCESS, run.error
    assert run.trigger == JobRun.Trigger.MANUAL and run.summary == {"snapshots": 1}
    snapshot = KpiSnapshot.objects.get(season=season)
    assert snapshot.values["participants_active"]["value"] == 2
