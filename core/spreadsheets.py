"""What every spreadsheet the portal writes puts in its cells (personal-data exports, KPI reports).

One place decides how a Python value becomes a cell: numbers and dates stay numbers and dates (a negative
number included), text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV/formula
injection), and sheet names follow Excel's rules.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

# A cell starting with one of these is read as a formula (or a DDE call) by Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A text cell that starts like a formula gets a leading apostrophe, so no spreadsheet runs it (OWASP CSV
    injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def spreadsheet_value(value):
    """The value to store in a cell: None stays empty, numbers and dates stay themselves (a datetime in the
    current time zone, without its zone, as spreadsheets keep them), booleans read «да»/«нет», and anything
    else is text made safe with `spreadsheet_safe`. Callers mark a str result as text (data_type "s")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return gettext("да") if value else gettext("нет")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None)
    if isinstance(value, date | int | float | Decimal):
        return value
    return spreadsheet_safe(str(value))


_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(title: str, used: set[str], *, fallback: str = "Лист") -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = title.translate(_SHEET_FORBIDDEN).strip()[:31] or fallback
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def table_sheet(workbook, used: set[str], title: str, header, rows, widths=()):
    """A sheet of a (normal-mode) openpyxl workbook holding one table: the bold header frozen above its rows, every
    value through spreadsheet_value, text kept as text (a «=…» stays a string), columns as wide as `widths` says."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(sheet_title(title, used))
    sheet.append([spreadsheet_value(str(h)) for h in header])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for row in rows:
        values = [spreadsheet_value(v) for v in row]
        sheet.append(values)
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):
            if isinstance(value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet
