from django.utils.translation import gettext as _

from core.management.job_command import JobCommand
from core.models import JobRun
from core.tasks import deliver_notifications_job


class Command(JobCommand):
    help = _("Отправляет письма из очереди уведомлений сейчас (обычно раз в 5 минут по расписанию).")
    job = "deliver_notifications"

    def run_job(self, **options) -> None:
        deliver_notifications_job(trigger=JobRun.Trigger.COMMAND)
