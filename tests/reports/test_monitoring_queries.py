"""The monitoring list and one half-year's page run a constant number of queries, whatever the number of
snapshots and recommendations (1 or 3 of each)."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from reports.models import KpiSnapshot
from reports.monitoring import kpi_half_year_snapshots_take, monitoring_analysis_save, monitoring_recommendation_add
from reports.services import kpi_period_snapshot_take
from tests.factories import MunicipalityFactory, OrganisationFactory
from tests.reports.dashboard_world import coordinator

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 7, 1, 0, 30, tzinfo=UTC)


def _world(n: int):
    m = MunicipalityFactory(name="Октябрьский район", time_zone="Asia/Yekaterinburg")
    schools = [OrganisationFactory(municipality=m) for _i in range(n)]
    kpi_half_year_snapshots_take(now=NOW)
    for i in range(n - 1):
        kpi_period_snapshot_take(municipality=m, period_label=f"Срез {i}", year=2024, half=2, by=None, now=NOW)
    snapshot = KpiSnapshot.objects.get(municipality=m, automatic=True)
    for target in KpiSnapshot.objects.filter(municipality=m):
        monitoring_analysis_save(snapshot=target, analysis="Анализ", by=None, now=NOW)
        for school in schools:
            monitoring_recommendation_add(
                snapshot=target,
                organisation=school,
                addressee_group="Молодые педагоги",
                text="Рекомендация",
                due_on=date(2025, 12, 1),
                responsible="Методист",
                by=None,
                now=NOW,
            )
    return coordinator(m), snapshot


# Session and user; list: the municipality, the snapshots with their reports and counts; page: the snapshot with
# its municipality, its report, its recommendations with their organisations, the organisations offered.
LIST_QUERIES = 4
PAGE_QUERIES = 6


@pytest.mark.parametrize("n", [1, 3])
def test_list_queries_do_not_grow(client, django_assert_num_queries, n):
    user, _snapshot = _world(n)
    client.force_login(user)
    client.get(reverse("monitoring_list"))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("monitoring_list"))
    assert len(response.context["snapshots"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_page_queries_do_not_grow(client, django_assert_num_queries, n):
    user, snapshot = _world(n)
    client.force_login(user)
    client.get(reverse("monitoring_detail", args=[snapshot.pk]))
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse("monitoring_detail", args=[snapshot.pk]))
    assert len(response.context["page"].recommendations) == n
