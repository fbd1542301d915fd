from core.management.job_command import JobCommand
from core.models import JobRun
from core.tasks import job_runs_prune_task


class Command(JobCommand):
    help = "Delete job-log entries older than JOB_RUNS_KEEP_DAYS, keeping the last run of every job."
    job = "prune_job_runs"

    def run_job(self, **options) -> None:
        job_runs_prune_task(trigger=JobRun.Trigger.COMMAND)
