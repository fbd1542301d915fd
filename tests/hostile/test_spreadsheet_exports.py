"""Formula injection in every spreadsheet the portal writes (personal-data exports, KPI reports): any text that
a spreadsheet would run (=, +, -, @, a leading tab or carriage return) is stored as inert text, while real
numbers, negative ones included, and dates stay numbers and dates. One helper decides: core.spreadsheets."""

import io
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_PREFIXES, spreadsheet_safe, spreadsheet_value, table_sheet
from participants.personal_data import ExportSection, export_xlsx
from reports.xlsx import Column, Sheet, workbook_write
from tests.hostile.helpers import PAYLOADS

# openpyxl refuses control characters other than tab, newline and carriage return in a cell.
CELL_TEXT = st.one_of(
    st.sampled_from(PAYLOADS).filter(lambda s: "\x00" not in s and "\x1b" not in s),
    st.builds(lambda p, rest: p + rest, st.sampled_from(FORMULA_PREFIXES), st.text(max_size=20)),
    st.text(max_size=30),
).map(lambda s: "".join(ch for ch in s if ord(ch) >= 32 or ch in "\t\n\r"))
NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
)
VALUES = st.one_of(CELL_TEXT, NUMBERS, st.dates(min_value=date(1900, 3, 1)), st.booleans(), st.none())


@given(text=st.text())
def test_spreadsheet_safe_neutralises_exactly_the_formula_starts(text):
    safe = spreadsheet_safe(text)
    assert not safe.startswith(FORMULA_PREFIXES)
    assert safe == ("'" + text if text.startswith(FORMULA_PREFIXES) else text)


@given(number=NUMBERS)
def test_numbers_stay_numbers(number):
    assert spreadsheet_value(number) == number


def _xml(text: str) -> str:
    # XML reads every line break back as «\n»; what matters here is the first character and the apostrophe.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _expected(value):
    if isinstance(value, str):
        return _xml(spreadsheet_safe(value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    return value


def _same(stored, expected) -> bool:
    if isinstance(expected, Decimal | float) and not isinstance(expected, bool):
        return abs(float(stored) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))
    if isinstance(expected, date):
        return stored.date() == expected
    if expected == "" or expected is None:
        return stored in (None, "")
    return _xml(stored) == expected if isinstance(stored, str) else stored == expected


def _assert_inert(cell, value):
    stored = cell.value
    assert cell.data_type != "f", f"a formula cell: {stored!r}"
    if isinstance(stored, str):
        assert not stored.startswith(FORMULA_PREFIXES)
    assert _same(stored, _expected(value)), (stored, value)


@given(rows=st.lists(st.tuples(VALUES, VALUES, CELL_TEXT), min_size=1, max_size=4), title=CELL_TEXT)
def test_personal_data_export_cells_are_inert(rows, title):
    section = ExportSection(key="x", title=title or "Раздел", rows=[{"А": a, "Б": b, "=В": c} for a, b, c in rows])
    sheet = load_workbook(io.BytesIO(export_xlsx([section]))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == ["А", "Б", "'=В"]
    for values, line in zip(rows, sheet.iter_rows(min_row=2), strict=True):
        for value, cell in zip(values, line, strict=True):
            _assert_inert(cell, value)


@given(rows=st.lists(st.tuples(VALUES, VALUES, CELL_TEXT), min_size=1, max_size=4), preamble=CELL_TEXT)
def test_report_workbook_cells_are_inert(rows, preamble):
    buffer = io.BytesIO()
    columns = [Column("=Столбец"), Column("Б"), Column("В")]
    workbook_write(sheets=[Sheet(title="Отчёт", columns=columns, rows=rows, preamble=[preamble or "-"])], file=buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    lines = list(sheet.iter_rows())
    assert lines[0][0].value == _xml(spreadsheet_safe(preamble or "-")) and lines[0][0].data_type != "f"
    assert lines[1][0].value == "'=Столбец"
    for values, line in zip(rows, lines[2:], strict=True):
        for value, cell in zip(values, line, strict=True):
            _assert_inert(cell, value)


@given(rows=st.lists(st.tuples(VALUES, VALUES, CELL_TEXT), min_size=1, max_size=4), title=CELL_TEXT)
def test_table_sheet_cells_are_inert(rows, title):
    """The cascade's yearly workbooks («Школа – Школе», «Траектория развития», the competence lab) write through
    core.spreadsheets.table_sheet: header and cells inert, the title a valid sheet name, the header frozen."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    table_sheet(book, set(), title or "Лист", ["=Столбец", "Б", "В"], rows, widths=(30, 12))
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["'=Столбец", "Б", "В"] and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30 and sheet.column_dimensions["B"].width == 12
    for values, line in zip(rows, sheet.iter_rows(min_row=2), strict=True):
        for value, cell in zip(values, line, strict=True):
            _assert_inert(cell, value)
