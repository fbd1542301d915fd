"""reports.filters.DashboardFilterSet: each filter narrows the seasons; a foreign season, garbage and years far
outside the list are Russian errors at their field; the page answers them with 200, never a 500."""

from datetime import date

import pytest
from django.urls import reverse

from participants.models import User
from programs.models import Municipality, Organisation, Season
from reports.filters import DashboardFilterSet
from tests.factories import MunicipalityFactory, OrganisationFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    home, other = MunicipalityFactory(name="Октябрьский"), MunicipalityFactory(name="Заречный")
    return {
        "home": home,
        "other": other,
        "school": OrganisationFactory(municipality=home),
        "now": SeasonFactory(program__municipality=home, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31)),
        "old": SeasonFactory(program__municipality=home, starts_on=date(2022, 9, 1), ends_on=date(2023, 5, 31)),
        "foreign": SeasonFactory(program__municipality=other, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31)),
    }


def _filterset(data, seasons=None):
    return DashboardFilterSet(
        data,
        years=[2027, 2026, 2025, 2024, 2023, 2022],
        seasons=seasons if seasons is not None else Season.objects.order_by("pk"),
        municipalities=Municipality.objects.order_by("pk"),
        organisations=Organisation.objects.order_by("pk"),
        initial={"year": 2026},
    )


def test_each_filter_narrows_the_seasons(place):
    assert set(_filterset({"year": 2026}).qs) == {place["now"], place["foreign"]}
    assert set(_filterset({"year": 2023}).qs) == {place["old"]}
    assert set(_filterset({"year": 2026, "season": place["now"].pk}).qs) == {place["now"]}
    assert set(_filterset({"year": 2026, "municipality": place["other"].pk}).qs) == {place["foreign"]}
    assert set(_filterset({"year": 2026, "organisation": place["school"].pk}).qs) == {place["now"]}
    assert _filterset(None).form["year"].value() == 2026


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "1"}, "year", "Выберите год из списка."),
        ({"year": "9999"}, "year", "Выберите год из списка."),
        ({"year": "²"}, "year", "Выберите год из списка."),
        ({"year": 2026, "season": "FOREIGN"}, "season", "Такого сезона нет среди доступных вам; выберите из списка."),
        ({"year": 2026, "season": "9" * 40}, "season", "Такого сезона нет среди доступных вам; выберите из списка."),
        ({"year": 2026, "municipality": "abc"}, "municipality", "Выберите муниципалитет из списка."),
        ({"year": 2026, "organisation": "-1"}, "organisation", "Выберите школу из списка."),
    ],
)
def test_bad_values_are_russian_errors(place, data, field, message):
    home_seasons = Season.objects.filter(program__municipality=place["home"])
    data = {k: (place["foreign"].pk if v == "FOREIGN" else v) for k, v in data.items()}
    filters = _filterset(data, seasons=home_seasons)
    assert filters.form.errors[field] == [message]
    assert place["foreign"] not in set(filters.qs)


def test_the_page_shows_a_foreign_season_as_an_error(client, place):
    user = UserFactory(role=User.Role.MANAGEMENT, municipality=place["home"])
    client.force_login(user)
    response = client.get(reverse("kpi_dashboard"), {"season": place["foreign"].pk})
    assert response.status_code == 200
    assert "Такого сезона нет среди доступных вам; выберите из списка." in response.content.decode()
    assert response.context["filters"].season is None
