"""`manage.py issue_certificates [--season ID] [--activity ID] [--batch-size N]`: issue what is owed now."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity
from activities.services_certificates import certificates_issue
from participants.jobs import job_run
from participants.models import JobRun
from programs.models import Season


class Command(BaseCommand):
    help = gettext_lazy("Выдать положенные сертификаты (все, за сезон или за мероприятие).")

    def add_arguments(self, parser):
        parser.add_argument("--season", type=int, help="id сезона")
        parser.add_argument("--activity", type=int, help="id мероприятия")
        parser.add_argument("--batch-size", type=int, default=50, help="сертификатов в одной транзакции")

    def handle(self, *args, season=None, activity=None, batch_size=50, **options):
        if batch_size < 1:
            raise CommandError(_("--batch-size должен быть не меньше 1"))
        season_obj = activity_obj = None
        if season is not None:
            season_obj = Season.objects.filter(pk=season).first()
            if season_obj is None:
                raise CommandError(_("Сезон %(id)s не найден") % {"id": season})
        if activity is not None:
            activity_obj = Activity.objects.filter(pk=activity).first()
            if activity_obj is None:
                raise CommandError(_("Мероприятие %(id)s не найдено") % {"id": activity})
        with job_run("issue_certificates", trigger=JobRun.Trigger.COMMAND) as run:
            if run.skipped:
                self.stdout.write(_("Выдача сертификатов уже выполняется; этот запуск пропущен."))
                return
            result = certificates_issue(
                now=timezone.now(), season=season_obj, activity=activity_obj, batch_size=batch_size
            )
            run.count("issued", result["issued"])
            run.count("batches", result["batches"])
            message = _("Выдано сертификатов: %(issued)s из %(owed)s.") % result
            run.say(message)
        self.stdout.write(message)
