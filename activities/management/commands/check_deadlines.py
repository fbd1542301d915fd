from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from activities.deadlines import check_deadlines_job
from participants.models import JobRun


class Command(BaseCommand):
    help = _(
        "Отметить опоздания и несданные видеоуроки, проставить отметки по умолчанию и применить правила исключения"
    )

    def handle(self, *args, **options):
        run = check_deadlines_job(trigger=JobRun.Trigger.COMMAND)
        if run.skipped:
            self.stdout.write(_("Задача уже выполняется; этот запуск пропущен."))
            return
        self.stdout.write("\n".join(run.lines))
