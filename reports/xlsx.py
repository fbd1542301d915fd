"""Spreadsheets of the KPI reports, written with openpyxl in write-only mode.

Write-only mode streams rows to disk as they come, so a 100,000-row raw-data sheet costs little memory; the
price is that everything about a sheet (widths, frozen header, filter, styles) is set before its rows.
Every sheet gets a bold frozen header row, an autofilter over its columns and set widths; dates use the
Russian ДД.ММ.ГГГГ format; a status column is coloured (met green, missed red); a sheet may carry a native
Excel chart over its own columns. Text that looks like a formula is neutralised (CSV/formula injection).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from programs.spreadsheets import sheet_title, spreadsheet_safe, spreadsheet_value

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = '0.0" %"'  # the KPI values are already in per cent (12.5 means 12.5 %)

MET, MISSED, NO_TARGET, NO_DATA, ENDED = "met", "missed", "no_target", "no_data", "ended"
STATUS_FILLS = {
    ENDED: PatternFill("solid", fgColor="ECEFF1"),
    MET: PatternFill("solid", fgColor="C8E6C9"),
    MISSED: PatternFill("solid", fgColor="FFCDD2"),
    NO_TARGET: PatternFill("solid", fgColor="ECEFF1"),
    NO_DATA: PatternFill("solid", fgColor="ECEFF1"),
}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    # An Excel number format for the column's numbers and dates (None: by the value's type).
    number_format: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Status:
    """A status cell: the words shown and the code that picks the colour (met, missed, no_target, no_data)."""

    code: str
    label: str


@dataclass(frozen=True)
class Formatted:
    """A number with its own Excel format, for a column whose rows differ in unit (per cent, count, mean)."""

    value: int | float | Decimal | None
    number_format: str


@dataclass(frozen=True)
class ChartSpec:
    """A native chart over the sheet's own data rows: categories from one column, series from others."""

    title: str
    category_column: int  # 1-based
    value_columns: Sequence[int]  # 1-based; the header cell names each series
    kind: str = "bar"  # bar | line
    y_title: str = ""
    anchor_column: int | None = None  # where the chart is placed (default: two columns right of the data)
    rows: int | None = None  # only the first data rows (default: all of them)
    percent: bool = False  # a share: the value axis runs 0–100 whatever the data


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    chart: ChartSpec | None = None
    # Lines written above the header (report title, filters, the moment of the data); kept out of the filter.
    preamble: Sequence[str] = field(default_factory=tuple)


def _cell(sheet, value, column: Column):
    if isinstance(value, Formatted):
        return _cell(sheet, value.value, replace(column, number_format=value.number_format))
    if isinstance(value, Status):
        cell = WriteOnlyCell(sheet, value=value.label)
        cell.fill = STATUS_FILLS.get(value.code, STATUS_FILLS[NO_DATA])
        return cell
    cell = WriteOnlyCell(sheet, value=spreadsheet_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    elif isinstance(value, datetime):
        cell.number_format = column.number_format or DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = column.number_format or DATE_FORMAT
    elif isinstance(value, int | float | Decimal):
        cell.number_format = column.number_format or (INTEGER_FORMAT if isinstance(value, int) else DECIMAL_FORMAT)
    if column.wrap:
        cell.alignment = WRAP
    return cell


def _chart(spec: ChartSpec, sheet, header_row: int, last_row: int, width: int):
    chart = BarChart() if spec.kind == "bar" else LineChart()
    chart.title = spec.title
    chart.y_axis.title = spec.y_title or None
    chart.height, chart.width = 9, 18
    for column in spec.value_columns:
        data = Reference(sheet, min_col=column, min_row=header_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
    for series in chart.series:
        series.smooth = False  # a smoothed line invents values between the points
    if spec.percent:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.set_categories(Reference(sheet, min_col=spec.category_column, min_row=header_row + 1, max_row=last_row))
    anchor_column = spec.anchor_column or width + 2
    return chart, f"{get_column_letter(anchor_column)}{header_row}"


def _page_setup(sheet, *, header_row: int) -> None:
    """Printed on A4 landscape, every column on one page wide (as many pages down as it takes), the header row
    repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"


def workbook_write(*, sheets: Sequence[Sheet], file: IO[bytes]) -> int:
    """Write the sheets into `file` (a path-like or a binary file object); returns how many data rows."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    written = 0
    for spec in sheets:
        sheet = workbook.create_sheet(sheet_title(spec.title, used))
        _page_setup(sheet, header_row=len(spec.preamble) + 1)
        width = len(spec.columns)
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = len(spec.preamble) + 1
        last_column = get_column_letter(width)
        # Frozen panes and the filter are sheet properties: set before the first row is streamed.
        sheet.freeze_panes = f"A{header_row + 1}"
        for line in spec.preamble:
            cell = WriteOnlyCell(sheet, value=spreadsheet_safe(line))
            cell.data_type = "s"
            cell.font = Font(bold=line == spec.preamble[0])
            sheet.append([cell])
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(sheet, value=spreadsheet_safe(column.title))
            cell.data_type = "s"
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            header.append(cell)
        sheet.append(header)
        rows = 0
        for row in spec.rows:
            sheet.append([_cell(sheet, value, column) for value, column in zip(row, spec.columns, strict=False)])
            rows += 1
        last_row = header_row + max(rows, 1)
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
        if spec.chart is not None and rows:
            charted = min(rows, spec.chart.rows) if spec.chart.rows else rows
            chart, anchor = _chart(spec.chart, sheet, header_row, header_row + charted, width)
            sheet.add_chart(chart, anchor)
        written += rows
    workbook.save(file)
    return written
