from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from participants.models import JobRun
from participants.tasks import deliver_notifications_job


class Command(BaseCommand):
    help = "Отправить письма уведомлений, ждущие отправки."

    def handle(self, *args, **options):
        run = deliver_notifications_job(trigger=JobRun.Trigger.COMMAND)
        if run.skipped:
            self.stdout.write(_("Пропущено: отправка писем уже выполняется."))
            return
        self.stdout.write("\n".join(run.lines))
