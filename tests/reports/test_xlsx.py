"""The KPI workbook writer: frozen header, filter, widths, Russian formats, status colours, a native chart,
neutralised formulas — checked by opening the file back with openpyxl (and its zip for the chart)."""

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from reports.kpi import KpiStatus
from reports.xlsx import (
    MET,
    MISSED,
    NO_BASELINE,
    PERCENT_FORMAT,
    STATUS_FILLS,
    ChartSpec,
    Column,
    Sheet,
    Status,
    row_height,
    sheet_title,
    workbook_write,
)


def _summary():
    return Sheet(
        title="Сводка",
        preamble=["Показатели: Октябрьский район, 2025", "Данные на 25.11.2026"],
        columns=[
            Column("Показатель", width=50, wrap=True),
            Column("Значение", number_format=PERCENT_FORMAT),
            Column("Цель", number_format=PERCENT_FORMAT),
            Column("Статус", width=16),
            Column("На дату"),
        ],
        rows=[
            ["Доля ДПО из реестра", 22.5, Decimal("20"), Status(MET, "Достигнуто"), date(2025, 12, 31)],
            ['=HYPERLINK("http://evil")', 10, 30, Status(MISSED, "Не достигнуто"), date(2025, 12, 31)],
        ],
        chart=ChartSpec(title="Значение и цель", category_column=1, value_columns=[2, 3]),
    )


def _write(*sheets) -> bytes:
    buffer = io.BytesIO()
    workbook_write(sheets=list(sheets), file=buffer)
    return buffer.getvalue()


def test_the_summary_sheet_opens_back_with_its_layout_and_formats():
    data = _write(_summary())
    sheet = load_workbook(io.BytesIO(data))["Сводка"]

    assert sheet["A1"].value == "Показатели: Октябрьский район, 2025" and sheet["A1"].font.b
    assert [c.value for c in sheet[3]] == ["Показатель", "Значение", "Цель", "Статус", "На дату"]
    assert all(c.font.b for c in sheet[3])
    assert sheet.freeze_panes == "A4"  # the header stays in view
    assert sheet.auto_filter.ref == "A3:E5"
    assert sheet.column_dimensions["A"].width == 50 and sheet.column_dimensions["D"].width == 16
    assert sheet["B4"].value == 22.5 and sheet["B4"].number_format == PERCENT_FORMAT
    assert sheet["C4"].value == 20
    assert sheet["E4"].is_date and sheet["E4"].number_format == "DD.MM.YYYY"
    assert sheet["D4"].value == "Достигнуто" and sheet["D4"].fill.fgColor.rgb.endswith("C8E6C9")
    assert sheet["D5"].value == "Не достигнуто" and sheet["D5"].fill.fgColor.rgb.endswith("FFCDD2")


def test_text_that_looks_like_a_formula_stays_text():
    sheet = load_workbook(io.BytesIO(_write(_summary())))["Сводка"]
    assert sheet["A5"].data_type == "s"
    assert sheet["A5"].value == '\'=HYPERLINK("http://evil")'


def test_the_chart_is_a_native_excel_chart_over_the_sheet_rows():
    data = _write(_summary())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert charts == ["xl/charts/chart1.xml"]
        xml = archive.read(charts[0]).decode()
    assert "<barChart>" in xml
    # Two series (value and target) over data rows 4–5, named by their header cells, categories from column A.
    assert re.findall(r"<f>(.*?)</f>", xml) == [
        "'Сводка'!B3",
        "'Сводка'!$A$4:$A$5",
        "'Сводка'!$B$4:$B$5",
        "'Сводка'!C3",
        "'Сводка'!$A$4:$A$5",
        "'Сводка'!$C$4:$C$5",
    ]


def test_a_large_raw_sheet_streams_rows_from_an_iterator():
    rows = ([n, f"Школа {n % 7}", date(2025, 1 + n % 12, 1), n % 2 == 0] for n in range(5000))
    raw = Sheet(
        title="Исходные данные",
        columns=[Column("№"), Column("Школа", width=30), Column("Дата"), Column("Из реестра")],
        rows=rows,
    )
    buffer = io.BytesIO()
    assert workbook_write(sheets=[raw], file=buffer) == 5000
    sheet = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)["Исходные данные"]
    values = list(sheet.iter_rows(min_row=2, max_row=3, values_only=True))
    assert values[0][:2] == (0, "Школа 0") and values[0][3] == "да" and values[1][3] == "нет"
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 5001


def test_sheet_titles_follow_excels_rules():
    used = set()
    assert sheet_title("Посещаемость по мероприятиям: март/апрель [2025]", used) == "Посещаемость по мероприятиям  м"
    # 31 characters at most, the counter included.
    assert sheet_title("Посещаемость по мероприятиям  м", used) == "Посещаемость по мероприятия (2)"
    assert sheet_title("", used) == "Лист"


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_repeated():
    raw = Sheet(title="Посещаемость", columns=[Column("ФИО"), Column("Отметка")], rows=[["Иванова", "Был"]])
    book = load_workbook(io.BytesIO(_write(_summary(), raw)))

    for name, header_row in (("Сводка", 3), ("Посещаемость", 1)):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # "9": A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == f"${header_row}:${header_row}"


def test_a_share_chart_runs_0_to_100_and_its_lines_are_not_smoothed():
    spec = _summary()
    spec.chart = ChartSpec(title="По кварталам", category_column=1, value_columns=[2, 3], kind="line", percent=True)
    with zipfile.ZipFile(io.BytesIO(_write(spec))) as archive:
        chart = next(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart"))

    # openpyxl writes the chart XML in the default namespace (no «c:» prefix).
    assert re.search(r'<min val="0(\.0)?"', chart) and re.search(r'<max val="100(\.0)?"', chart)
    assert '<smooth val="1"' not in chart and '<smooth val="0"' in chart


def test_a_row_is_as_tall_as_its_longest_wrapped_cell():
    long = "учителя, освоившие к концу года программу ДПО из Федерального реестра, подобранную по диагностике"
    narrow, wide = Column("Формула", width=20, wrap=True), Column("Числитель", width=60, wrap=True)
    # 20 units hold 18 characters a line: the 97 characters take 7 lines of 15 pt; 60 units hold them in 2.
    assert row_height([(long, narrow)]) == 7 * 15
    assert row_height([(long, wide), ("коротко", narrow)]) == 2 * 15
    assert row_height([(long, Column("Без переноса", width=20))]) is None  # not wrapped: the default height
    assert row_height([("Укомплектованность", Column("Узкая", width=10, wrap=True))]) == 2 * 15  # a long word
    assert row_height([("первая\nвторая\nтретья", wide)]) == 3 * 15

    sheet = Sheet(title="Т", columns=[Column("Показатель"), narrow], rows=[["Доля", long], ["Доля", "коротко"]])
    book = load_workbook(io.BytesIO(_write(sheet)))["Т"]
    assert book.row_dimensions[2].height == 105 and book.row_dimensions[3].height is None


def test_a_chart_starts_a_page_below_the_data_with_its_series_named():
    spec = _summary()
    spec.chart = ChartSpec(
        title="Значение и цель", category_column=1, value_columns=[2, 3], series_titles=["Значение", "Цель"]
    )
    data = _write(spec)
    sheet = load_workbook(io.BytesIO(data))["Сводка"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()

    # Data rows 4–5, a blank row, the page break after row 6 and the chart from row 8 (zero-based 7).
    assert [brk.id for brk in sheet.row_breaks.brk] == [6]
    (chart,) = sheet._charts
    assert chart.anchor._from.row == 7 and chart.anchor._from.col == 0
    assert re.findall(r"<tx><v>(.*?)</v></tx>", xml) == ["Значение", "Цель"]
    assert '<legendPos val="b"' in xml


def test_a_missing_base_year_value_is_coloured_amber_as_the_dashboards_warning():
    sheet = Sheet(
        title="Сводка",
        columns=[Column("Показатель"), Column("Статус", width=28)],
        rows=[["Методические объединения", Status(NO_BASELINE, str(KpiStatus.LABELS[KpiStatus.NO_BASELINE]))]],
    )
    cell = load_workbook(io.BytesIO(_write(sheet)))["Сводка"]["B2"]

    assert NO_BASELINE == KpiStatus.NO_BASELINE
    assert cell.value == "Не внесено базовое значение" and cell.fill.fgColor.rgb.endswith("FFE0B2")
    # Every status the KPI engine reports has a fill of its own; only «no data» falls back to grey.
    assert set(KpiStatus.LABELS) <= set(STATUS_FILLS)


def _cell_path_sheet_xml(sheets) -> bytes:
    """The sheets written the way openpyxl writes cells: a cell object per value (`_cell`), appended row by row."""
    from dataclasses import replace

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from reports.xlsx import HEADER_FILL, HEADER_FONT, WRAP, _append, _cell

    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        header = []
        for column in spec.columns:
            cell = WriteOnlyCell(sheet, value=column.title)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            header.append(cell)
        _append(sheet, header, [(c.title, replace(c, wrap=True)) for c in spec.columns], 1)
        for number, row in enumerate(spec.rows, start=2):
            cells = [_cell(sheet, value, column) for value, column in zip(row, spec.columns, strict=False)]
            _append(sheet, cells, list(zip(row, spec.columns, strict=False)), number)
    data = io.BytesIO()
    workbook.save(data)
    with zipfile.ZipFile(data) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    return re.search(rb"<sheetData>.*</sheetData>", xml, re.S).group(0)


def test_streamed_rows_are_the_cells_openpyxl_writes_byte_for_byte():
    from datetime import datetime, time

    from reports.xlsx import INTEGER_FORMAT, Formatted

    values = [
        None,
        "",
        "  с пробелами ",
        "=СУММ(A1)",
        "+7 900 000-00-00",
        "многострочный\nтекст",
        "«кавычки» & <угловые> скобки",
        "строка\r\nс возвратом каретки\tи табуляцией",
        "знаки вне BMP: 😀",
        "длинный текст ячейки " * 6,
        True,
        False,
        0,
        -3,
        2.5,
        Decimal("1.25"),
        date(2025, 1, 2),
        datetime(2025, 3, 4, 5, 6),
        Formatted(12.5, PERCENT_FORMAT),
        Formatted(None, PERCENT_FORMAT),
        Formatted(3, INTEGER_FORMAT),
        Status(MET, "выполнено"),
        Status(MISSED, "не выполнено, и подпись длиннее ширины столбца"),
        Status("=1+1", "=1+1"),  # openpyxl makes this a formula cell: the row goes through its cell path
        time(18, 30),  # a kind of value the row writer leaves to openpyxl
    ]
    columns = [
        Column("Текст", 16, wrap=True),
        Column("Число", 12, INTEGER_FORMAT),
        Column("Смесь", 14),
        Column("Статус", 14, wrap=True),
    ]
    rows = [[values[(i + k * 5) % len(values)] for k in range(len(columns))] for i in range(len(values) * 2)]
    sheet = Sheet(title="Данные", columns=columns, rows=rows)
    data = io.BytesIO()
    workbook_write(sheets=[sheet], file=data)
    with zipfile.ZipFile(data) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    streamed = re.search(rb"<sheetData>.*</sheetData>", xml, re.S).group(0)
    expected = _cell_path_sheet_xml([sheet])
    assert b"<v>" in streamed and b"inlineStr" in streamed and b"<f>" in streamed
    assert streamed == expected
