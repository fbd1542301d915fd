from django.utils.translation import gettext as _

from core.management.job_command import JobCommand
from core.models import JobRun
from reports.tasks import kpi_snapshot_task


class Command(JobCommand):
    help = _("Делает сегодняшний срез KPI всех идущих сезонов сейчас (обычно ночью по расписанию; повтор безвреден).")
    job = "kpi_snapshot"

    def run_job(self, **options) -> None:
        kpi_snapshot_task(trigger=JobRun.Trigger.COMMAND)
