"""«Траектория развития» (сид 001): the monitoring of the forms of mentoring practised in each school, per
half-year (мероприятия 1 и 8: «Мониторинг внедрения целевой модели наставничества…», «Мониторинг внедрения
различных форм наставничества в ОО — регулярно»).

Informal mentor communities are communities of kind «school_mentors» (models/communities.py), the bank of mentoring
practices is Practice of kind «mentoring»; only the monitoring needs a table of its own.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import User
from programs.models import Organisation, Season

from .communities import CommunityReport

# «…целевой модели наставничества» — Распоряжение Минпросвещения России от 25.12.2019 № Р-145, named by the seed
# among the project's normative documents: the forms of mentoring, in the order the monitoring lists them.
MENTORING_FORMS = (
    ("teacher_teacher", _("педагог – педагог")),
    ("head_teacher", _("руководитель – педагог")),
    ("employer_student", _("работодатель – студент")),
    ("teacher_pupil", _("учитель – ученик")),
    ("pupil_pupil", _("ученик – ученик")),
    ("student_pupil", _("студент – ученик")),
)
MAX_PAIRS = 10000


def _pairs(label):
    return models.PositiveIntegerField(
        label, default=0, validators=[MaxValueValidator(MAX_PAIRS)], help_text=_("число наставнических пар")
    )


class MentoringFormsReport(models.Model):
    """A school's answer for a half-year: how many mentoring pairs it has in each form; a form with pairs is
    practised. Entered by the school's director or by the coordinator."""

    season = models.ForeignKey(
        Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="mentoring_forms_reports"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("образовательная организация"),
        on_delete=models.PROTECT,
        related_name="mentoring_forms_reports",
    )
    year = models.PositiveSmallIntegerField(_("год"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    half = models.PositiveSmallIntegerField(_("полугодие"), choices=CommunityReport.Half.choices)
    teacher_teacher = _pairs(_("«педагог – педагог»"))
    head_teacher = _pairs(_("«руководитель – педагог»"))
    employer_student = _pairs(_("«работодатель – студент»"))
    teacher_pupil = _pairs(_("«учитель – ученик»"))
    pupil_pupil = _pairs(_("«ученик – ученик»"))
    student_pupil = _pairs(_("«студент – ученик»"))
    note = models.TextField(_("комментарий школы"), blank=True)
    entered_at = models.DateTimeField(_("внесено"), default=timezone.now)
    entered_by = models.ForeignKey(
        User, verbose_name=_("кто внёс"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("мониторинг форм наставничества")
        verbose_name_plural = _("мониторинг форм наставничества")
        ordering = ["season", "-year", "-half", "organisation__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "organisation", "year", "half"], name="mentoring_forms_report_once_per_half"
            ),
            models.CheckConstraint(condition=models.Q(half__in=[1, 2]), name="mentoring_forms_report_half_1_or_2"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_half_display()} {self.year}"

    @property
    def counts(self) -> list[int]:
        return [getattr(self, field) for field, _label in MENTORING_FORMS]

    @property
    def forms_practised(self) -> int:
        return sum(1 for n in self.counts if n)

    @property
    def total_pairs(self) -> int:
        return sum(self.counts)


__all__ = ["MAX_PAIRS", "MENTORING_FORMS", "MentoringFormsReport"]
