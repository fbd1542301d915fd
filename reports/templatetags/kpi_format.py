"""KPI numbers in the reader's language: «12,5 %», «1 234 чел.», «нет данных» for a value that cannot be measured.

The rules live in reports.formatting, shared with the workbook's number formats."""

from django import template

from reports import formatting

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
    # «Меньше, чем в прошлом году» without last year's data: the coordinator has last year's facts to enter.
    "no_previous": "text-bg-warning",
}

kpi_number = register.filter("kpi_number", formatting.kpi_number)
kpi_value = register.filter("kpi_value", formatting.kpi_value)


@register.filter
def kpi_badge(status: str) -> str:
    """The Bootstrap classes of a status badge (the badge always carries the status in words too)."""
    return STATUS_BADGES.get(status, "text-bg-light border")
