"""The admin pages of half-year monitoring: take a period snapshot, compare two. Coordinators and management
use them for the municipalities they see; anybody else is sent to log in; constant queries."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from participants.models import User
from participants.roles import COORDINATORS, MANAGEMENT
from reports.models import KpiSnapshot
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory, roster_of

pytestmark = pytest.mark.django_db


def _url(name):
    return reverse(f"admin:reports_kpisnapshot_{name}")


def _staff(group: str, role: str, municipality=None) -> User:
    user = UserFactory(is_staff=True, role=role, municipality=municipality)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def places():
    mine, theirs = MunicipalityFactory(name="Мой район"), MunicipalityFactory(name="Чужой район")
    roster_of(PersonFactory(organisation=OrganisationFactory(municipality=mine), experience_years=3), 2025)
    return mine, theirs


def _snapshot(municipality, period, value):
    return KpiSnapshot.objects.create(
        kind=KpiSnapshot.Kind.PERIOD,
        taken_on=date(2025, 7, 1),
        period=period,
        municipality=municipality,
        values={
            "young-teachers-share": {
                "value": value,
                "numerator": 1,
                "denominator": 2,
                "unit": "%",
                "status": "met",
                "target": "15.5",
                "comparison": "gte",
            }
        },
    )


def test_coordinator_takes_a_snapshot_of_their_municipality(client, places):
    mine, theirs = places
    client.force_login(_staff(COORDINATORS, User.Role.COORDINATOR, mine))
    page = client.get(_url("period"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["municipality"].queryset) == [mine]
    assert "Снять срез" in page.content.decode()
    response = client.post(_url("period"), {"municipality": mine.pk, "year": 2025, "half": 1, "period_label": ""})
    snapshot = KpiSnapshot.objects.get(kind=KpiSnapshot.Kind.PERIOD)
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:reports_kpisnapshot_change", args=[snapshot.pk]
    )
    assert snapshot.municipality == mine and snapshot.period == "1-е полугодие 2025"
    assert snapshot.values["young-teachers-share"]["value"] == 100.0  # the one teacher has 3 years
    shown = client.get(response["Location"]).content.decode()
    assert "Доля учителей со стажем педагогической работы до пяти лет" in shown and "Нет данных" in shown


def test_coordinator_cannot_take_another_municipalitys_and_errors_keep_the_input(client, places):
    mine, theirs = places
    client.force_login(_staff(COORDINATORS, User.Role.COORDINATOR, mine))
    page = client.post(_url("period"), {"municipality": theirs.pk, "year": "20x5", "half": 1, "period_label": "Июль"})
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "municipality": ["Выберите муниципалитет."],
        "year": ["Год — четыре цифры, например 2025."],
    }
    assert 'value="Июль"' in page.content.decode()
    assert not KpiSnapshot.objects.exists()


def test_management_may_take_and_compare(client, places):
    mine, _theirs = places
    client.force_login(_staff(MANAGEMENT, User.Role.MANAGEMENT, mine))  # without one it sees nothing
    response = client.post(_url("period"), {"municipality": mine.pk, "year": 2025, "half": 2, "period_label": ""})
    assert response.status_code == 302
    assert KpiSnapshot.objects.get().period == "2-е полугодие 2025"
    assert client.get(_url("compare")).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_others_are_sent_to_log_in(client, places, who):
    if who == "teacher":
        client.force_login(UserFactory())
    for name in ("period", "compare"):
        response = client.get(_url(name))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(_url("period"), {"municipality": places[0].pk, "year": 2025, "half": 1}).status_code == 302
    assert not KpiSnapshot.objects.exists()


def test_comparison_page_side_by_side(client, places):
    mine, theirs = places
    a, b = _snapshot(mine, "1-е полугодие 2025", 10.0), _snapshot(mine, "2-е полугодие 2025", 12.5)
    foreign = _snapshot(theirs, "Чужой срез", 99.0)
    client.force_login(_staff(COORDINATORS, User.Role.COORDINATOR, mine))
    page = client.get(_url("compare"), {"a": a.pk, "b": b.pk})
    html = page.content.decode()
    assert [(r.value_a, r.value_b, r.change) for r in page.context["rows"]] == [(10.0, 12.5, 2.5)]
    assert "Доля учителей со стажем педагогической работы до пяти лет" in html
    assert "+2,5" in html and "12,5 %" in html
    assert foreign not in page.context["form"].fields["a"].queryset
    refused = client.get(_url("compare"), {"a": a.pk, "b": foreign.pk})
    assert refused.context["form"].errors == {"b": ["Выберите второй срез."]}
    assert refused.context["rows"] == []
    same = client.get(_url("compare"), {"a": a.pk, "b": a.pk})
    assert same.context["form"].errors == {"b": ["Выберите два разных среза."]}


def test_changelist_links_to_the_monitoring_pages(client, places):
    client.force_login(_staff(COORDINATORS, User.Role.COORDINATOR, places[0]))
    html = client.get(reverse("admin:reports_kpisnapshot_changelist")).content.decode()
    assert _url("period") in html and _url("compare") in html


@pytest.mark.parametrize("n", [1, 3])
def test_comparison_query_count_is_constant(client, django_assert_num_queries, places, n):
    mine, _theirs = places
    snapshots = [_snapshot(mine, f"Срез {i}", float(i)) for i in range(n + 1)]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    params = {"a": snapshots[0].pk, "b": snapshots[-1].pk}
    client.get(_url("compare"), params)
    with django_assert_num_queries(6):  # the same with 2 and 4 snapshots to choose from
        assert client.get(_url("compare"), params).status_code == 200
