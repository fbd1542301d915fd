"""kpi_breakdowns: several KPIs broken down at once give what kpi_breakdown gives each, in fewer queries."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.kpi import KPI_DEFINITIONS, KpiScope, kpi_breakdown, kpi_breakdowns
from tests.reports.dashboard_world import build_world

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("by", ["organisation", "municipality", "season"])
def test_each_kpi_is_what_its_own_breakdown_gives_and_shared_work_is_done_once(by):
    world = build_world()
    scope = KpiScope(year=world["year"], municipality_id=world["home"].pk if by == "organisation" else None)
    codes = [d.code for d in KPI_DEFINITIONS if by in d.breakdowns]

    with CaptureQueriesContext(connection) as one_by_one:
        expected = {code: kpi_breakdown(code=code, scope=scope, by=by, now=NOW) for code in codes}
    with CaptureQueriesContext(connection) as together:
        found = kpi_breakdowns(codes=codes, scope=scope, by=by, now=NOW)

    assert list(found) == codes
    assert found == expected
    if by != "season":  # the world's teachers and courses are counted (it has no program seasons)
        assert any(row.numerator for rows in found.values() for row in rows)
    # The targets are read once, and aggregates two KPIs share (staff headcounts, enrollments) once.
    assert len(together) < len(one_by_one) - len(codes)


def test_a_kpi_without_the_breakdown_is_refused():
    with pytest.raises(ValueError, match="retention has no breakdown by activity"):
        kpi_breakdowns(codes=["retention"], scope=KpiScope(year=2026), by="activity")
