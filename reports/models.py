"""Yearly KPI targets from the municipal orders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Municipality, Program, Season


class KpiTarget(models.Model):
    """A target an order sets for one KPI in one year (seed 002 §6.2, seed 003)."""

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", _("не менее")
        AT_MOST = "lte", _("не более")

    code = models.SlugField(_("код показателя"), max_length=80)
    title = models.CharField(_("показатель"), max_length=500)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.CASCADE, related_name="kpi_targets"
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("программа"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_targets",
    )
    year = models.PositiveSmallIntegerField(_("год"))
    value = models.DecimalField(
        _("целевое значение"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Число из приказа. Не заполняется, когда цель — уровень базового года."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("не ниже уровня года"),
        null=True,
        blank=True,
        help_text=_(
            "Для целей вида «не ниже уровня 2020 года» (приказ № 223/1, результат 12): цель — базовое значение "
            "этого года, внесённое в «Базовые значения KPI»."
        ),
    )
    unit = models.CharField(_("единица"), max_length=16, default="%")
    comparison = models.CharField(_("условие"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST)
    source = models.CharField(_("источник"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("целевое значение KPI")
        verbose_name_plural = _("целевые значения KPI")
        ordering = ["municipality", "code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code", "year"], name="kpi_target_unique"),
            # A number from the order, or the level of a base year — exactly one of them.
            models.CheckConstraint(
                condition=Q(value__isnull=False, baseline_year__isnull=True)
                | Q(value__isnull=True, baseline_year__isnull=False),
                name="kpi_target_value_or_baseline",
                violation_error_message=_(
                    "Укажите либо целевое значение из приказа, либо базовый год («не ниже уровня года») — одно из двух."
                ),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__lt=models.F("year")),
                name="kpi_target_baseline_before_year",
                violation_error_message=_("Базовый год должен быть раньше года цели."),
            ),
        ]

    def __str__(self):
        if self.baseline_year is not None:
            return f"{self.title} — {self.year}: {_('не ниже уровня %(year)s года') % {'year': self.baseline_year}}"
        return f"{self.title} — {self.year}: {self.get_comparison_display()} {self.value}{self.unit}"


class KpiBaseline(models.Model):
    """The value of a KPI in a base year, entered by the coordinator from the records of that year, for targets
    an order sets as «не ниже уровня 2020 года» (seed 003, результат 12). The order names the year, not the
    number: the portal never guesses it."""

    code = models.SlugField(_("код показателя"), max_length=80)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципалитет"), on_delete=models.CASCADE, related_name="kpi_baselines"
    )
    year = models.PositiveSmallIntegerField(_("базовый год"))
    value = models.DecimalField(_("значение в базовом году"), max_digits=10, decimal_places=2)
    source = models.CharField(
        _("откуда взято значение"),
        max_length=300,
        help_text=_("Например: отчёт РИМЦ за 2020 год, сведения школ на 31.12.2020"),
    )
    entered_at = models.DateTimeField(_("внесено"), default=timezone.now, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто внёс"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("базовое значение KPI")
        verbose_name_plural = _("базовые значения KPI")
        ordering = ["municipality", "code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code", "year"], name="kpi_baseline_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="kpi_baseline_not_negative",
                violation_error_message=_("Значение не может быть отрицательным."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.year}: {self.value}"


class KpiSnapshot(models.Model):
    """Every KPI's value frozen at a moment (nightly, or a half-year monitoring period), so later edits of the
    data never rewrite a past report. `values` maps a KPI code to {"value", "numerator", "denominator", "unit"}.
    """

    class Kind(models.TextChoices):
        NIGHTLY = "nightly", _("Ежедневный")
        PERIOD = "period", _("Мониторинг за период")

    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices, default=Kind.NIGHTLY)
    taken_on = models.DateField(_("на дату"))
    taken_at = models.DateTimeField(_("снят"), default=timezone.now)
    period = models.CharField(_("период"), max_length=64, blank=True, help_text=_("Например, 1-е полугодие 2025"))
    season = models.ForeignKey(
        Season, verbose_name=_("сезон"), null=True, blank=True, on_delete=models.CASCADE, related_name="kpi_snapshots"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("муниципалитет"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpi_snapshots",
    )
    values = models.JSONField(_("значения"), default=dict)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто снял"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("срез показателей")
        verbose_name_plural = _("срезы показателей")
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "taken_on", "season"],
                condition=Q(kind="nightly"),
                name="kpi_snapshot_one_nightly_per_season_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.taken_on:%d.%m.%Y}"
