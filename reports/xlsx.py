"""Spreadsheets of the KPI reports, written with openpyxl in write-only mode.

Write-only mode streams rows to disk as they come, so a 100,000-row raw-data sheet costs little memory; the
price is that everything about a sheet (widths, frozen header, filter, styles) is set before its rows.
Every sheet gets a bold frozen header row, an autofilter over its columns and set widths; dates use the
Russian ДД.ММ.ГГГГ format; a status column is coloured (met green, missed red, no baseline amber); a sheet may
carry a native Excel chart over its own columns. Text that looks like a formula is neutralised (CSV/formula injection).

Printing (docs/kpi-workbook.md): A4 landscape, every column on one page wide, the header row repeated; a row
with wrapped text is as tall as its longest cell needs (LibreOffice does not size rows a writer left unsized, and
its text would be cut); a chart starts a page of its own below the data and is never taller than one page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, IllegalCharacterError
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.compat import safe_string
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from core.spreadsheets import sheet_title, spreadsheet_safe, spreadsheet_value

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = '0.0" %"'  # the KPI values are already in per cent (12.5 means 12.5 %)

MET, MISSED, NO_TARGET, NO_DATA, ENDED = "met", "missed", "no_target", "no_data", "ended"
NO_BASELINE = "no_baseline"  # reports.kpi.KpiStatus.NO_BASELINE: a warning on the dashboard, amber here
NO_PREVIOUS = "no_previous"  # reports.kpi.KpiStatus.NO_PREVIOUS: the same
STATUS_FILLS = {
    ENDED: PatternFill("solid", fgColor="ECEFF1"),
    MET: PatternFill("solid", fgColor="C8E6C9"),
    MISSED: PatternFill("solid", fgColor="FFCDD2"),
    NO_TARGET: PatternFill("solid", fgColor="ECEFF1"),
    NO_DATA: PatternFill("solid", fgColor="ECEFF1"),
    NO_BASELINE: PatternFill("solid", fgColor="FFE0B2"),
    NO_PREVIOUS: PatternFill("solid", fgColor="FFE0B2"),
}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
WRAP = Alignment(wrap_text=True, vertical="top")

# The printed page: A4 landscape with these margins (inches), so this much room for the sheet (centimetres).
MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
PRINT_WIDTH_CM = 29.7 - 2.54 * (MARGINS.left + MARGINS.right)
PRINT_HEIGHT_CM = 21.0 - 2.54 * (MARGINS.top + MARGINS.bottom)
# Row heights of wrapped text. A column's width counts digits «0» of the sheet's font (Calibri 11; DejaVu Sans
# stands in where Calibri is missing, as on a server running LibreOffice): an average Cyrillic letter is about as
# wide as a digit in both, capitals and bold headers a little wider, so a line holds 0.9 characters per unit of
# width. A line of 11-point text takes 15 points, Excel's default row height.
CHARS_PER_WIDTH = 0.9
LINE_POINTS = 15.0
MAX_ROW_POINTS = 409.0  # Excel's limit
POINTS_PER_CM = 72 / 2.54
CHART_ASPECT = 0.6  # a chart's height to its width, when the page leaves room for it
CHART_TEXT_POINTS = 10  # a chart's text as printed, whatever the page's scale
# The most columns' width (in digits) a page holds with the text still printed at 8 pt: LibreOffice without
# Calibri measures a column in digits of DejaVu Sans (9.3 pixels, not 7), so 27.2 cm of page hold 110 digits at
# full size and 150 at 73 % of it, where 11-point text prints at 8 pt. Every sheet of the KPI workbook keeps to it.
READABLE_WIDTH = 150


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    # An Excel number format for the column's numbers and dates (None: by the value's type).
    number_format: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Status:
    """A status cell: the words shown and the code that picks the colour (met, missed, no_target, no_data,
    ended, no_baseline, no_previous)."""

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
    anchor_column: int | None = None  # where the chart is placed (default: column A, on a page below the data)
    rows: int | None = None  # only the first data rows (default: all of them)
    percent: bool = False  # a share: the value axis runs 0–100 whatever the data
    # The series' names in the legend, one per value column (default: the header cells).
    series_titles: Sequence[str] = ()
    horizontal: bool = False  # bars across the page, the categories one under another (long names)


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
        if column.wrap:
            cell.alignment = WRAP
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


def _column_cm(width: float) -> float:
    """A column's printed width: `width` digits of 7 pixels plus 5 pixels of padding, at 96 pixels an inch."""
    return (width * 7 + 5) * 2.54 / 96


@lru_cache(maxsize=8192)
def _lines(text: str, width: float) -> int:
    """How many lines a wrapped cell takes: words laid greedily on lines of the column's width, a word longer
    than a line broken across lines (as LibreOffice does)."""
    room = max(1, int(width * CHARS_PER_WIDTH))
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= room:
                used = need
                continue
            if used:
                lines += 1
            lines += (len(word) - 1) // room
            used = len(word) - ((len(word) - 1) // room) * room
    return lines


def row_height(texts: Sequence[tuple[object, Column]]) -> float | None:
    """The height in points a row needs for its wrapped cells (None: no wrapped text, the default height)."""
    lines = 0
    for value, column in texts:
        if isinstance(value, Status):
            value = value.label
        if column.wrap and isinstance(value, str) and value:
            lines = max(lines, _lines(value, column.width))
    if lines <= 1:
        return None
    return min(MAX_ROW_POINTS, lines * LINE_POINTS)


def _chart(spec: ChartSpec, sheet, header_row: int, last_row: int, columns: Sequence[Column], header_points: float):
    """The chart below the data, at the top of a page of its own (a manual break before it): as wide as the
    printed columns and no taller than what the page leaves under the repeated header row."""
    chart = BarChart() if spec.kind == "bar" else LineChart()
    if spec.kind == "bar" and spec.horizontal:
        chart.type = "bar"
        chart.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    chart.title = spec.title
    chart.y_axis.title = spec.y_title or None
    chart.x_axis.delete = chart.y_axis.delete = False  # Excel hides axes openpyxl leaves undecided
    chart.legend.position = "b"
    for index, column in enumerate(spec.value_columns):
        data = Reference(sheet, min_col=column, min_row=header_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        if index < len(spec.series_titles):
            chart.series[index].tx = SeriesLabel(v=spec.series_titles[index])
    for series in chart.series:
        series.smooth = False  # a smoothed line invents values between the points
    if spec.percent:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.set_categories(Reference(sheet, min_col=spec.category_column, min_row=header_row + 1, max_row=last_row))
    chart.width, chart.height, scale = chart_size(columns, header_points)
    _text_size(chart, CHART_TEXT_POINTS / scale)
    return chart


def chart_size(columns: Sequence[Column], header_points: float) -> tuple[float, float, float]:
    """Width and height (cm, on the sheet) of a chart that prints on one page, and the page's scale: as wide as
    the columns (the page is scaled to fit them), as tall as the scaled page leaves below the header row, with a
    tenth to spare for the spreadsheet's own rounding of widths."""
    content = sum(_column_cm(column.width) for column in columns)
    scale = min(1.0, PRINT_WIDTH_CM / content)
    room = PRINT_HEIGHT_CM / scale - (header_points + LINE_POINTS) / POINTS_PER_CM  # the header and a blank row
    return content, min(content * CHART_ASPECT, room * 0.9), scale


def _text_size(chart, points: float) -> None:
    """Every text of the chart at `points`: a page scaled down to fit its columns prints them at 10 pt still."""
    size = int(round(points * 100))

    def rich() -> RichText:
        return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size)), endParaRPr=None)])

    chart.x_axis.txPr, chart.y_axis.txPr, chart.legend.txPr = rich(), rich(), rich()
    for title in (chart.title, chart.x_axis.title, chart.y_axis.title):
        for paragraph in title.tx.rich.p if title is not None else ():
            paragraph.pPr = ParagraphProperties(defRPr=CharacterProperties(sz=size, b=True))
            for run in paragraph.r or ():
                run.rPr = CharacterProperties(sz=size, b=True)


def _page_setup(sheet, *, header_row: int) -> None:
    """Printed on A4 landscape, every column on one page wide (as many pages down as it takes), the header row
    repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins = MARGINS


def _append(sheet, cells: list, texts: Sequence[tuple[object, Column]], index: int) -> float | None:
    """Stream one row, as tall as its wrapped text needs. Write-only sheets read a row's height when the row is
    written, so it is set just before and dropped just after (no per-row memory on a 200,000-row sheet)."""
    height = row_height(texts)
    if height is not None:
        sheet.row_dimensions[index].height = height
    sheet.append(cells)
    sheet.row_dimensions.pop(index, None)
    return height


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer with its lxml stream on a file object of its own, so that `_RowWriter` can put
    the data rows into the same file as ready-made XML text between the elements lxml writes (after `flush()`)."""

    file: IO[bytes]

    def get_stream(self):
        with open(self.out, "wb") as self.file, xmlfile(self.file) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        element = yield
                        if element is True:
                            yield xf
                        elif element is not None:
                            xf.write(element)
                except GeneratorExit:
                    pass


def _escape(text: str) -> str:
    """Text content as lxml writes it into the sheet (ASCII): &, <, > and the carriage return escaped, every other
    character outside ASCII as a character reference (&#1055; for «П»)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


class _RowWriter:
    """Writes a sheet's data rows as XML text straight into the sheet's file: the bytes openpyxl's cells would give.

    openpyxl's own path builds a cell object per value, hashes its font, fill, alignment and number format into the
    workbook's style tables and then asks for its style id again at writing: most of a 200,000-row sheet's time;
    lxml elements per cell still cost a dozen Python calls each. Here a column's style for a kind of value (its type;
    a Formatted's number format; a Status's code) is taken from the cell that `_cell` makes for the first such
    value, so styles, formats and their order in the workbook are those of the cell path, and a text, a status or a
    date met again in a column (a program, a session, a school, a date) is escaped and measured once. The text is
    encoded as lxml encodes the sheet (ASCII, other characters as character references) when it is first escaped, so
    the file is the same byte for byte. A row holding a value of a kind outside the common ones goes through
    openpyxl's cell writer.
    """

    BATCH = 256  # rows of text gathered before one write to the file
    KNOWN = 4096  # texts remembered per column; forgotten beyond that, so memory stays flat on any sheet

    def __init__(self, sheet, columns: Sequence[Column]):
        self.sheet = sheet
        self.columns = columns
        self.refs = [f'<c r="{get_column_letter(index)}' for index in range(1, len(columns) + 1)]
        self.epoch = sheet.parent.epoch
        self.styles: dict[tuple, str | None] = {}
        self.heights: dict[float, str] = {}
        # Per column: a text, status or date -> the cell's XML after its row number, and the lines it wraps to.
        self.known: list[dict] = [{} for _ in columns]
        self.pending: list[str] = []
        self.file = sheet._writer.file
        self.xf = None  # the sheet's lxml stream, handed to write_row

    def write_row(self, xf, row: Sequence, row_idx: int) -> None:
        """openpyxl's WorksheetWriter.write_row for a row of plain values (not cells)."""
        self.xf = xf
        suffix = f"{row_idx}"
        cells = []
        lines = 1
        for index, value in zip(range(len(self.columns)), row, strict=False):
            known = self.known[index]
            found = known.get(value) if type(value) in _KNOWN_TYPES else None
            if found is None:
                found = self._cell_text(value, index)
                if found is None:
                    self._write_cells(xf, row, row_idx)
                    return
                if type(value) in _KNOWN_TYPES:
                    if len(known) >= self.KNOWN:
                        known.clear()
                    known[value] = found
            text, wrapped = found
            if text:
                cells.append(self.refs[index] + suffix + text)
            if wrapped > lines:
                lines = wrapped
        height = self._height(min(MAX_ROW_POINTS, lines * LINE_POINTS), row_idx) if lines > 1 else ""
        if cells:
            self.pending.append(f'<row r="{suffix}"{height}>{"".join(cells)}</row>')
        else:
            self.pending.append(f'<row r="{suffix}"{height}/>')
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the gathered rows after whatever lxml still holds."""
        if self.pending:
            self.xf.flush()
            self.file.write("".join(self.pending).encode("ascii"))
            self.pending.clear()

    def _height(self, height: float, row_idx: int) -> str:
        """The row's height attributes as openpyxl writes them (from a row dimension), made once per height."""
        found = self.heights.get(height)
        if found is None:
            dimension = self.sheet.row_dimensions[row_idx]
            dimension.height = height
            found = self.heights[height] = "".join(f' {name}="{value}"' for name, value in dimension)
            self.sheet.row_dimensions.pop(row_idx, None)
        return found

    def _style(self, key: tuple, value, column: Column) -> str | None:
        """The style id of a column's cells of one kind: from the cell `_cell` makes (its fonts, fills, formats
        registered with the workbook as the cell path registers them)."""
        cell = _cell(self.sheet, value, column)
        style = self.styles[key] = f"{cell.style_id}" if cell.has_style else None
        return style

    def _cell_text(self, value, index: int) -> tuple[str, int] | None:
        """The cell's XML after its row number ("" when openpyxl leaves the cell out) and the lines its wrapped
        text takes (as `row_height` counts them); None for a value the cell path must write."""
        column = self.columns[index]
        if isinstance(value, Formatted):
            key, plain = (index, Formatted, value.number_format, type(value.value)), value.value
        elif isinstance(value, Status):
            if value.label.startswith(("=", "#")):  # a formula or an error code to openpyxl
                return None
            key, plain = (index, Status, value.code), value.label
        else:
            key, plain = (index, type(value)), value
        if type(plain) not in _FAST_TYPES:
            return None
        style = self.styles[key] if key in self.styles else self._style(key, value, column)
        wrapped = 1
        if column.wrap and isinstance(plain, str) and plain and not isinstance(value, Formatted):
            wrapped = _lines(plain, column.width)
        if not isinstance(value, Status):
            plain = spreadsheet_value(plain)
        if plain is None and style is None:
            return "", wrapped  # openpyxl leaves out an empty cell without a style
        attrs = f'" s="{style}"' if style is not None else '"'
        if plain is None:
            return f'{attrs} t="n"></c>', wrapped  # as openpyxl writes an empty styled cell
        if isinstance(plain, str):
            plain = plain[:32767]  # as openpyxl's Cell.check_string
            if ILLEGAL_CHARACTERS_RE.search(plain):
                raise IllegalCharacterError(f"{plain} cannot be used in worksheets.")
            if not plain:
                return f'{attrs} t="inlineStr"></c>', wrapped
            space = ' xml:space="preserve"' if plain != plain.strip() else ""
            return f'{attrs} t="inlineStr"><is><t{space}>{_escape(plain)}</t></is></c>', wrapped
        if isinstance(plain, date):
            plain = to_excel(plain, self.epoch)
        return f'{attrs} t="n"><v>{_escape(safe_string(plain))}</v></c>', wrapped

    def _write_cells(self, xf, row: Sequence, row_idx: int) -> None:
        """The row through openpyxl's cells and cell writer (a value of an uncommon kind)."""
        from openpyxl.cell._writer import write_cell

        self.flush()
        pairs = list(zip(row, self.columns, strict=False))
        attrs = {"r": f"{row_idx}"}
        height = row_height(pairs)
        if height is not None:
            dimension = self.sheet.row_dimensions[row_idx]
            dimension.height = height
            attrs.update(dimension)
            self.sheet.row_dimensions.pop(row_idx, None)
        with xf.element("row", attrs):
            for index, (value, column) in enumerate(pairs, start=1):
                cell = _cell(self.sheet, value, column)
                cell.column, cell.row = index, row_idx
                if cell._value is not None or cell.has_style:
                    write_cell(xf, self.sheet, cell, cell.has_style)
        xf.flush()


# The values the row writer writes itself; anything else goes through openpyxl's cell writer.
_FAST_TYPES = frozenset({type(None), str, bool, int, float, Decimal, date, datetime})
# The values whose cell text a column remembers: they repeat down a raw-data sheet, and no two of these types hold
# equal values (unlike 1, 1.0 and True, which would share one entry of a dict).
_KNOWN_TYPES = frozenset({str, Status, date})


def _stream_rows(sheet, spec: Sheet) -> int:
    """Stream the sheet's data rows (after its header) through `_RowWriter`; returns how many.

    The write-only sheet's append() hands each row to its writer's write_row() as cells made by _values_to_row();
    both are swapped on this sheet, once its header is written, for the row writer taking the plain values.
    """
    writer = _RowWriter(sheet, spec.columns)
    sheet._values_to_row = lambda values, row_idx: values
    sheet._writer.write_row = writer.write_row
    rows = 0
    for row in spec.rows:
        sheet.append(row if isinstance(row, list | tuple) else list(row))
        rows += 1
    writer.flush()
    return rows


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
        sheet._writer = _SheetWriter(sheet)  # what the sheet's first append() would make, on a file of its own
        sheet._writer.write_top()
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
        header_points = _append(sheet, header, [(c.title, replace(c, wrap=True)) for c in spec.columns], header_row)
        rows = _stream_rows(sheet, spec)
        last_row = header_row + max(rows, 1)
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
        if spec.chart is not None and rows:
            charted = min(rows, spec.chart.rows) if spec.chart.rows else rows
            chart = _chart(
                spec.chart, sheet, header_row, header_row + charted, spec.columns, header_points or LINE_POINTS
            )
            # A page of its own: a break after the blank row under the data, the chart a row below the page's
            # top (LibreOffice prints an object on every page its edge touches, so not on the break itself).
            sheet.row_breaks.append(Break(id=last_row + 1))
            sheet.add_chart(chart, f"{get_column_letter(spec.chart.anchor_column or 1)}{last_row + 3}")
        written += rows
    workbook.save(file)
    return written
