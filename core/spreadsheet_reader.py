"""Reading an uploaded spreadsheet (XLSX or CSV) within bounds: the one reader every import goes through.

A 1.7 KB workbook may declare `<dimension ref="A1:XFD1048576"/>`, or hold one row numbered 1048576, or one cell in
column XFD: openpyxl then pads every row to 16,384 columns and every missing row up to the last one, and a
request runs for minutes (docs/decisions/0004-input-bounds.md). Here the declared dimension is checked before a single row is
read, and the sheet's XML is then walked cell by cell: the first row or cell past the limits (which a sheet may
not declare, or declare falsely) stops the reading with a Russian message. Nothing is ever padded: a row is as
long as its last filled cell, missing rows are not produced, and each row's XML is dropped once read, so
neither time nor memory grows past `rows × columns` cells whatever the file claims.

The limits are settings (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_LINE_CHARS); a row limit counts the
sheet's rows, header included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class SpreadsheetRefused(Exception):
    """The file is refused before or while it is read; the message is for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadLimits:
    rows: int  # the last row number read, the header included
    columns: int
    line_chars: int = 65_536  # a CSV line, in characters

    @classmethod
    def from_settings(cls, *, rows: int | None = None) -> ReadLimits:
        """The configured limits; `rows` narrows the row limit for an import that takes fewer."""
        max_rows = settings.IMPORT_MAX_ROWS if rows is None else min(rows, settings.IMPORT_MAX_ROWS)
        return cls(rows=max_rows, columns=settings.IMPORT_MAX_COLUMNS, line_chars=settings.IMPORT_MAX_LINE_CHARS)


def _number(n: int) -> str:
    """1048576 as «1 048 576» (no-break spaces, as Russian typography groups digits)."""
    return f"{n:,}".replace(",", "\u00a0")


def _rows_counted(n: int) -> str:
    return ngettext("%(n)s строка", "%(n)s строк", n) % {"n": _number(n)}


def _columns_counted(n: int) -> str:
    return ngettext("%(n)s столбец", "%(n)s столбцов", n) % {"n": _number(n)}


def _at_most(limits: ReadLimits) -> dict:
    return {
        "max_rows": ngettext("%(n)s строки", "%(n)s строк", limits.rows) % {"n": _number(limits.rows)},
        "max_columns": ngettext("%(n)s столбца", "%(n)s столбцов", limits.columns) % {"n": _number(limits.columns)},
    }


def declared_too_large(sheet: str, rows: int, columns: int, limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "В листе «%(sheet)s» объявлено %(rows)s и %(columns)s; импорт принимает не более %(max_rows)s и "
            "%(max_columns)s. Удалите пустые строки и столбцы и сохраните файл заново."
        )
        % {"sheet": sheet, "rows": _rows_counted(rows), "columns": _columns_counted(columns), **_at_most(limits)}
    )


def row_too_far(sheet: str, row: int, limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "В листе «%(sheet)s» заполнена строка %(row)s; импорт принимает не более %(max_rows)s и "
            "%(max_columns)s. Удалите лишние строки (в том числе пустые, но оформленные) и сохраните файл заново."
        )
        % {"sheet": sheet, "row": _number(row), **_at_most(limits)}
    )


def column_too_far(sheet: str, row: int, column: int, limits: ReadLimits) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "В листе «%(sheet)s» в строке %(row)s заполнен столбец %(column)s; импорт принимает не более "
            "%(max_rows)s и %(max_columns)s. Удалите лишние столбцы (в том числе пустые, но оформленные) и "
            "сохраните файл заново."
        )
        % {"sheet": sheet, "row": _number(row), "column": _column_name(column), **_at_most(limits)}
    )


def _column_name(column: int) -> str:
    from openpyxl.utils import get_column_letter

    try:
        return get_column_letter(column)
    except ValueError:
        return str(column)


def _broken() -> SpreadsheetRefused:
    return SpreadsheetRefused(_("Не удалось открыть книгу Excel: файл повреждён."))


# --- XLSX -------------------------------------------------------------------------------------------------


def xlsx_rows(raw: bytes, *, limits: ReadLimits, formulas_as_text: bool = False) -> Iterator[tuple[int, list]]:
    """The rows of the workbook's first sheet as (row number, values up to the last filled cell); rows without
    cells are left out. Raises SpreadsheetRefused when the sheet declares, or turns out to hold, a row or a cell
    past `limits`; nothing past the limits is ever produced.

    formulas_as_text: a formula cell is read as its text («=A1*2»), never as a value someone computed.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=not formulas_as_text)
    except Exception as exc:  # zipfile, KeyError, ValueError and openpyxl's own types for a broken workbook
        raise _broken() from exc
    try:
        try:
            sheets = workbook.worksheets
        except Exception as exc:
            raise _broken() from exc
        if not sheets:
            raise SpreadsheetRefused(_("В книге Excel нет ни одного листа."))
        sheet = sheets[0]
        if not hasattr(sheet, "_get_source"):  # a chartsheet first: no cells to read
            raise SpreadsheetRefused(_("Первый лист книги — диаграмма, а не таблица: поставьте таблицу первой."))
        # Refused before any row is read: what the sheet says of itself.
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > limits.rows or declared_columns > limits.columns:
            raise declared_too_large(sheet.title, declared_rows, declared_columns, limits)
        yield from _sheet_rows(sheet, limits)
    finally:
        workbook.close()


def _sheet_rows(sheet, limits: ReadLimits) -> Iterator[tuple[int, list]]:
    """Walk the sheet's XML with openpyxl's own cell parser (values, shared strings, dates, formulas), but
    row by row and cell by cell, checking each against the limits before it is kept."""
    from openpyxl.worksheet._reader import CELL_TAG, DATA_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        path: list = []  # the open elements, root first
        row_number, row_values, last_column = 0, {}, 0
        try:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    path.append(element)
                    if element.tag == ROW_TAG and len(path) == 3 and path[1].tag == DATA_TAG:
                        number = int(element.get("r") or row_number + 1)
                        if number <= row_number:
                            raise _broken()  # rows out of order: no spreadsheet writes them
                        row_number, row_values, last_column = number, {}, 0
                        parser.row_counter, parser.col_counter = number, 0
                    elif element.tag == CELL_TAG and len(path) == 4 and path[2].tag == ROW_TAG:
                        if row_number > limits.rows:
                            raise row_too_far(sheet.title, row_number, limits)
                    continue
                path.pop()
                depth = len(path)
                if element.tag == CELL_TAG and depth == 3 and path[2].tag == ROW_TAG:
                    cell = parser.parse_cell(element)
                    column = cell["column"]
                    if cell["row"] != row_number or column <= last_column:
                        raise _broken()  # a cell outside its row, or cells out of order
                    if column > limits.columns:
                        raise column_too_far(sheet.title, row_number, column, limits)
                    last_column = column
                    if cell["value"] is not None:
                        row_values[column] = cell["value"]
                elif element.tag == ROW_TAG and depth == 2 and path[1].tag == DATA_TAG and row_values:
                    yield row_number, [row_values.get(c) for c in range(1, max(row_values) + 1)]
                # Drop what was read, down to whole cells: the tree iterparse builds stays as small as one cell.
                if 1 <= depth <= 3:
                    path[-1].remove(element)
        except SpreadsheetRefused:
            raise
        except Exception as exc:  # malformed XML, a shared string that is not there, a broken formula
            raise _broken() from exc


# --- CSV --------------------------------------------------------------------------------------------------


def _bounded_lines(text: str, limits: ReadLimits) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.line_chars:
            raise SpreadsheetRefused(
                _(
                    "Строка %(row)s файла CSV длиннее %(max)s знаков: это не похоже на таблицу. Проверьте, что файл "
                    "сохранён как CSV с разделителем «,» или «;»."
                )
                % {"row": _number(number), "max": _number(limits.line_chars)}
            )
        yield line


def csv_rows(text: str, *, delimiter: str, limits: ReadLimits) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV text as (record number, cells); blank records are left out. Raises
    SpreadsheetRefused at the first line longer than `limits.line_chars`, a record with more cells than
    `limits.columns`, or a filled record past `limits.rows`."""
    reader = csv.reader(_bounded_lines(text, limits), delimiter=delimiter)
    number = 0
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if number > limits.rows:
                raise SpreadsheetRefused(
                    _(
                        "В файле CSV заполнена строка %(row)s; импорт принимает не более %(max_rows)s и "
                        "%(max_columns)s. Разделите файл на части."
                    )
                    % {"row": _number(number), **_at_most(limits)}
                )
            if len(cells) > limits.columns:
                filled = max(i for i, cell in enumerate(cells, start=1) if cell.strip())
                if filled > limits.columns:
                    raise SpreadsheetRefused(
                        _(
                            "В строке %(row)s файла CSV %(columns)s; импорт принимает не более %(max_rows)s и "
                            "%(max_columns)s. Удалите лишние столбцы и сохраните файл заново."
                        )
                        % {"row": _number(number), "columns": _columns_counted(len(cells)), **_at_most(limits)}
                    )
                cells = cells[: limits.columns]
            yield number, cells
    except csv.Error as exc:
        raise SpreadsheetRefused(_("Файл CSV повреждён: %(error)s") % {"error": exc}) from exc
