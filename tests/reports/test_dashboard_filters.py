"""The dashboard's filters: defaults, choices narrowed to the reader's scope, malformed input as form errors."""

from datetime import date

import pytest
from django.http import Http404, QueryDict

from participants.models import User
from programs.models import Organisation
from reports.kpi import SCHOOL
from reports.selectors import dashboard_filters
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


@pytest.fixture
def place():
    home, other = MunicipalityFactory(name="Октябрьский"), MunicipalityFactory(name="Заречный")
    school = OrganisationFactory(municipality=home, short_name="Школа № 1")
    season = SeasonFactory(program__municipality=home, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    old = SeasonFactory(program__municipality=home, starts_on=date(2022, 9, 1), ends_on=date(2023, 5, 31))
    foreign = SeasonFactory(program__municipality=other, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    return {"home": home, "other": other, "school": school, "season": season, "old": old, "foreign": foreign}


def _manager(municipality):
    return UserFactory(role=User.Role.MANAGEMENT, municipality=municipality)


def test_defaults_are_this_year_and_the_readers_municipality(place):
    filters = dashboard_filters(user=_manager(place["home"]), data=QueryDict(), today=TODAY)
    assert filters.year == 2026 and filters.season is None
    assert filters.scope.municipality_id == place["home"].pk and filters.scope.organisation_id is None
    assert filters.years == [2027, 2026, 2025, 2024, 2023, 2022, 2021]
    # Seasons of the year in the reader's municipality only: not the 2022–2023 one, not the neighbour's.
    assert list(filters.form.fields["season"].queryset) == [place["season"]]
    assert filters.params() == {"year": 2026}


def test_a_season_and_a_school_narrow_the_kpi_scope(place):
    data = QueryDict(f"year=2023&season={place['old'].pk}&organisation={place['school'].pk}")
    filters = dashboard_filters(user=_manager(place["home"]), data=data, today=TODAY)
    assert filters.form.is_valid(), filters.form.errors
    assert filters.scope.season_ids == (place["old"].pk,) and filters.scope.year == 2023
    assert filters.scope.organisation_id == place["school"].pk
    assert filters.params() == {"year": 2023, "season": place["old"].pk, "organisation": place["school"].pk}


def test_malformed_values_are_russian_errors_and_fall_back_to_defaults(place):
    data = QueryDict(f"year=abc&season={place['foreign'].pk}")
    filters = dashboard_filters(user=_manager(place["home"]), data=data, today=TODAY)
    assert filters.year == 2026 and filters.season is None
    assert filters.form.errors["year"] == ["Выберите год из списка."]
    assert filters.form.errors["season"] == ["Такого сезона нет среди доступных вам; выберите из списка."]


def test_another_municipality_or_its_school_is_not_found(place):
    with pytest.raises(Http404):
        dashboard_filters(user=_manager(place["home"]), data={"municipality": place["other"].pk}, today=TODAY)
    far = OrganisationFactory(municipality=place["other"])
    with pytest.raises(Http404):
        dashboard_filters(user=_manager(place["home"]), data={"organisation": far.pk}, today=TODAY)


def test_a_director_is_held_to_their_school_and_cannot_choose(place):
    director = PersonFactory(organisation=place["school"], user=UserFactory(role=User.Role.DIRECTOR)).user
    filters = dashboard_filters(user=director, data=QueryDict(), today=TODAY)
    assert filters.scope.organisation_id == place["school"].pk
    assert list(filters.form.fields["organisation"].queryset) == [place["school"]]
    assert filters.params() == {"year": 2026}


def test_the_options_are_the_readers_seasons_and_schools_and_the_kpis_read_every_season_of_the_year(
    place, django_assert_num_queries
):
    manager = _manager(place["home"])
    filters = dashboard_filters(user=manager, data=QueryDict(), today=TODAY)
    # The form's options come from what dashboard_filters read: listing them runs no query (no server-side cursor).
    with django_assert_num_queries(1):  # the schools, one plain query, kept with the field
        seasons = [str(option.data["value"]) for option in filters.form["season"]]
        schools = [str(option.data["value"]) for option in filters.form["organisation"]]
        assert [str(option.data["value"]) for option in filters.form["organisation"]] == schools
    home_schools = Organisation.objects.filter(SCHOOL, municipality=place["home"]).order_by("sort_key", "pk")
    assert seasons == ["", str(place["season"].pk)] and schools == ["", *(str(o.pk) for o in home_schools)]
    assert str(place["school"].pk) in schools
    # The KPIs measure the year's seasons of every municipality (people of the scope in a neighbour's program).
    assert filters.kpi_seasons == tuple(sorted([place["season"], place["foreign"]], key=lambda s: s.pk))
    chosen = dashboard_filters(user=manager, data={"year": 2023, "season": place["old"].pk}, today=TODAY)
    assert chosen.kpi_seasons == (place["old"],)


def test_the_year_list_is_the_same_with_the_span_read_apart(place):
    # A director's municipality comes with the school, so the seasons' span is read by its own query.
    director = PersonFactory(organisation=place["school"], user=UserFactory(role=User.Role.DIRECTOR)).user
    years = [2027, 2026, 2025, 2024, 2023, 2022, 2021]
    assert dashboard_filters(user=director, data=QueryDict(), today=TODAY).years == years
    assert dashboard_filters(user=_manager(place["home"]), data=QueryDict(), today=TODAY).years == years
