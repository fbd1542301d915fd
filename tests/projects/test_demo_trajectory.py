"""The demo's «Траектория развития» (demo/cascade_trajectory.py): nothing without the project's program; with it,
informal mentor communities of five or more inside schools, mentoring practices at every step of their review,
intensives with one past half-year flagged, and the monitoring of mentoring forms with one school not reporting."""

from datetime import UTC, date, datetime

import pytest

from demo.generator import DemoGenerator
from projects.models import Community, MentoringFormsReport, Practice
from projects.selectors_trajectory import HalfYear, intensive_halves, monitoring_half
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


def _generator():
    return DemoGenerator(scale="district", seed=7, log=lambda _m: None, now=NOW)


def test_nothing_without_the_projects_program():
    _generator().create_trajectory()
    assert not Community.objects.exists() and not MentoringFormsReport.objects.exists()


def test_communities_practices_intensives_and_monitoring():
    town = MunicipalityFactory(name="Московский район", time_zone="Europe/Moscow")
    program = ProgramFactory(slug="traektoriya-razvitiya", municipality=town)
    season = SeasonFactory(program=program, starts_on=date(2025, 1, 10), ends_on=date(2026, 8, 31))
    schools = [OrganisationFactory(municipality=town) for _ in range(4)]
    for school in schools[:3]:
        for _ in range(5):
            EnrollmentFactory(season=season, person=PersonFactory(organisation=school))
    _generator().create_trajectory()

    communities = list(Community.objects.filter(kind=Community.Kind.SCHOOL_MENTORS))
    assert len(communities) == 3 and all(c.members.count() >= 5 and c.organisation for c in communities)
    assert set(Practice.objects.values_list("review", flat=True)) == set(Practice.Review.values)
    flags = [(h.half, h.missing) for h in intensive_halves(season, today=date(2026, 3, 20))]
    assert flags == [(HalfYear(2025, 1), True), (HalfYear(2025, 2), False), (HalfYear(2026, 1), False)]
    rows = monitoring_half(season, HalfYear(2026, 1))
    assert [r.report is None for r in rows].count(True) == 1 and rows[-1].report is None
    run_again = _generator()
    run_again.create_trajectory()
    assert Community.objects.filter(kind=Community.Kind.SCHOOL_MENTORS).count() == 3
