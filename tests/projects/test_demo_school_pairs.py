"""The demo's «Школа – Школе» (demo/cascade_school_pairs.py): nothing without the project's program; with it,
pairs with the seed's plan, past items held with attendance, three years of results."""

from datetime import UTC, date, datetime

import pytest

from activities.models import Attendance
from demo.generator import DemoGenerator
from programs.selectors import organisations_of_low_results
from projects.models import AssessmentResult, PairPlanItem, SchoolPair
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
    generator = DemoGenerator(scale="district", seed=7, log=lambda _m: None, now=NOW)
    generator.subjects = generator.ensure_subjects()
    return generator


def test_nothing_without_the_projects_program():
    _generator().create_school_pairs()
    assert not SchoolPair.objects.exists() and not AssessmentResult.objects.exists()


def test_pairs_plans_attendance_and_results():
    town = MunicipalityFactory(name="Московский район", time_zone="Europe/Moscow")
    program = ProgramFactory(slug="shkola-shkole", municipality=town)
    season = SeasonFactory(program=program, starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31))
    schools = [OrganisationFactory(municipality=town) for _ in range(6)]
    for school in schools:
        for _ in range(2):
            EnrollmentFactory(season=season, person=PersonFactory(organisation=school))
    generator = _generator()
    generator.create_school_pairs()
    pairs = list(SchoolPair.objects.filter(season=season, ends_on__isnull=True))
    marked = organisations_of_low_results(organisation_ids=[s.pk for s in schools])
    assert len(pairs) == 3 and all(p.partner_id in marked and p.leader_id not in marked for p in pairs)
    # Each was paired the school year before too (the ИОМ KPI compares with last year), closed the day before.
    before = SchoolPair.objects.exclude(pk__in=[p.pk for p in pairs])
    assert {p.partner_id for p in before} == {p.partner_id for p in pairs}
    assert set(before.values_list("ends_on", flat=True)) == {date(2025, 8, 31)}
    held = PairPlanItem.objects.filter(session__isnull=False)
    assert held.exists() and PairPlanItem.objects.filter(session__isnull=True).exists()
    assert all(i.planned_on < date(2026, 3, 20) for i in held)
    invited = sum(item.session.invited.count() for item in held)
    assert invited >= held.count() * 2  # the program's organiser is a school without teachers of its own
    assert Attendance.objects.filter(session__school_pair_plan_item__isnull=False).count() == invited
    assert set(AssessmentResult.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
