from activities.deadlines import check_deadlines_job
from core.management.job_command import JobCommand
from core.models import JobRun


class Command(JobCommand):
    help = "Apply the seasons' exclusion rules only (logged as check_deadlines, under the same lock)."
    job = "check_deadlines"

    def run_job(self, **options) -> None:
        check_deadlines_job(trigger=JobRun.Trigger.COMMAND, deadlines=False)
