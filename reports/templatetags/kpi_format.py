"""KPI numbers in the reader's language: «12,5 %», «1 234 чел.», «нет данных» for a value that cannot be measured."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.kpi import unit_for

register = template.Library()

STATUS_BADGES = {
    "met": "text-bg-success",
    "missed": "text-bg-danger",
    "no_target": "text-bg-light border",
    "no_data": "text-bg-light border",
    # After the order's last target year: informative, neither met nor missed.
    "ended": "text-bg-secondary",
    # «Не ниже уровня 2020 года» without the 2020 value: the coordinator has something to enter.
    "no_baseline": "text-bg-warning",
}


@register.filter
def kpi_number(value) -> str:
    """A number with the locale's decimal comma and thousands separator, one decimal at most, «—» for None."""
    if value is None or value == "":
        return "—"
    number = float(value)
    decimals = 0 if round(number, 1).is_integer() else 1
    return number_format(round(number, decimals), decimal_pos=decimals, force_grouping=True)


@register.filter
def kpi_value(value, unit="") -> str:
    """The value with its unit («12,5 %», «3 мероприятия»), or «нет данных» when there is nothing to measure."""
    if value is None:
        return _("нет данных")
    return f"{kpi_number(value)} {unit_for(value, str(unit))}".strip()


@register.filter
def kpi_badge(status: str) -> str:
    """The Bootstrap classes of a status badge (the badge always carries the status in words too)."""
    return STATUS_BADGES.get(status, "text-bg-light border")
