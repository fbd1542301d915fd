"""Put existing waiting video lessons in their reviewers' queues by the seasons' rules."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from activities.models import Submission
from programs.models import Season
from ratings.services import review_assign


class Command(BaseCommand):
    help = _(
        "Назначает сданные и ещё не проверенные видеоуроки экспертам по правилам сезона (или всех сезонов); "
        "повторный запуск ничего не дублирует."
    )

    def add_arguments(self, parser):
        parser.add_argument("--season", type=int, help=_("id сезона; без него — все сезоны"))

    def handle(self, *args, season=None, **options):
        submissions = Submission.objects.all()
        if season is not None:
            if not Season.objects.filter(pk=season).exists():
                raise CommandError(_("Сезон с id %(id)s не найден.") % {"id": season})
            submissions = submissions.filter(assignment__activity__season_id=season)
        added = review_assign(submissions=submissions)
        self.stdout.write(_("Назначений на проверку добавлено: %(n)s.") % {"n": added})
