"""kpi_years computes a program KPI's years in one pass: each year counts the seasons overlapping it, exactly as a
scope of that year does, and the number of queries does not grow with the years or the seasons."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Certificate
from participants.models import Enrollment
from reports.kpi import PROGRAM_KPIS, KpiScope, kpi_report, kpi_years
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=timezone.get_fixed_timezone(180))
YEARS = [2023, 2024, 2025, 2026]


def _season(m, starts_on: date, ends_on: date, *, participants: int, present: int):
    """A season with `participants` active participants (and one completed), a certificate each, and one
    session marked for each of them, `present` of the marks «Присутствовал»."""
    season = SeasonFactory(program__municipality=m, starts_on=starts_on, ends_on=ends_on)
    school = OrganisationFactory(municipality=m)
    session = SessionFactory(
        activity__season=season,
        starts_at=datetime.combine(starts_on + timedelta(days=20), datetime.min.time(), NOW.tzinfo),
    )
    enrollments = [
        EnrollmentFactory(season=season, person=PersonFactory(organisation=school)) for _ in range(participants)
    ]
    EnrollmentFactory(season=season, person=PersonFactory(organisation=school), status=Enrollment.Status.COMPLETED)
    for i, enrollment in enumerate(enrollments):
        Certificate.objects.create(
            number=f"К-{season.pk}-{i}", code=f"c{season.pk}-{i}", enrollment=enrollment, kind=Certificate.Kind.SEASON
        )
        AttendanceFactory(session=session, enrollment=enrollment, status="present" if i < present else "absent")
    return season


def _world():
    m = MunicipalityFactory(name="Район")
    # An academic year counts in both of its calendar years; a season of one calendar year only in it.
    _season(m, date(2024, 9, 1), date(2025, 5, 31), participants=3, present=2)
    _season(m, date(2025, 9, 1), date(2026, 5, 31), participants=2, present=1)
    _season(m, date(2026, 1, 10), date(2026, 4, 30), participants=1, present=1)
    return m


@pytest.mark.parametrize("code", [d.code for d in PROGRAM_KPIS])
def test_each_year_is_what_a_scope_of_that_year_gives(code):
    m = _world()
    scope = KpiScope(year=2026, municipality_id=m.pk)
    years = kpi_years(code=code, scope=scope, years=YEARS, now=NOW)
    one_by_one = [kpi_report(scope=KpiScope(year=y, municipality_id=m.pk), now=NOW, codes=[code])[0] for y in YEARS]
    assert [r.year for r in years] == YEARS
    assert [(r.value, r.numerator, r.denominator, r.status) for r in years] == [
        (r.value, r.numerator, r.denominator, r.status) for r in one_by_one
    ]


def test_the_seasons_count_in_every_year_they_overlap():
    m = _world()
    years = kpi_years(code="participants_active", scope=KpiScope(year=2026, municipality_id=m.pk), years=YEARS, now=NOW)
    assert [r.value for r in years] == [0, 3, 5, 3]
    attendance = kpi_years(
        code="attendance_rate", scope=KpiScope(year=2026, municipality_id=m.pk), years=YEARS, now=NOW
    )
    assert [(r.numerator, r.denominator) for r in attendance] == [(0, 0), (2, 3), (3, 5), (2, 3)]
    certificates = kpi_years(
        code="certificates_issued", scope=KpiScope(year=2026, municipality_id=m.pk), years=YEARS, now=NOW
    )
    assert [r.value for r in certificates] == [0, 3, 5, 3]


def test_the_query_count_does_not_grow_with_the_years_or_the_seasons():
    m = _world()
    scope = KpiScope(year=2026, municipality_id=m.pk)
    counts = []
    for years in ([2026], YEARS):
        with CaptureQueriesContext(connection) as queries:
            kpi_years(code="attendance_rate", scope=scope, years=years, now=NOW)
        counts.append(len(queries.captured_queries))
    _season(m, date(2023, 2, 1), date(2023, 5, 31), participants=2, present=2)
    with CaptureQueriesContext(connection) as queries:
        kpi_years(code="attendance_rate", scope=scope, years=YEARS, now=NOW)
    counts.append(len(queries.captured_queries))
    # targets, seasons, attendance marks grouped by season
    assert counts == [3, 3, 3]
