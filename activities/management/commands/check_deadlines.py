from activities.deadlines import check_deadlines_job
from core.management.job_command import JobCommand
from core.models import JobRun


class Command(JobCommand):
    help = "Mark late and missed video lessons, give unmarked attendance its default, apply the exclusion rules."
    job = "check_deadlines"

    def run_job(self, **options) -> None:
        check_deadlines_job(trigger=JobRun.Trigger.COMMAND)
