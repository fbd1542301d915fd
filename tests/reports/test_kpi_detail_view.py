"""One KPI's page (/reports/kpi/<code>/): its value against the target, the charts with their data tables and
the breakdowns the reader's scope allows."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
    roster_of,
)
from tests.reports.dashboard_world import FR_DIAG, build_world, director, management, pd

pytestmark = pytest.mark.django_db
ORDER_URL = f"/reports/kpi/{FR_DIAG}/"
ATTENDANCE_URL = "/reports/kpi/attendance_rate/"


@pytest.fixture
def world():
    return build_world()


def _attendance(world, *, schools, per_school=1):
    """A season of the year in the home district: one webinar, a session in the first quarter; in each school,
    per_school participants: the first present, the others absent."""
    year = world["year"]
    season = SeasonFactory(
        program__municipality=world["home"], title="Сезон года", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
    )
    session = SessionFactory(
        activity=ActivityFactory(season=season, title="Вебинар по ФГОС"),
        starts_at=timezone.make_aware(datetime(year, 2, 10, 12)),
    )
    for school in schools:
        for n in range(per_school):
            enrollment = EnrollmentFactory(season=season, person=PersonFactory(organisation=school))
            status = Attendance.Status.PRESENT if n == 0 else Attendance.Status.ABSENT
            AttendanceFactory(session=session, enrollment=enrollment, status=status)
    return season


def _section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start : html.index("</section>", start)]


def test_url_name():
    assert reverse("kpi_detail", args=[FR_DIAG]) == ORDER_URL


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(ORDER_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_teacher_gets_404(client, world):
    client.force_login(PersonFactory(organisation=world["s1"]).user)
    assert client.get(ORDER_URL).status_code == 404


def test_an_unknown_kpi_is_404(client, world):
    client.force_login(management(world["home"]))
    assert client.get("/reports/kpi/no-such-kpi/").status_code == 404


def test_an_order_kpi_shows_its_value_target_years_and_schools(client, world):
    client.force_login(management(world["home"]))
    response = client.get(ORDER_URL)
    assert response.status_code == 200
    html = response.content.decode()
    # What it is and how it is counted.
    assert "Доля педагогов, освоивших программы ДПО из Федерального реестра" in html
    assert "по кадровому составу года × 100" in html and "с нарастающим итогом" in html
    assert "педагогические работники школ, детских садов и организаций дополнительного образования по кадровому" in html
    # The value against the target.
    current = html[html.index('class="display-6') :][:200]
    assert "25 %" in current
    assert "не менее 20 %" in html and "Достигнуто" in html
    # Charts, each followed by its data table: per year (2021 … this year) and per school; no quarterly trend.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart"') == 2
    assert html.count('role="img"') == 2
    years = _section(html, "kpi-years-heading")
    assert "<caption>" in years and 'scope="col"' in years and 'scope="row"' in years
    assert re.findall(r'<th scope="row">(\d{4})</th>', years) == [str(y) for y in range(2021, world["year"] + 1)]
    assert "Динамика по кварталам" not in html
    schools = _section(html, "kpi-by-organisation")
    for name in ("Школа № 1", "Школа № 2", "Школа № 3"):
        assert f'<th scope="row" class="fw-normal">{name}</th>' in schools
    assert "50 %" in schools and "0 %" in schools and "нет данных" in schools  # school 3 has no teachers
    assert "Заречная школа" not in html
    assert 'id="kpi-by-municipality"' not in html  # management sees one municipality
    # The way back keeps the filters.
    assert f'href="/reports/?year={world["year"]}"' in html


def test_the_filters_narrow_the_page_and_errors_show_at_the_field(client, world):
    client.force_login(management(world["home"]))
    html = client.get(ORDER_URL, {"organisation": world["s1"].pk}).content.decode()
    assert "50 %" in html[html.index('class="display-6') :][:200]
    assert 'id="kpi-by-organisation"' not in html  # one school chosen: no per-school breakdown
    assert f'href="/reports/?year={world["year"]}&amp;organisation={world["s1"].pk}"' in html
    html = client.get(ORDER_URL, {"year": "1900"}).content.decode()
    assert 'id="id_year-errors"' in html and "Выберите год из списка." in html


def test_a_director_sees_their_school_only(client, world):
    client.force_login(director(world["s1"]))
    response = client.get(ORDER_URL)
    html = response.content.decode()
    assert "50 %" in html[html.index('class="display-6') :][:200]
    assert "Школа № 2" not in html and 'id="kpi-by-organisation"' not in html
    assert client.get(ORDER_URL, {"organisation": world["s2"].pk}).status_code == 404


def test_region_wide_the_breakdown_is_per_municipality(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(ORDER_URL).content.decode()
    municipalities = _section(html, "kpi-by-municipality")
    assert "Октябрьский район" in municipalities and "Заречный район" in municipalities
    assert "25 %" in municipalities and "100 %" in municipalities
    assert 'id="kpi-by-organisation"' not in html


def test_a_quarterly_program_kpi_has_a_trend_and_breakdowns(client, world):
    season = _attendance(world, schools=[world["s1"], world["s2"]], per_school=2)
    client.force_login(management(world["home"]))
    response = client.get(ATTENDANCE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Посещаемость" in html and "50 %" in html[html.index('class="display-6') :][:200]
    assert "Цель не задана" in html
    # Per year (this year and the three before), per quarter, per school, per season, per activity.
    years = _section(html, "kpi-years-heading")
    assert re.findall(r'<th scope="row">(\d{4})</th>', years) == [
        str(y) for y in range(world["year"] - 3, world["year"] + 1)
    ]
    quarters = _section(html, "kpi-quarters-heading")
    assert "Динамика по кварталам" in quarters and "<circle" in quarters
    assert f"1 кв. {world['year']}" in quarters and "50 %" in quarters and "2 / 4" in quarters
    assert f"4 кв. {world['year']}" in quarters
    for ident in ("kpi-by-organisation", "kpi-by-season", "kpi-by-activity"):
        assert ident in html
    assert "Вебинар по ФГОС" in _section(html, "kpi-by-activity")
    assert str(season.title) in _section(html, "kpi-by-season")
    assert html.count('role="img"') == 5
    # A chosen season leaves out the per-season breakdown and says what the years chart counts.
    html = client.get(ATTENDANCE_URL, {"season": season.pk}).content.decode()
    assert 'id="kpi-by-season"' not in html and "все сезоны каждого года" in html


@pytest.mark.usefixtures("steady_clock")
@pytest.mark.parametrize("count", [1, 3])
def test_detail_query_counts_do_not_grow_with_schools_enrollments_or_seasons(client, django_assert_num_queries, count):
    world = build_world()
    today = timezone.localdate()
    schools = []
    for _school in range(count):
        school = OrganisationFactory(municipality=world["home"])
        teacher = PersonFactory(organisation=school)
        roster_of(teacher, today.year)
        pd(teacher, today - timedelta(days=5), in_federal_registry=True, based_on_diagnostics=True)
        schools.append(school)
    for _season in range(count):
        _attendance(world, schools=schools, per_school=count)
    client.force_login(management(world["home"]))
    # Cold: the KPI engine's queries; the seasons' span for the filters' year list comes with the municipality. The
    # order KPI reads the staff roster and the organisations (with their headcounts) once for the value, once for
    # all the years shown (each year's aggregate one part of a UNION ALL) and once per breakdown. A program KPI
    # computes the four years of its chart in one pass (the seasons of those years, grouped by season and summed
    # into the years they overlap).
    with django_assert_num_queries(15):
        assert client.get(ORDER_URL).status_code == 200
    with django_assert_num_queries(24):
        assert client.get(ATTENDANCE_URL).status_code == 200
    # Warm: session, user with the menu's person, the municipality, the form's seasons and schools.
    for url in (ORDER_URL, ATTENDANCE_URL):
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200


def test_an_order_kpis_page_takes_the_same_queries_whatever_the_years_shown(
    client, django_assert_num_queries, settings
):
    # Computed afresh each time: the «value and target per year» chart shows 2021 up to the chosen year.
    settings.KPI_CACHE_SECONDS = 0
    world = build_world()
    client.force_login(management(world["home"]))
    this_year = timezone.localdate().year
    for year in (2021, 2022, this_year):
        with django_assert_num_queries(16):
            response = client.get(ORDER_URL, {"year": year})
        assert response.status_code == 200
        assert response.context["detail"].years[-1].year == year
        assert len(response.context["detail"].years) == year - 2020
