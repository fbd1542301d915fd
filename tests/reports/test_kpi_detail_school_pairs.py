"""The pages of the «Школа – Школе» KPIs (сид 001) at /reports/kpi/<code>/: the count of schools of low results
with the portal's default target «не больше N − 1», its source and «Как считается»; each year against the year
before; the reader's municipality only; a constant number of queries whatever the number of schools."""

import pytest
from django.utils import timezone

from programs.services import organisation_low_results_mark
from tests.factories import OrganisationFactory
from tests.reports.dashboard_world import build_world, director, management

pytestmark = pytest.mark.django_db
LOW_URL = "/reports/kpi/low-result-schools/"
DYNAMICS_URL = "/reports/kpi/shnor-assessment-dynamics/"


def _mark(schools, year, low):
    organisation_low_results_mark(organisation_ids=[s.pk for s in schools[:low]], year=year, low_results=True)
    organisation_low_results_mark(organisation_ids=[s.pk for s in schools[low:]], year=year, low_results=False)


@pytest.fixture
def world():
    world = build_world()
    year = world["year"]
    schools = [world["s1"], world["s2"], world["s3"]]
    _mark(schools, year - 1, 3)
    _mark(schools, year, 2)
    _mark([world["far"]], year, 1)  # another municipality's school of low results
    return world


def test_the_page_shows_the_count_the_default_target_its_source_and_how_it_is_counted(client, world):
    client.force_login(management(world["home"]))
    response = client.get(LOW_URL)
    assert response.status_code == 200
    result = response.context["detail"].result
    assert (result.value, result.status_label) == (2, "Достигнуто")
    html = response.content.decode()
    assert "Количество школ с низкими результатами обучения" in html
    assert f"не более 2 шк. (меньше, чем 3 в {world['year'] - 1} году)" in html
    assert "Проект «Каскад инициативных проектов» ИМЦ Московского района, проект «Школа – Школе»" in html
    assert "значение портала по умолчанию, можно изменить" in html
    assert "Как считается" in html and "школы, отмеченные в сведениях за год" in html
    assert "Цель портала по умолчанию — «не больше N − 1»" in html
    # Each year against the year before: the year before this one has no year before it on record.
    years = {r.year: r for r in response.context["detail"].years}
    assert years[world["year"] - 1].status_label == "Нет данных за прошлый год"
    assert "Нет данных за прошлый год" in html


def test_a_director_sees_their_own_school(client, world):
    client.force_login(director(world["s3"]))
    result = client.get(LOW_URL).context["detail"].result
    assert result.value == 0  # № 3 left the list this year


def test_the_dynamics_page_says_the_seed_names_no_number(client, world):
    client.force_login(management(world["home"]))
    response = client.get(DYNAMICS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Доля школ ШНОР с положительной динамикой результатов оценочных процедур" in html
    assert "Числа сид не называет: цель задаёт координатор." in html
    assert response.context["detail"].result.status_label == "Нет данных"


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_runs_the_same_queries_whatever_the_number_of_schools(client, django_assert_num_queries, count):
    world = build_world()
    year = timezone.localdate().year
    schools = [OrganisationFactory(municipality=world["home"]) for _ in range(count)]
    _mark(schools, year - 1, count)
    _mark(schools, year, count - 1)
    client.force_login(management(world["home"]))
    # Cold: session, user, municipality with the seasons' span for the year list, the form's seasons and schools,
    # then the engine's: the targets and the organisations' query for the value, the same two for every year shown
    # (a UNION ALL). No breakdown: the default target is the scope's own.
    with django_assert_num_queries(9):
        assert client.get(LOW_URL).status_code == 200
