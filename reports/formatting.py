"""KPI numbers in the reader's language, one set of rules for the dashboard and the workbook.

The dashboard's template filters (reports.templatetags.kpi_format) print «12,5 %», «3 мероприятия», «2,1 балла»;
the workbook keeps numbers as numbers and gives each cell an Excel number format that prints the same text: the
same decimals (one at most, none for a whole value) and the same unit word agreeing with the number
(reports.kpi.unit_for) — so a cell never reads «27,2 % %» or «2 мероприятий».
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .kpi import unit_for


def kpi_decimals(value) -> int:
    """One decimal at most, none when the value rounds to a whole number: «25 %», «27,2 %»."""
    return 0 if round(float(value), 1).is_integer() else 1


def kpi_number(value) -> str:
    """A number with the locale's decimal comma and thousands separator, one decimal at most, «—» for None."""
    if value is None or value == "":
        return "—"
    number = float(value)
    decimals = kpi_decimals(number)
    return number_format(round(number, decimals), decimal_pos=decimals, force_grouping=True)


def kpi_value(value, unit="") -> str:
    """The value with its unit («12,5 %», «3 мероприятия»), or «нет данных» when there is nothing to measure."""
    if value is None:
        return _("нет данных")
    return f"{kpi_number(value)} {unit_for(value, str(unit))}".strip()


def kpi_number_format(value, unit="") -> str:
    """The Excel number format printing the value as kpi_value does: «#,##0.0" балла"» for 2.1 points. A cell
    without a value (None) gets the plain format of the unit's plural."""
    decimals = 0 if value is None else kpi_decimals(value)
    digits = "#,##0" if decimals == 0 else "#,##0.0"
    word = str(unit) if value is None else unit_for(value, str(unit))
    if not word:
        return digits
    return f'{digits}" {word.replace(chr(34), "")}"'
