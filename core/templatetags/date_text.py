"""{{ value|date_text:"j E Y" }}: the same text as {{ value|date:"j E Y" }} (and, like it, in the active time zone),
built faster for the formats core.date_text knows."""

from django import template
from django.template.defaultfilters import date as django_date

from core.date_text import date_text as _date_text
from core.date_text import datetime_attribute

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date_text(value, arg=None):
    if value in (None, "") or arg is None or not hasattr(value, "year"):
        return django_date(value, arg)
    return _date_text(value, arg)


@register.filter(expects_localtime=True, is_safe=True)
def datetime_attr(value):
    """{{ moment|datetime_attr }}: the value of <time datetime>, in the active time zone (core.date_text)."""
    if value in (None, "") or not hasattr(value, "year"):
        return ""
    return datetime_attribute(value)
