"""Load the ready program templates: «Прогрессивный педагог», «Методический абонемент», «Педкластер 27» and the
cascade of ИМЦ Московского района (сид 001), whose dates follow today's academic year."""

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program
from programs.program_templates import templates_for
from programs.template_loaders import template_loaders_run
from programs.templates_service import CREATED, UNCHANGED, UPDATED, program_template_apply


class Command(BaseCommand):
    help = _("Создаёт или обновляет готовые программы из шаблонов; повторный запуск ничего не меняет.")

    def handle(self, *args, **options):
        total = Counter()
        today = timezone.localdate()
        for template in templates_for(today):
            existed = Program.objects.filter(slug=template["program"]["slug"]).exists()
            changes = Counter()
            season = program_template_apply(template=template, changes=changes)
            total.update(changes)
            if not existed:
                state = _("создана")
            elif changes[CREATED] or changes[UPDATED]:
                state = _("обновлена")
            else:
                state = _("без изменений")
            self.stdout.write(
                _(
                    "«%(program)s», сезон %(season)s: %(state)s (записей создано: %(c)d, обновлено: %(u)d, без изменений: %(n)d)"
                )
                % {
                    "program": season.program.title,
                    "season": season.title,
                    "state": state,
                    "c": changes[CREATED],
                    "u": changes[UPDATED],
                    "n": changes[UNCHANGED],
                }
            )
        # The steps of apps above programs (the project office's registry: projects.office_templates).
        for line in template_loaders_run(today=today, changes=total):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                _("Готово: записей создано %(c)d, обновлено %(u)d, без изменений %(n)d.")
                % {"c": total[CREATED], "u": total[UPDATED], "n": total[UNCHANGED]}
            )
        )
