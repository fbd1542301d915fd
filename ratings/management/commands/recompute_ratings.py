"""Recompute the participants' rating of one season, or of every season."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from programs.models import Season
from ratings.services import rating_recompute


class Command(BaseCommand):
    help = _("Пересчитывает рейтинг участников сезона (или всех сезонов); повторный запуск ничего не портит.")

    def add_arguments(self, parser):
        parser.add_argument("--season", type=int, help=_("id сезона; без него — все сезоны"))

    def handle(self, *args, season=None, **options):
        seasons = Season.objects.select_related("program").order_by("pk")
        if season is not None:
            seasons = seasons.filter(pk=season)
            if not seasons.exists():
                raise CommandError(_("Сезон с id %(id)s не найден.") % {"id": season})
        for item in seasons:
            count = rating_recompute(season=item)
            self.stdout.write(
                _("%(season)s: рейтинг пересчитан, строк — %(count)s.") % {"season": item, "count": count}
            )
