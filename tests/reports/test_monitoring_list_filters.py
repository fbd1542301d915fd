"""reports.filters.MonitoringListFilterSet on the half-year monitoring list (seed 002, разд. 7): a superuser's
`?municipality=` narrows the list to that municipality; everyone else reads their own, and another municipality,
garbage or a number that overflows is answered 404 like a missing page (docs/decisions/0001), never a 500."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from programs.models import Municipality
from reports.filters import MonitoringListFilterSet
from reports.models import KpiSnapshot
from reports.monitoring import kpi_half_year_snapshots_take
from reports.selectors_monitoring import period_snapshots
from tests.factories import UserFactory
from tests.reports.dashboard_world import build_world, coordinator

pytestmark = pytest.mark.django_db
URL = reverse("monitoring_list")


@pytest.fixture
def w():
    world = build_world()
    kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 0, 30, tzinfo=UTC))
    world["snapshot"] = KpiSnapshot.objects.get(municipality=world["home"], automatic=True)
    world["foreign_snapshot"] = KpiSnapshot.objects.get(municipality=world["other"], automatic=True)
    return world


def test_the_filter_narrows_to_one_municipality(w):
    every = Municipality.objects.all()
    snapshots = period_snapshots(every)

    def listed(data, default=None):
        return set(MonitoringListFilterSet(data, snapshots, municipalities=every, default=default).qs)

    def of(municipality):
        return set(KpiSnapshot.objects.filter(kind=KpiSnapshot.Kind.PERIOD, municipality=municipality))

    assert w["foreign_snapshot"] in of(w["other"]) and w["snapshot"] in of(w["home"])
    assert listed({"municipality": w["other"].pk}) == of(w["other"])
    assert listed(None, default=w["home"]) == of(w["home"])
    assert listed({"municipality": w["other"].pk}, default=w["home"]) == of(w["other"])
    assert listed(None) == set()
    refused = MonitoringListFilterSet({"municipality": "abc"}, snapshots, municipalities=every, default=None)
    assert refused.errors["municipality"] == ["Такого муниципалитета нет среди доступных вам."]


def test_a_superuser_chooses_and_the_choice_stays_selected(client, w):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(URL, {"municipality": w["other"].pk})
    assert response.status_code == 200
    assert {s.municipality_id for s in response.context["snapshots"]} == {w["other"].pk}
    assert f'<option value="{w["other"].pk}" selected>' in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "²", "-1", "9" * 40, "<script>"])
def test_garbage_is_not_found_for_a_superuser(client, w, value):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(URL, {"municipality": value}).status_code == 404


def test_a_coordinator_reads_their_own_and_not_the_neighbours(client, w):
    client.force_login(coordinator(w["home"]))
    for params in ({}, {"municipality": w["home"].pk}):
        snapshots = client.get(URL, params).context["snapshots"]
        assert w["snapshot"] in snapshots and {s.municipality_id for s in snapshots} == {w["home"].pk}
    assert client.get(URL, {"municipality": w["other"].pk}).status_code == 404
