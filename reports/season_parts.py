"""Reports' part of loading a program template: the yearly KPI targets of the orders.

Season cloning needs no step here: targets belong to a municipality and a year, not to a season.
"""

from collections import Counter

from programs.season_parts import register_season_part
from programs.templates_service import upsert

from .models import KpiTarget


def load_kpi_targets(*, season, template, **kwargs) -> Counter:
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


def register() -> None:
    register_season_part("reports", load_template=load_kpi_targets)
