"""The KPI workbook prints: a district's workbook converted to PDF by LibreOffice (as a management user checks it)
fits a bounded number of A4 landscape pages, its text at a readable size on every page, each chart whole on a page
of its own, wrapped text uncut.

LibreOffice is the Debian package libreoffice-calc-nogui, which .ci/run installs: without `soffice` the test is
skipped locally and fails under CI. It runs with a throwaway profile and a time limit.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from participants.models import User
from programs.models import Organisation
from reports.kpi import ORDER, PERCENT, KpiScope, KpiStatus, kpi_report
from reports.workbooks import kpi_workbook_build
from reports.xlsx import LINE_POINTS, POINTS_PER_CM, PRINT_HEIGHT_CM, Sheet, row_height, workbook_write
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # the fourth quarter of 2026
SCHOOLS, TEACHERS = 20, 300
CONVERT_SECONDS = 120
READABLE_POINTS = 7  # the smallest text a page may print: a by-organisation sheet of 40 columns printed at 1.6 pt


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _soffice() -> str | None:
    """LibreOffice's soffice; None under CI when it is missing (the test then fails), else a skip."""
    found = shutil.which("soffice")
    if found or _ci():
        return found
    pytest.skip("soffice is not installed (apt-get install libreoffice-calc-nogui); CI is not set, so skipping")


def _pdf(soffice: str, workbook: bytes, folder) -> PdfReader:
    """The workbook printed to PDF by LibreOffice headless."""
    source = folder / "kpi.xlsx"
    source.write_bytes(workbook)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder)]
        + [str(source)],
        check=True,
        capture_output=True,
        timeout=CONVERT_SECONDS,
    )
    reader = PdfReader(folder / "kpi.pdf")
    for page in reader.pages:  # A4 landscape: 297 × 210 mm
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    return reader


def _product(m: list[float], n: list[float]) -> list[float]:
    """Two PDF matrices [a b c d e f] multiplied (m then n)."""
    a, b, c, d, e, f = m
    return [a * n[0] + b * n[2], a * n[1] + b * n[3], c * n[0] + d * n[2], c * n[1] + d * n[3], 0.0, 0.0]


def _text_and_sizes(page) -> tuple[str, list[float]]:
    """A page's text and the printed size (points) of each piece of it: the font's size times the vertical scale of
    the text and graphics matrices, so a page scaled down to fit its columns shows as small as it prints."""
    sizes: list[float] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            matrix = _product(tm, cm)
            sizes.append(size * math.hypot(matrix[2], matrix[3]))

    return page.extract_text(visitor_text=visit), sizes


def _page_bound(sheet: Sheet) -> int:
    """The pages a sheet takes at most: its rows (at the heights the writer sets) laid on pages of 18 cm under the
    repeated header row, the preamble above the first — at full size, so the scaled print takes no more — and a
    page more for a chart."""
    room = PRINT_HEIGHT_CM * POINTS_PER_CM
    header = row_height([(column.title, replace(column, wrap=True)) for column in sheet.columns]) or LINE_POINTS
    pages, used = 1, header + LINE_POINTS * len(sheet.preamble)
    for row in sheet.rows:
        height = row_height(list(zip(row, sheet.columns, strict=False))) or LINE_POINTS
        if used + height > room:
            pages, used = pages + 1, header
        used += height
    return pages + (sheet.chart is not None)


def _squash(text: str) -> str:
    """Text without any white space: a cell's words wrap onto lines (even inside a long word) in the PDF."""
    return "".join(text.split())


@pytest.fixture
def soffice() -> str | None:
    return _soffice()  # before the district is built: a skip costs nothing


@pytest.fixture
def district():
    """A district: 20 schools and two kindergartens, 300 teachers, three seasons (two of them in 2026) with two
    intensives each, 100 participants per season, every one marked at both sessions."""
    home = MunicipalityFactory(name="Октябрьский")
    schools = [OrganisationFactory(municipality=home, short_name=f"МБОУ СОШ № {n}") for n in range(1, SCHOOLS + 1)]
    for n in (1, 2):
        OrganisationFactory(municipality=home, short_name=f"МБДОУ д/с № {n}", kind=Organisation.Kind.KINDERGARTEN)
    people = [
        PersonFactory(user=None, organisation=schools[n % SCHOOLS], experience_years=n % 9) for n in range(TEACHERS)
    ]
    for first, start in enumerate((2024, 2025, 2026)):
        season = SeasonFactory(
            program__municipality=home,
            program__organiser=schools[0],
            program__title=f"Прогрессивный педагог {start}",
            title=f"{start}–{start + 1}",
            starts_on=date(start, 9, 1),
            ends_on=date(start + 1, 5, 31),
        )
        sessions = [
            SessionFactory(
                activity=ActivityFactory(season=season, title=f"Интенсив {n + 1}"),
                starts_at=datetime(start, 10 + n, 5, 10, tzinfo=UTC),
            )
            for n in range(2)
        ]
        for person in people[first * 100 : first * 100 + 100]:
            enrollment = EnrollmentFactory(season=season, person=person)
            for session in sessions:
                AttendanceFactory(session=session, enrollment=enrollment)
    return {"home": home, "reader": UserFactory(role=User.Role.MANAGEMENT, municipality=home)}


def test_a_districts_workbook_prints_on_few_pages_each_chart_whole_on_a_page_of_its_own(soffice, district, tmp_path):
    if soffice is None:
        pytest.fail("CI is set but soffice is missing: .ci/run must install libreoffice-calc-nogui")
    params = {"user": district["reader"].pk, "year": 2026, "municipality": district["home"].pk}
    built, _rows = kpi_workbook_build(params, now=NOW)
    sheets = [replace(sheet, rows=list(sheet.rows)) for sheet in built]  # the raw sheets' rows, counted below
    charts = {sheet.title: sheet.chart for sheet in sheets if sheet.chart is not None}
    categories = {
        sheet.title: [row[sheet.chart.category_column - 1] for row in sheet.rows] for sheet in sheets if sheet.chart
    }
    categories["Сводка"] = categories["Сводка"][: charts["Сводка"].rows]
    file = io.BytesIO()
    workbook_write(sheets=sheets, file=file)

    printed = [_text_and_sizes(page) for page in _pdf(soffice, file.getvalue(), tmp_path).pages]
    pages = [text for text, _sizes in printed]

    # Every page readable: no text smaller than 7 pt, whatever the sheet (each keeps its columns within
    # reports.xlsx.READABLE_WIDTH, so the page's fit-to-width scale stays above 70 %).
    for number, (text, sizes) in enumerate(printed, start=1):
        assert sizes, number
        assert min(sizes) >= READABLE_POINTS, (number, round(min(sizes), 1), text[:60])

    # The bound from the layout (docs/kpi-workbook.md): every sheet one page wide, its rows at the heights the
    # writer gives them. The by-organisation long table (20 schools × every KPI) takes the most pages of the small
    # sheets; a chart takes a page of its own.
    bound = sum(_page_bound(sheet) for sheet in sheets)
    assert len(pages) <= bound

    squashed = [_squash(page) for page in pages]
    assert set(charts) == {"Сводка", "По кварталам"}
    chart_page = {}
    for sheet_title, chart in charts.items():
        # LibreOffice prints a chart on every page it reaches into: its whole title on exactly one page means
        # the chart is on one page, and not cut (no truncated title).
        (at,) = [n for n, text in enumerate(squashed) if _squash(chart.title) in text]
        chart_page[sheet_title] = at
        # Its axis shows every category once, and the table does not repeat them there: a page of its own.
        for label in categories[sheet_title]:
            assert squashed[at].count(_squash(label)) == 1, (sheet_title, label)
        for label in KpiStatus.LABELS.values():
            assert _squash(str(label)) not in squashed[at]

    # Wrapped text is never cut: each KPI's name and the portal's reading of its clause print whole on the
    # summary's pages (before its chart), its formula on the pages of «Формулы и источники».
    summary = "".join(squashed[: chart_page["Сводка"]])
    formulas = "".join(text for text in squashed if text.startswith(_squash("Показатель Формула Числитель")))
    results = kpi_report(scope=KpiScope(year=2026, municipality_id=district["home"].pk), now=NOW)
    for result in results:
        assert _squash(result.name) in summary and _squash(result.reading) in summary, result.code
        assert _squash(result.formula) in formulas, result.code
    assert any(result.reading for result in results)
    # The summary's chart shows the orders' per-cent KPIs, by name.
    assert categories["Сводка"] == [r.name for r in results if r.group == ORDER and r.unit == PERCENT]
    # The by-school pages: the long table's columns under a repeated header, every school of the district listed.
    schools = [text for text in squashed if text.startswith(_squash("Школа Показатель Значение Числитель"))]
    assert len(schools) > 1
    for n in range(1, SCHOOLS + 1):
        assert _squash(f"МБОУ СОШ № {n}") in "".join(schools)
