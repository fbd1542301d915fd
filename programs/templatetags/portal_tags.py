"""Small template helpers of the public pages."""

from datetime import date

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


def _month(value: date, fmt: str) -> str:
    text = formats.date_format(value, fmt)
    # Django's Russian month names are capitalised; inside a phrase Russian writes them in lower case.
    if (get_language() or "").startswith("ru"):
        text = text[:1].lower() + text[1:]
    return text


@register.simple_tag
def month_range(starts_on: date | None, ends_on: date | None) -> str:
    """«сентябрь 2024», «март – апрель 2025» or «декабрь 2024 – январь 2025»."""
    if starts_on is None:
        return ""
    if ends_on is None or (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        return _month(starts_on, "F Y")
    if starts_on.year == ends_on.year:
        return f"{_month(starts_on, 'F')} – {_month(ends_on, 'F Y')}"
    return f"{_month(starts_on, 'F Y')} – {_month(ends_on, 'F Y')}"
