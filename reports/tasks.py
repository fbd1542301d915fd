"""Celery tasks of the reports app: thin wrappers over services, safe to run twice."""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_run
from core.models import JobRun

from .exports import export_run
from .monitoring import kpi_half_year_snapshots_take
from .services import kpi_snapshot_take


@shared_task
def kpi_snapshot_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """The nightly KPI snapshot of every running season."""
    with job_run("kpi_snapshot", trigger=trigger) as run:
        if run.skipped:
            return
        taken = kpi_snapshot_take(now=timezone.now())
        run.count("snapshots", taken)
        run.say(_("Сняты показатели сезонов: %(n)s") % {"n": taken})


@shared_task
def kpi_half_year_snapshot_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """The half-year monitoring snapshot of every municipality whose half-year just ended (seed 002, п. 7.3)."""
    with job_run("kpi_half_year_snapshot", trigger=trigger) as run:
        if run.skipped:
            return
        taken = kpi_half_year_snapshots_take(now=timezone.now())
        run.count("snapshots", taken)
        run.say(_("Сняты срезы за полугодие: %(n)s") % {"n": taken})


@shared_task
def export_task(job_id: int) -> None:
    """A spreadsheet export a person asked for (a BackgroundJob); a finished or deleted job is left alone."""
    export_run(job_id=job_id)
