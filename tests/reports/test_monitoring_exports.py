"""The half-year monitoring report as PDF (read back with pypdf) and XLSX (read back with openpyxl): the order's
title and clause, the period, the municipality, the indicators, the analysis, the recommendations, the
signature lines; the XLSX printed A4 landscape, with the half before side by side."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import KpiSnapshot, KpiTarget
from reports.monitoring import kpi_half_year_snapshots_take, monitoring_analysis_save, monitoring_recommendation_add
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, roster_of
from tests.reports.dashboard_world import coordinator, pd

pytestmark = pytest.mark.django_db
FR_DIAG = "dpo-federal-registry-diagnostics"
ANALYSIS = "Доля педагогов, освоивших программы ДПО, выросла до 25 процентов."


@pytest.fixture
def w():
    m = MunicipalityFactory(name="Октябрьский район", time_zone="Asia/Yekaterinburg")
    school = OrganisationFactory(municipality=m, short_name="Школа № 1")
    teachers = [PersonFactory(organisation=school) for _i in range(4)]
    for teacher in teachers:
        roster_of(teacher, 2025)  # the 2025 staff roster: the order KPIs' denominator
    pd(teachers[0], date(2025, 3, 1), in_federal_registry=True, based_on_diagnostics=True)
    pd(teachers[1], date(2025, 9, 1), in_federal_registry=True, based_on_diagnostics=True)
    KpiTarget.objects.create(
        code=FR_DIAG, title="Доля", municipality=m, year=2025, value=Decimal("20"), source="Приказ № 1063-од, п. 6.2"
    )
    kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 0, 30, tzinfo=UTC))
    kpi_half_year_snapshots_take(now=datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
    first = KpiSnapshot.objects.get(municipality=m, half=1)
    second = KpiSnapshot.objects.get(municipality=m, half=2)
    now = datetime(2026, 1, 10, 9, tzinfo=UTC)
    monitoring_analysis_save(snapshot=second, analysis=ANALYSIS, by=None, now=now)
    monitoring_recommendation_add(
        snapshot=second,
        organisation=school,
        addressee_group="Молодые педагоги",
        text="Включить диагностику компетенций в план",
        due_on=date(2026, 3, 31),
        responsible="Заместитель директора по УВР",
        by=None,
        now=now,
    )
    return {"m": m, "first": first, "second": second, "coordinator": coordinator(m)}


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_frozen_values_are_the_years(w):
    # Up to 30 June: 1 of 4 (25 %, met); up to 31 December: 2 of 4 (50 %).
    assert w["first"].values[FR_DIAG]["value"] == 25.0 and w["second"].values[FR_DIAG]["value"] == 50.0


def test_pdf_reads_back_with_the_order_indicators_analysis_and_recommendations(client, w):
    client.force_login(w["coordinator"])
    response = client.get(reverse("monitoring_pdf", args=[w["second"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response.content)
    for expected in (
        "Мониторинг эффективности муниципальной методической службы",
        "Приказ № 1063-од от 23.11.2023",
        "п. 7.3, 7.5",
        "Октябрьский район",
        "2-е полугодие 2025",
        "Доля педагогов, освоивших программы ДПО из Федерального реестра",
        "50 %",
        "2 / 4",
        "не менее 20 %",
        "Достигнуто",
        "Достигнуто Приказ № 1063-",  # the target's clause; the narrow column may break the line at its hyphen
        ANALYSIS,
        "Школа № 1; Молодые педагоги",
        "Включить диагностику компетенций в план",
        "31.03.2026",
        "Составил",
        "Утвердил",
    ):
        assert expected in text, expected


def test_xlsx_reads_back_landscape_with_the_comparison(client, w):
    client.force_login(w["coordinator"])
    response = client.get(reverse("monitoring_xlsx", args=[w["second"].pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Показатели", "Анализ и рекомендации", "Сравнение полугодий"]
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    indicators = book["Показатели"]
    cells = [row for row in indicators.iter_rows(values_only=True)]
    assert cells[0][0] == "Мониторинг эффективности муниципальной методической службы"
    assert any("п. 7.3, 7.5" in (row[0] or "") for row in cells[:5])
    assert "Муниципалитет: Октябрьский район" in [row[0] for row in cells[:5]]
    header_at = next(i for i, row in enumerate(cells) if row[0] == "№")
    header = list(cells[header_at])
    rows = {row[1]: dict(zip(header, row, strict=False)) for row in cells[header_at + 1 :]}
    registry = next(v for k, v in rows.items() if k.startswith("Доля педагогов, освоивших программы ДПО"))
    assert registry["Значение"] == 50.0 and registry["Числитель"] == 2 and registry["Знаменатель"] == 4
    assert registry["Цель"] == "не менее 20 %" and registry["Статус"] == "Достигнуто"
    assert registry["Источник цели"] == "Приказ № 1063-од, п. 6.2"

    analysis = [row for row in book["Анализ и рекомендации"].iter_rows(values_only=True)]
    assert any(row[0] == ANALYSIS for row in analysis)
    assert any(row[2] == "Включить диагностику компетенций в план" for row in analysis)
    assert any(row[1] == "Утвердил" for row in analysis)

    comparison = [row for row in book["Сравнение полугодий"].iter_rows(values_only=True)]
    head_at = next(i for i, row in enumerate(comparison) if row[0] == "Показатель")
    assert comparison[head_at][1:3] == ("1-е полугодие 2025", "2-е полугодие 2025")
    line = next(row for row in comparison if (row[0] or "").startswith("Доля педагогов, освоивших программы ДПО"))
    assert line[1:4] == (25.0, 50.0, 25.0)


def test_xlsx_without_a_half_before_has_no_comparison_sheet(client, w):
    client.force_login(w["coordinator"])
    response = client.get(reverse("monitoring_xlsx", args=[w["first"].pk]))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Показатели", "Анализ и рекомендации"]
