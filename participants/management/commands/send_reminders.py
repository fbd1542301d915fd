from django.utils.translation import gettext as _

from core.management.job_command import JobCommand
from core.models import JobRun
from participants.tasks import send_reminders_job


class Command(JobCommand):
    help = _("Отправляет напоминания о сроках, которым пора (обычно ежечасно по расписанию).")
    job = "send_reminders"

    def run_job(self, **options) -> None:
        send_reminders_job(trigger=JobRun.Trigger.COMMAND)
