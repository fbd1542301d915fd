from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from activities.deadlines import check_deadlines_job
from participants.models import JobRun


class Command(BaseCommand):
    help = _("Применить правила исключения сезонов к участникам (без проверки сроков)")

    def handle(self, *args, **options):
        run = check_deadlines_job(trigger=JobRun.Trigger.COMMAND, deadlines=False)
        if run.skipped:
            self.stdout.write(_("Задача проверки сроков уже выполняется; этот запуск пропущен."))
            return
        self.stdout.write("\n".join(run.lines))
