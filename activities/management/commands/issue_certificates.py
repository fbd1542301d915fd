"""`manage.py issue_certificates [--season ID] [--activity ID] [--batch-size N]`: issue what is owed now."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from activities.jobs_certificates import certificates_issue_job
from activities.models import Activity
from core.management.job_command import JobCommand
from core.models import JobRun
from programs.models import Season


class Command(JobCommand):
    help = _(
        "Выдаёт сертификаты, положенные на сейчас: все, одного сезона (--season) или одного мероприятия (--activity)."
    )
    job = "issue_certificates"

    def add_arguments(self, parser):
        parser.add_argument("--season", type=int, help="id сезона")
        parser.add_argument("--activity", type=int, help="id мероприятия")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="сертификатов в одной транзакции (20 на SQLite, иначе 50)"
        )

    def run_job(self, *, season=None, activity=None, batch_size=None, **options) -> None:
        if batch_size is not None and batch_size < 1:
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
        certificates_issue_job(
            trigger=JobRun.Trigger.COMMAND, season=season_obj, activity=activity_obj, batch_size=batch_size
        )
