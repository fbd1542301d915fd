"""Yearly KPI targets from the municipal orders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Municipality, Organisation, Program, Season


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
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="kpi_target_year_sane",
                violation_error_message=_("Год цели — от 1990 до 2100."),
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
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="kpi_baseline_year_sane",
                violation_error_message=_("Базовый год — от 1990 до 2100."),
            ),
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
    # The half-year a monitoring snapshot covers (seed 002, п. 7.3: «не реже одного раза в полугодие»).
    year = models.PositiveSmallIntegerField(_("год"), null=True, blank=True)
    half = models.PositiveSmallIntegerField(
        _("полугодие"), null=True, blank=True, choices=[(1, _("1-е полугодие")), (2, _("2-е полугодие"))]
    )
    # Taken by the half-year job at the half's end (True) or by hand in the admin (False).
    automatic = models.BooleanField(_("снят автоматически"), default=False)
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
            models.UniqueConstraint(
                fields=["municipality", "year", "half"],
                condition=Q(kind="period", automatic=True),
                name="kpi_snapshot_one_automatic_per_half_year",
            ),
            models.CheckConstraint(
                condition=Q(half__isnull=True) | Q(half__in=[1, 2]), name="kpi_snapshot_half_is_one_or_two"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.taken_on:%d.%m.%Y}"


class MonitoringReport(models.Model):
    """The coordinator's analysis of a half-year snapshot and the targeted recommendations drawn from it (seed 002,
    п. 7.5: «По результатам мониторинга эффективности деятельности ММС проводится анализ, разрабатываются
    адресные рекомендации»). Approved, it is frozen: it stays readable and is no longer edited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        APPROVED = "approved", _("Утверждён")

    snapshot = models.OneToOneField(
        KpiSnapshot, verbose_name=_("срез показателей"), on_delete=models.CASCADE, related_name="monitoring_report"
    )
    analysis = models.TextField(_("анализ"), blank=True)
    status = models.CharField(_("состояние"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), default=timezone.now)
    approved_at = models.DateTimeField(_("утверждён"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто утвердил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("отчёт о мониторинге")
        verbose_name_plural = _("отчёты о мониторинге")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False), name="monitoring_report_approved_has_time"
            ),
        ]

    def __str__(self):
        return str(_("Мониторинг: %(snapshot)s")) % {"snapshot": self.snapshot_id}

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class MonitoringRecommendation(models.Model):
    """One targeted recommendation («адресная рекомендация», seed 002, п. 7.5): to whom — an organisation of the
    municipality or a group of teachers or experts —, what, by when and who answers for it."""

    report = models.ForeignKey(
        MonitoringReport, verbose_name=_("отчёт"), on_delete=models.CASCADE, related_name="recommendations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_recommendations",
    )
    addressee_group = models.CharField(
        _("группа педагогов или экспертов"),
        max_length=300,
        blank=True,
        help_text=_("Например, молодые педагоги (до 35 лет) или методисты-предметники"),
    )
    text = models.TextField(_("рекомендация"))
    due_on = models.DateField(_("срок"))
    responsible = models.CharField(_("ответственный"), max_length=300)
    created_at = models.DateTimeField(_("добавлена"), default=timezone.now)

    class Meta:
        verbose_name = _("адресная рекомендация")
        verbose_name_plural = _("адресные рекомендации")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(addressee_group=""),
                name="monitoring_recommendation_has_addressee",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def addressee(self) -> str:
        """To whom: the organisation and/or the group, as the report prints it."""
        parts = [str(self.organisation)] if self.organisation_id else []
        if self.addressee_group:
            parts.append(self.addressee_group)
        return "; ".join(parts)
