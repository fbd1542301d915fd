"""«Школа – Школе» (сид 001): сетевые пары «школа-лидер – школа ШНОР», годовой план пары и результаты оценочных
процедур (ВПР, ОГЭ, ЕГЭ), по которым видна динамика школ с низкими результатами обучения.

Проведённое мероприятие плана — это занятие (activities.Session) мероприятия сезона для приглашённых: педагоги
обеих школ приглашены, посещаемость отмечается как везде (docs/decisions/0010-project-cascade.md).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Session
from core.dates import validate_date_in_range
from programs.models import Organisation, Season, Subject

ASSESSMENT_YEARS = (2000, 2100)
VPR_GRADES = (4, 11)


class PartnerRole(models.TextChoices):
    """Сид 001, «Школа – Школе», цель: «сетевое взаимодействие школ-наставников и школ-мастеров»."""

    LEADER = "leader", _("Школа-лидер")
    MENTOR = "mentor", _("Школа-наставник")
    MASTER = "master", _("Школа-мастер")


class SchoolPair(models.Model):
    """Сетевая пара «школа лидер – школа ШНОР» (сид 001, «Школа – Школе», уникальная идея) в сезоне проекта."""

    season = models.ForeignKey(Season, verbose_name=_("сезон"), on_delete=models.CASCADE, related_name="school_pairs")
    leader = models.ForeignKey(
        Organisation,
        verbose_name=_("школа-лидер (наставник, мастер)"),
        on_delete=models.PROTECT,
        related_name="school_pairs_led",
    )
    leader_role = models.CharField(
        _("роль ведущей школы"), max_length=16, choices=PartnerRole.choices, default=PartnerRole.LEADER
    )
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("школа ШНОР"),
        on_delete=models.PROTECT,
        related_name="school_pairs_supported",
        help_text=_("Школа, демонстрирующая низкие результаты обучения."),
    )
    starts_on = models.DateField(_("пара работает с"), validators=[validate_date_in_range])
    ends_on = models.DateField(
        _("по"),
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text=_("Пусто — пара работает."),
    )
    note = models.TextField(_("примечание"), blank=True)
    created_at = models.DateTimeField(_("создана"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("пара «Школа – Школе»")
        verbose_name_plural = _("пары «Школа – Школе»")
        ordering = ["season", "partner__sort_key", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(leader=F("partner")), name="school_pair_two_schools"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="school_pair_ends_after_start"
            ),
            # One open pair per partner school: a school of low results has one leader at a time.
            models.UniqueConstraint(
                fields=["partner"], condition=Q(ends_on__isnull=True), name="school_pair_one_open_per_partner"
            ),
        ]

    def __str__(self):
        return f"{self.leader.short_name} – {self.partner.short_name}"

    @property
    def school_ids(self) -> tuple[int, int]:
        return (self.leader_id, self.partner_id)

    @property
    def period_text(self) -> str:
        start = self.starts_on.strftime("%d.%m.%Y")
        if self.ends_on:
            return gettext("с %(start)s по %(end)s") % {"start": start, "end": self.ends_on.strftime("%d.%m.%Y")}
        return gettext("с %(start)s") % {"start": start}


class PlanItemKind(models.TextChoices):
    """Формы мероприятий плана (сид 001, «Школа – Школе», мероприятия 2–5)."""

    SEMINAR = "seminar", _("Семинар")
    MASTER_CLASS = "master_class", _("Мастер-класс")
    OPEN_LESSONS = "open_lessons", _("Открытые уроки")
    ROUND_TABLE = "round_table", _("Круглый стол")
    COURSES = "courses", _("Курсы повышения квалификации")


class PairPlanItem(models.Model):
    """Мероприятие годового плана пары; проведённое — занятие мероприятия сезона с посещаемостью."""

    pair = models.ForeignKey(SchoolPair, verbose_name=_("пара"), on_delete=models.CASCADE, related_name="plan_items")
    kind = models.CharField(_("форма"), max_length=16, choices=PlanItemKind.choices)
    title = models.CharField(_("тема"), max_length=300)
    planned_on = models.DateField(_("запланировано на"), validators=[validate_date_in_range])
    session = models.OneToOneField(
        Session,
        verbose_name=_("проведённое занятие"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_pair_plan_item",
    )

    class Meta:
        verbose_name = _("мероприятие плана пары")
        verbose_name_plural = _("мероприятия плана пары")
        ordering = ["pair", "planned_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_held(self) -> bool:
        return self.session_id is not None


class Assessment(models.TextChoices):
    VPR = "vpr", _("ВПР")
    OGE = "oge", _("ОГЭ")
    EGE = "ege", _("ЕГЭ")


# ОГЭ сдают в 9 классе, ЕГЭ — в 11-м: у них класс один, у ВПР — с 4 по 11.
FIXED_GRADES = {Assessment.OGE: 9, Assessment.EGE: 11}


class AssessmentResult(models.Model):
    """Результат оценочной процедуры школы по предмету за год (сид 001, «Школа – Школе», ожидаемые результаты:
    «положительная динамика результатов оценочных процедур (ВПР, ОГЭ, ЕГЭ)»)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("школа"), on_delete=models.CASCADE, related_name="assessment_results"
    )
    year = models.PositiveSmallIntegerField(
        _("год"),
        validators=[MinValueValidator(ASSESSMENT_YEARS[0]), MaxValueValidator(ASSESSMENT_YEARS[1])],
        help_text=_("Год проведения процедуры."),
    )
    assessment = models.CharField(_("процедура"), max_length=8, choices=Assessment.choices)
    subject = models.ForeignKey(Subject, verbose_name=_("предмет"), on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("класс"), help_text=_("Для ВПР — с 4 по 11; ОГЭ — 9, ЕГЭ — 11."))
    participants = models.PositiveIntegerField(_("участников"))
    average = models.DecimalField(
        _("средний балл / отметка"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("ВПР и ОГЭ — средняя отметка (2–5), ЕГЭ — средний тестовый балл (0–100)."),
    )
    low_share = models.DecimalField(
        _("доля низких результатов, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("ВПР и ОГЭ — доля отметок «2», ЕГЭ — доля не набравших минимальный балл."),
    )

    class Meta:
        verbose_name = _("результат оценочной процедуры")
        verbose_name_plural = _("результаты оценочных процедур")
        ordering = ["organisation__sort_key", "assessment", "subject__name", "grade", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "assessment", "subject", "grade"], name="assessment_result_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=ASSESSMENT_YEARS[0], year__lte=ASSESSMENT_YEARS[1]),
                name="assessment_result_year_range",
            ),
            models.CheckConstraint(
                condition=Q(assessment="vpr", grade__gte=VPR_GRADES[0], grade__lte=VPR_GRADES[1])
                | Q(assessment="oge", grade=9)
                | Q(assessment="ege", grade=11),
                name="assessment_result_grade",
            ),
            models.CheckConstraint(
                condition=Q(average__gte=0, average__lte=100, low_share__gte=0, low_share__lte=100),
                name="assessment_result_bounds",
            ),
        ]

    def __str__(self):
        return f"{self.organisation.short_name}, {self.get_assessment_display()} {self.year}, {self.subject}"
