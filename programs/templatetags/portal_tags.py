"""Small template helpers of the public pages."""

from datetime import date, datetime, time, timedelta

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import get_language

from core.date_text import datetime_attribute

register = template.Library()


@register.simple_tag
def rule_source(season, key: str) -> str:
    """The season's source for a rule: {% rule_source season "chat_join_days" as source %}."""
    return season.rule_source(key)[0]


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


def _day_range(first: date, last: date) -> tuple[str, str]:
    """The two ends of a range of days as they are read, «10» and «23 сентября 2024»; the first is empty for one day."""
    if first == last:
        return "", formats.date_format(last, "j E Y")
    if (first.year, first.month) == (last.year, last.month):
        return str(first.day), formats.date_format(last, "j E Y")
    if first.year == last.year:
        return formats.date_format(first, "j E"), formats.date_format(last, "j E Y")
    return formats.date_format(first, "j E Y"), formats.date_format(last, "j E Y")


@register.simple_tag
def registration_window(opens: datetime, closes: datetime) -> str:
    """A window from midnight to midnight in the current zone reads as days, «10 – 23 сентября 2024»,
    the closing midnight being the end of the last day; any other window shows its times. Each end is a <time> of
    its own: HTML's datetime attribute holds a date or a moment, never a range (core.date_text)."""
    start, end = timezone.localtime(opens), timezone.localtime(closes)
    if start.time() == time(0) and end.time() == time(0) and end > start:
        first, last = start.date(), (end - timedelta(days=1)).date()
        first_text, last_text = _day_range(first, last)
        if not first_text:
            return format_html('<time datetime="{}">{}</time>', datetime_attribute(last), last_text)
        ends = (datetime_attribute(first), first_text, datetime_attribute(last), last_text)
    else:
        ends = (
            datetime_attribute(start),
            formats.date_format(start, "j E Y, H:i"),
            datetime_attribute(end),
            formats.date_format(end, "j E Y, H:i"),
        )
    return format_html('<time datetime="{}">{}</time> – <time datetime="{}">{}</time>', *ends)
