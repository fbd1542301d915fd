"""The KPI workbook with the KPIs of «Школа – Школе» (сид 001): «Количество школ с низкими результатами обучения»
against the portal's default target (and its source on «Формулы и источники»), and the ШНОР schools' assessment
dynamics — read back with openpyxl and opened by LibreOffice headless (printed to PDF), as a reader's office suite
opens it."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from participants.models import User
from programs.services import organisation_low_results_mark
from projects.models import AssessmentResult
from projects.services_school_pairs import school_pair_create
from reports.workbooks import kpi_workbook_build
from reports.xlsx import workbook_write
from tests.factories import MunicipalityFactory, OrganisationFactory, SeasonFactory, SubjectFactory, UserFactory
from tests.reports.test_kpi_workbook_print import _pdf, _soffice, _squash

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LOW = "Количество школ с низкими результатами обучения"
DYNAMICS = "Доля школ ШНОР с положительной динамикой результатов оценочных процедур"


@pytest.fixture
def district():
    home = MunicipalityFactory(name="Московский район")
    schools = [OrganisationFactory(municipality=home, short_name=f"ГБОУ школа № {n}") for n in range(1, 5)]
    ids = [s.pk for s in schools]
    organisation_low_results_mark(organisation_ids=ids[:3], year=2025, low_results=True)
    organisation_low_results_mark(organisation_ids=ids[3:], year=2025, low_results=False)
    organisation_low_results_mark(organisation_ids=ids[:2], year=2026, low_results=True)
    organisation_low_results_mark(organisation_ids=ids[2:], year=2026, low_results=False)
    for school in schools:
        school.refresh_from_db()  # the current mark the service has just set
    season = SeasonFactory(program__municipality=home, starts_on=date(2025, 9, 1), ends_on=date(2026, 9, 30))
    school_pair_create(season=season, leader=schools[3], partner=schools[0], starts_on=date(2025, 9, 1))
    math = SubjectFactory(name="Математика")
    for year, share in ((2025, "21.0"), (2026, "13.7")):
        AssessmentResult.objects.create(
            organisation=schools[0],
            year=year,
            assessment="vpr",
            subject=math,
            grade=5,
            participants=50,
            average=Decimal("3.2"),
            low_share=Decimal(share),
        )
    return {"home": home, "reader": UserFactory(role=User.Role.MANAGEMENT, municipality=home)}


def _workbook(district) -> bytes:
    params = {"user": district["reader"].pk, "year": 2026, "municipality": district["home"].pk}
    sheets, _rows = kpi_workbook_build(params, now=NOW)
    file = io.BytesIO()
    workbook_write(sheets=sheets, file=file)
    return file.getvalue()


def test_the_summary_has_both_kpis_with_the_default_target_and_its_source(district):
    book = load_workbook(io.BytesIO(_workbook(district)))
    rows = {row[1]: row for row in book["Сводка"].iter_rows(values_only=True) if row and len(row) > 1}
    low = rows[LOW]
    assert low[2] == 2 and low[3] == "не более 2 шк. (меньше, чем 3 в 2025 году)" and low[4] == 2
    assert low[5] == "Достигнуто"
    assert "Цель портала по умолчанию — «не больше N − 1»" in low[8]
    dynamics = rows[DYNAMICS]
    assert (dynamics[2], dynamics[5], dynamics[6], dynamics[7]) == (100, "Цель не задана", 1, 1)
    sources = {row[0]: row for row in book["Формулы и источники"].iter_rows(values_only=True) if row}
    assert sources[LOW][-1] == (
        "Проект «Каскад инициативных проектов» ИМЦ Московского района, проект «Школа – Школе», ожидаемые "
        "результаты; значение портала по умолчанию, можно изменить"
    )


def test_libreoffice_opens_the_workbook_with_both_kpis(district, tmp_path):
    soffice = _soffice()
    if soffice is None:
        pytest.fail("CI is set but soffice is missing: .ci/run must install libreoffice-calc-nogui")
    text = _squash("".join(page.extract_text() for page in _pdf(soffice, _workbook(district), tmp_path).pages))
    for expected in (LOW, DYNAMICS, "не более 2 шк. (меньше, чем 3 в 2025 году)", "Достигнуто"):
        assert _squash(expected) in text, expected
