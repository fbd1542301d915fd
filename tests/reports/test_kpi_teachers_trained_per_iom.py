"""The KPI «Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с ИОМ» (сид 001, «Школа – Школе»,
ожидаемые результаты) where its neighbours are shown: the dashboard's row, its page /reports/kpi/<code>/ with the
portal's default target «больше, чем в прошлом году», its source and each year against the year before, and the
KPI workbook's summary; the reader's municipality only; a constant number of queries whatever the data size."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from participants.services_training import professional_development_import
from programs.services import organisation_low_results_mark
from projects.services_school_pairs import school_pair_create
from reports.workbooks import kpi_workbook_build
from reports.xlsx import workbook_write
from tests.factories import OrganisationFactory, PersonFactory, SeasonFactory
from tests.reports.dashboard_world import build_world, director, management, pd

pytestmark = pytest.mark.django_db

CODE = "shnor-teachers-trained-per-iom"
URL = f"/reports/kpi/{CODE}/"
NAME = "Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с ИОМ"


def _pairs(world, leader, partners):
    year = world["year"]
    season = SeasonFactory(
        program__municipality=world["home"], starts_on=date(year - 1, 1, 1), ends_on=date(year, 12, 31)
    )
    organisation_low_results_mark(organisation_ids=[p.pk for p in partners], year=year - 1, low_results=True)
    for partner in partners:
        school_pair_create(season=season, leader=leader, partner=partner, starts_on=date(year - 1, 1, 10))


@pytest.fixture
def world():
    """Школа № 2 (teachers c, d) is the ШНОР school of a pair led by Школа № 1 since January of last year: c trained
    under ИОМ last year and this year, d this year (twice); a of the leader school and the neighbouring district's
    teacher trained under ИОМ too and never count. 1 last year, 2 this year: «больше, чем в прошлом году» met."""
    world = build_world()
    year, t = world["year"], world["teachers"]
    _pairs(world, world["s1"], [world["s2"]])
    pd(t["c"], date(year - 1, 11, 1), per_individual_route=True)
    pd(t["c"], date(year, 2, 1), per_individual_route=True)
    pd(t["d"], date(year, 2, 1), per_individual_route=True)
    pd(t["d"], date(year, 3, 1), per_individual_route=True)
    pd(t["a"], date(year, 2, 1), per_individual_route=True)
    pd(t["far"], date(year, 2, 1), per_individual_route=True)
    return world


def test_the_dashboard_shows_the_kpi_with_its_default_target(client, world):
    client.force_login(management(world["home"]))
    response = client.get("/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(f'id="kpi-{CODE}"') :]
    row = row[: row.index("</tr>")]
    assert NAME in row
    assert f"не менее 2 чел. (больше, чем 1 в {world['year'] - 1} году)" in row
    assert "Достигнуто" in row


def test_the_page_shows_the_count_the_default_target_its_source_and_how_it_is_counted(client, world):
    client.force_login(management(world["home"]))
    response = client.get(URL)
    assert response.status_code == 200
    result = response.context["detail"].result
    assert (result.value, result.status_label) == (2, "Достигнуто")
    html = response.content.decode()
    assert NAME in html
    assert "Проект «Каскад инициативных проектов» ИМЦ Московского района, проект «Школа – Школе»" in html
    assert "значение портала по умолчанию, можно изменить" in html
    assert "Как считается" in html and "каждый педагог — один раз" in html
    assert "Цель портала по умолчанию — «не менее N + 1»" in html
    years = {r.year: r for r in response.context["detail"].years}
    assert years[world["year"] - 1].value == 1
    assert years[world["year"] - 1].status_label == "Нет данных за прошлый год"
    assert years[world["year"]].status_label == "Достигнуто"


def test_another_municipalitys_reader_sees_only_their_own(client, world):
    client.force_login(management(world["other"]))
    result = client.get(URL).context["detail"].result
    assert result.value is None and result.status_label == "Нет данных"  # no pair there: not their teacher's course


def test_a_director_of_the_shnor_school_sees_their_school(client, world):
    client.force_login(director(world["s2"]))
    assert client.get(URL).context["detail"].result.value == 2


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_runs_the_same_queries_whatever_the_number_of_schools(client, django_assert_num_queries, count):
    world = build_world()
    year = world["year"]
    schools = [OrganisationFactory(municipality=world["home"]) for _ in range(count)]
    _pairs(world, world["s1"], schools)
    for school in schools:
        for _ in range(count):
            teacher = PersonFactory(organisation=school)
            pd(teacher, date(year - 1, 5, 1), per_individual_route=True)
            pd(teacher, date(year, 5, 1), per_individual_route=True)
    client.force_login(management(world["home"]))
    # Cold: session, user, municipality with the seasons' span for the year list, the form's seasons and schools, then
    # the engine's: the targets and the partner schools' query for the value, the same two for every year shown
    # (a UNION ALL). No breakdown: the default target is the scope's own.
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.context["detail"].result.value == count * count


def test_the_workbook_summary_has_the_kpi_with_the_default_target_and_its_source(world):
    params = {"user": management(world["home"]).pk, "year": world["year"], "municipality": world["home"].pk}
    sheets, _rows = kpi_workbook_build(params, now=datetime(world["year"], 11, 20, 9, tzinfo=UTC))
    file = io.BytesIO()
    workbook_write(sheets=sheets, file=file)
    book = load_workbook(io.BytesIO(file.getvalue()))
    rows = {row[1]: row for row in book["Сводка"].iter_rows(values_only=True) if row and len(row) > 1}
    row = rows[NAME]
    assert row[2] == 2 and row[3] == f"не менее 2 чел. (больше, чем 1 в {world['year'] - 1} году)" and row[4] == 2
    assert row[5] == "Достигнуто"
    assert "Цель портала по умолчанию — «не менее N + 1»" in row[8]
    sources = {row[0]: row for row in book["Формулы и источники"].iter_rows(values_only=True) if row}
    assert sources[NAME][-1] == (
        "Проект «Каскад инициативных проектов» ИМЦ Московского района, проект «Школа – Школе», ожидаемые "
        "результаты; значение портала по умолчанию, можно изменить"
    )


def _row(html: str) -> str:
    start = html.index(f'id="kpi-{CODE}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.usefixtures("steady_clock")
@pytest.mark.django_db(transaction=True)
def test_the_dpo_import_a_bulk_write_makes_the_cached_dashboard_stale(client, world, django_assert_num_queries):
    """The import writes its rows with one bulk_create: the KPI cache hears of it and the next page recounts."""
    client.force_login(management(world["home"]))
    before = _row(client.get("/reports/").content.decode())
    assert '<td class="text-end text-nowrap fw-semibold">2 чел.</td>' in before
    with django_assert_num_queries(5):  # warm: read from the cache
        client.get("/reports/")
    wb = Workbook()
    ws = wb.active
    ws.append(["E-mail", "Программа", "Организация-провайдер", "Часы", "Дата окончания", "По ИОМ"])
    extra = PersonFactory(organisation=world["s2"], email="new@school2.ru")
    ws.append([extra.email, "Адресная программа ПК", "ИМЦ", "36", date(world["year"], 4, 1).strftime("%d.%m.%Y"), "да"])
    buf = io.BytesIO()
    wb.save(buf)
    report = professional_development_import(
        file=SimpleUploadedFile("dpo.xlsx", buf.getvalue()), municipality=world["home"], by=None
    )
    assert report.ok and report.created == 1, report.lines()
    after = _row(client.get("/reports/").content.decode())
    assert '<td class="text-end text-nowrap fw-semibold">3 чел.</td>' in after
