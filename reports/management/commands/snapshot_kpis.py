from core.management.job_command import JobCommand
from core.models import JobRun
from reports.tasks import kpi_snapshot_task


class Command(JobCommand):
    help = "Take today's KPI snapshot of every running season now (normally nightly by beat; safe to repeat)."
    job = "kpi_snapshot"

    def run_job(self, **options) -> None:
        kpi_snapshot_task(trigger=JobRun.Trigger.COMMAND)
