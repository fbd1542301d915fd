from django.utils.translation import gettext as _

from activities.deadlines import check_deadlines_job
from core.management.job_command import JobCommand
from core.models import JobRun


class Command(JobCommand):
    help = _("Применяет только правила исключения сезонов (в журнале — как «check_deadlines», под той же блокировкой).")
    job = "check_deadlines"

    def run_job(self, **options) -> None:
        check_deadlines_job(trigger=JobRun.Trigger.COMMAND, deadlines=False)
