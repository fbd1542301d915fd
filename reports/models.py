"""Yearly KPI targets from the municipal orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Municipality, Program


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
    value = models.DecimalField(_("целевое значение"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("единица"), max_length=16, default="%")
    comparison = models.CharField(_("условие"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST)
    source = models.CharField(_("источник"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("целевое значение KPI")
        verbose_name_plural = _("целевые значения KPI")
        ordering = ["municipality", "code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code", "year"], name="kpi_target_unique"),
        ]

    def __str__(self):
        return f"{self.title} — {self.year}: {self.get_comparison_display()} {self.value}{self.unit}"
