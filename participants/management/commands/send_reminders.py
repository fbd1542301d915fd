from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from participants.models import JobRun
from participants.tasks import send_reminders_job


class Command(BaseCommand):
    help = "Отправить напоминания о сроках, которые пора отправить (то же, что ежечасная задача)."

    def handle(self, *args, **options):
        run = send_reminders_job(trigger=JobRun.Trigger.COMMAND)
        if run.skipped:
            self.stdout.write(_("Пропущено: рассылка напоминаний уже выполняется."))
            return
        self.stdout.write("\n".join(run.lines))
