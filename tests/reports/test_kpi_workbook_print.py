"""The KPI workbook prints: a district's workbook converted to PDF by LibreOffice (as a management user checks it)
fits a bounded number of A4 landscape pages, each chart whole on a page of its own, wrapped text uncut.

LibreOffice is the Debian package libreoffice-calc-nogui, which .ci/run installs: without `soffice` the test is
skipped locally and fails under CI. It runs with a throwaway profile and a time limit.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from participants.models import User
from programs.models import Organisation
from reports.kpi import ORDER, PERCENT, KpiScope, KpiStatus, kpi_report
from reports.workbooks import kpi_workbook_build
from reports.xlsx import workbook_write
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


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _soffice() -> str | None:
    """LibreOffice's soffice; None under CI when it is missing (the test then fails), else a skip."""
    found = shutil.which("soffice")
    if found or _ci():
        return found
    pytest.skip("soffice is not installed (apt-get install libreoffice-calc-nogui); CI is not set, so skipping")


def _pdf(soffice: str, workbook: bytes, folder) -> list[str]:
    """The workbook printed to PDF by LibreOffice headless; the text of each page."""
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
    return [page.extract_text() for page in reader.pages]


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
    sheets, _rows = kpi_workbook_build(params, now=NOW)
    charts = {sheet.title: sheet.chart for sheet in sheets if sheet.chart is not None}
    categories = {
        sheet.title: [row[sheet.chart.category_column - 1] for row in sheet.rows] for sheet in sheets if sheet.chart
    }
    categories["Сводка"] = categories["Сводка"][: charts["Сводка"].rows]
    file = io.BytesIO()
    workbook_write(sheets=sheets, file=file)

    pages = _pdf(soffice, file.getvalue(), tmp_path)

    # The bound from the layout (docs/kpi-workbook.md): every sheet one page wide; the small sheets take a page
    # each (the summary two, the charted ones one more for the chart); a raw-data row is one 15-pt line and a
    # page holds at least 30 of them even unscaled, so 200 enrollments and 400 marks take at most 7 + 14 pages.
    # (21 cm less two 0.6-inch margins is 509 pt; less a three-line header of 45 pt, 30 rows of 15 pt.)
    rows_per_page = 30
    small = 2 + 1 + 1 + 1 + 1 + 1 + len(charts)  # summary, schools, seasons, quarters, activities, criteria
    bound = small + math.ceil(200 / rows_per_page) + math.ceil(400 / rows_per_page)
    assert bound == 30  # the workbook before fit-to-width printed 267 pages of this district
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

    # Wrapped text is never cut: each KPI's name and formula print whole on the summary's pages (before its chart).
    summary = "".join(squashed[: chart_page["Сводка"]])
    results = kpi_report(scope=KpiScope(year=2026, municipality_id=district["home"].pk), now=NOW)
    for result in results:
        assert _squash(result.name) in summary and _squash(result.formula) in summary, result.code
    # The summary's chart shows the orders' per-cent KPIs, by name.
    assert categories["Сводка"] == [r.name for r in results if r.group == ORDER and r.unit == PERCENT]
