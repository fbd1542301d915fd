from django.utils.translation import gettext as _

from core.management.job_command import JobCommand
from core.models import JobRun
from core.tasks import job_runs_prune_task


class Command(JobCommand):
    help = _("Удаляет записи журнала задач старше JOB_RUNS_KEEP_DAYS, оставляя последний запуск каждой задачи.")
    job = "prune_job_runs"

    def run_job(self, **options) -> None:
        job_runs_prune_task(trigger=JobRun.Trigger.COMMAND)
