"""Reports' part of loading a program template: the yearly KPI targets of the orders.

Season cloning needs no receiver here: targets belong to a municipality and a year, not to a season.
"""

from collections import Counter

from django.dispatch import receiver

from programs.models import Season
from programs.signals import season_template_applied
from programs.templates_service import upsert

from .models import KpiTarget


@receiver(season_template_applied, sender=Season, dispatch_uid="reports_template_applied")
def load_kpi_targets(sender, *, season, template, **kwargs) -> Counter:
    """One target per municipality, code and year; `for_program` ties it to the template's program."""
    changes = Counter()
    program = season.program
    for item in template.get("kpi_targets", []):
        for year, value in item["values"].items():
            _, what = upsert(
                KpiTarget,
                lookup={"municipality": program.municipality, "code": item["code"], "year": year},
                defaults={
                    "title": item["title"],
                    "program": program if item.get("for_program") else None,
                    "value": value,
                    # «Не ниже уровня 2020 года»: no number in the order, the base year's value is entered apart.
                    "baseline_year": item.get("baseline_year"),
                    "unit": item.get("unit", "%"),
                    "comparison": item.get("comparison", KpiTarget.Comparison.AT_LEAST),
                    "source": item.get("source", ""),
                },
            )
            changes[what] += 1
    return changes
