"""The KPI overview page (/reports/): who reads it, over what scope, and its numbers against the targets."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import StaffHeadcount, User
from programs.models import Organisation
from reports.models import KpiTarget
from tests.factories import (
    EnrollmentFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    UserFactory,
    roster_of,
)
from tests.reports.dashboard_world import FR_DIAG, build_world, coordinator, director, management, pd

pytestmark = pytest.mark.django_db
URL = "/reports/"


@pytest.fixture
def world():
    return build_world()


def _row(html: str, code: str) -> str:
    """The table row of one KPI."""
    start = html.index(f'id="kpi-{code}"')
    return html[start : html.index("</tr>", start)]


def test_url_name():
    assert reverse("kpi_dashboard") == URL


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [User.Role.TEACHER, User.Role.EXPERT])
def test_a_teacher_or_an_expert_gets_404(client, world, role):
    user = PersonFactory(organisation=world["s1"], user=UserFactory(role=role, municipality=world["home"])).user
    client.force_login(user)
    assert client.get(URL).status_code == 404


def test_management_reads_their_municipalitys_numbers_against_the_target(client, world):
    client.force_login(management(world["home"]))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Показатели (KPI)" in html
    assert "Показатели приказов" in html and "Показатели программ" in html
    assert "{# download #}" not in html  # the integrator's mark is a template comment, never shown
    row = _row(html, FR_DIAG)
    # 1 of 4 teachers of the municipality (the neighbour's trained teacher is not counted).
    assert "25 %" in row and "1 / 4" in row
    assert "не менее 20 %" in row and "Достигнуто" in row
    assert f'href="/reports/kpi/{FR_DIAG}/?year={world["year"]}"' in row
    assert "с нарастающим итогом" in row and "Как считается" in row
    # What the numbers cover, and no municipality choice for someone bound to one.
    assert "Октябрьский район" in html and "все школы" in html and "данные на " in html
    assert 'name="municipality"' not in html and 'name="organisation"' in html
    assert "Заречная школа" not in html
    # The order KPIs in % as a chart (value vs target), with a share without data shown as such.
    assert html.count('role="img"') == 1 and 'data-value="25.0"' in html and 'data-target="20.0"' in html
    # Two teachers of the municipality finished a course this year, neither remotely: 0 of 2, not «no data».
    remote = _row(html, "remote-pd-share")
    assert "0 %" in remote and "0 / 2" in remote and "нет данных" not in remote
    assert "Цель не задана" in _row(html, "participants_active")


def test_a_coordinator_reads_like_management_and_may_choose_a_school(client, world):
    client.force_login(coordinator(world["home"]))
    response = client.get(URL, {"organisation": world["s2"].pk})
    assert response.status_code == 200
    row = _row(response.content.decode(), FR_DIAG)
    assert "0 %" in row and "0 / 2" in row and "Не достигнуто" in row
    assert f"organisation={world['s2'].pk}" in row  # the link to the KPI keeps the filters
    # The workbook download carries the same filters.
    html = response.content.decode()
    form = html[
        html.index('action="/reports/download/"') : html.index("</form>", html.index('action="/reports/download/"'))
    ]
    assert f'name="organisation" value="{world["s2"].pk}"' in form and f'name="year" value="{world["year"]}"' in form
    assert "Скачать XLSX" in form


def test_a_director_reads_their_own_school_only(client, world):
    client.force_login(director(world["s1"]))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    row = _row(html, FR_DIAG)
    assert "50 %" in row and "1 / 2" in row  # school 2's teachers are not in the numbers
    assert "Школа № 1" in html and "Школа № 2" not in html
    assert 'name="organisation"' not in html and 'name="municipality"' not in html


def test_a_director_asking_for_another_school_or_municipality_gets_404(client, world):
    client.force_login(director(world["s1"]))
    assert client.get(URL, {"organisation": world["s2"].pk}).status_code == 404
    assert client.get(URL, {"municipality": world["other"].pk}).status_code == 404


def test_management_asking_for_a_foreign_school_gets_404(client, world):
    client.force_login(management(world["home"]))
    assert client.get(URL, {"organisation": world["far"].pk}).status_code == 404
    assert client.get(URL, {"municipality": world["other"].pk}).status_code == 404


def test_a_malformed_filter_is_a_russian_error_at_its_field(client, world):
    client.force_login(management(world["home"]))
    response = client.get(URL, {"year": "abc", "season": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_year-errors"' in html and "Выберите год из списка." in html
    assert 'id="id_season-errors"' in html and "Такого сезона нет среди доступных вам" in html
    assert 'aria-invalid="true"' in html
    assert f'<option value="{world["year"]}" selected>' in html  # the year measured instead is the one selected
    assert "25 %" in _row(html, FR_DIAG)  # the defaults are measured meanwhile


def test_a_superuser_chooses_the_municipality(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(URL).content.decode()
    assert 'name="municipality"' in html and "все муниципалитеты" in html
    assert "2 / 5" in _row(html, FR_DIAG)  # the whole region: a and the neighbour's teacher of 5
    html = client.get(URL, {"municipality": world["home"].pk}).content.decode()
    assert "1 / 4" in _row(html, FR_DIAG) and 'name="organisation"' in html


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda w: management(w["home"]), True),
        (lambda w: coordinator(w["home"]), True),
        (lambda w: director(w["s1"]), True),
        (lambda w: UserFactory(is_superuser=True), True),
        (lambda w: PersonFactory(organisation=w["s1"]).user, False),
        (lambda w: UserFactory(role=User.Role.EXPERT), False),
    ],
)
def test_the_menu_shows_the_dashboard_to_its_readers(client, world, make, shown):
    client.force_login(make(world))
    html = client.get(reverse("home")).content.decode()
    assert (f'href="{URL}"' in html) is shown


def test_the_menu_hides_the_dashboard_from_anonymous_visitors(client, world):
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


@pytest.mark.usefixtures("steady_clock")
@pytest.mark.parametrize("count", [1, 3])
def test_overview_query_count_does_not_grow_with_schools_enrollments_or_seasons(
    client, django_assert_num_queries, count
):
    world = build_world()
    today = timezone.localdate()
    for _school in range(count):
        school = OrganisationFactory(municipality=world["home"])
        teacher = PersonFactory(organisation=school)
        roster_of(teacher, today.year)
        StaffHeadcount.objects.create(
            organisation=OrganisationFactory(municipality=world["home"], kind=Organisation.Kind.KINDERGARTEN),
            year=today.year,
            pedagogical_total=10,
            teachers=0,
            higher_education=8,
            teachers_under_5_years=0,
        )
        pd(teacher, today - timedelta(days=10), in_federal_registry=True, based_on_diagnostics=True, is_remote=True)
        season = SeasonFactory(
            program__municipality=world["home"], starts_on=date(today.year, 1, 1), ends_on=date(today.year, 12, 31)
        )
        for _ in range(count):
            EnrollmentFactory(season=season, person=PersonFactory(organisation=school))
    client.force_login(management(world["home"]))
    # Cold: the warm page's 5 (the seasons' span for the year list comes with the municipality, the year's seasons
    # of the filter are those the KPIs read), then the KPI engine's other 10 queries (reports.kpi: targets,
    # enrollments with what each one has, attendance, turnaround, criterion scores, the roster's counts, the
    # organisations' with their headcounts and facts, the events, the assessment results of the «Школа – Школе»
    # pairs' ШНОР schools, those schools' teachers with courses under ИОМ), stored in the KPI cache.
    with django_assert_num_queries(15):
        response = client.get(URL)
    assert response.status_code == 200
    # Warm: session, user with the menu's person, the municipality with the seasons' span, the year's seasons and
    # the form's schools (one plain query each, no server-side cursor).
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200


def test_each_target_shows_its_order_and_clause(client, world):
    client.force_login(management(world["home"]))
    html = client.get(URL).content.decode()
    assert 'class="d-block small text-secondary kpi-target-source">Приказ</span>' in _row(html, FR_DIAG)
    # No target, nothing to cite.
    assert "kpi-target-source" not in _row(html, "participants_active")


def test_a_target_without_a_source_reads_the_portal_default(client, world):
    KpiTarget.objects.filter(code=FR_DIAG, municipality=world["home"]).update(source="")
    client.force_login(management(world["home"]))
    row = _row(client.get(URL).content.decode(), FR_DIAG)
    assert "значение портала по умолчанию, можно изменить" in row and ">Приказ<" not in row
