"""The dates the portal accepts: 01.01.1900–31.12.2100, whatever the form, the admin or the query string.

Python's calendar runs from the year 1 to 9999, but an aware moment near either end overflows when it is
converted to UTC (saving, comparing in the database, an admin drill-down to the year after 9999): a 500. No
date of a teacher's program lies outside these bounds, so every date input is checked against them once, by
`validate_date_in_range`, put on every date field of a form by `BoundedDatesMixin` (portal forms) and by
`core.admin_mixins.BoundedDatesAdminMixin` (every admin form and changelist).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
DATE_FORM_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def date_in_range(value: date | datetime) -> bool:
    """Whether the day of `value` (an aware moment's own wall-clock day: nothing is converted) is within bounds."""
    day = value.date() if isinstance(value, datetime) else value
    return DATE_MIN <= day <= DATE_MAX


def date_range_message() -> str:
    return _("Укажите дату между %(min)s и %(max)s.") % {
        "min": DATE_MIN.strftime("%d.%m.%Y"),
        "max": DATE_MAX.strftime("%d.%m.%Y"),
    }


def validate_date_in_range(value: date | datetime | None) -> None:
    if value is not None and not date_in_range(value):
        raise ValidationError(date_range_message(), code="date_out_of_range")


def year_in_range(text: str) -> bool:
    """A year typed in a query string («²» passes str.isdigit() but not int(); forty digits overflow)."""
    return text.isdecimal() and len(text) <= 4 and DATE_MIN.year <= int(text) <= DATE_MAX.year


def bound_date_fields(fields: Mapping[str, forms.Field] | Iterable[forms.Field]) -> None:
    """Puts the bounds on every date, date-time and split date-time field (once, however often it is called)."""
    for field in fields.values() if isinstance(fields, Mapping) else fields:
        if isinstance(field, DATE_FORM_FIELDS) and validate_date_in_range not in field.validators:
            field.validators.append(validate_date_in_range)


class BoundedDatesMixin:
    """For every portal form: its date fields, those added in a subclass's __init__ included, take the bounds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_date_fields(self.fields)

    def full_clean(self):
        bound_date_fields(self.fields)  # a field added after __init__ (rare) is bounded as well
        super().full_clean()
