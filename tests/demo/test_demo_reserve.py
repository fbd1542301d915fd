"""The demo's personnel reserve (demo/cascade_reserve.py): nothing without the leaders' school's program; with it,
«Кадровый резерв включает 35 человек, 7 из них приняли участие в конкурсе» and the demo teacher among them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from demo.generator import DemoGenerator
from projects.models.reserve import ReserveMember, ReserveReview, ReserveSource, ReserveStatus, TrajectoryItem
from projects.selectors_reserve import review_state, year_report
from tests.factories import PersonFactory, UserFactory
from tests.projects.reserve_world import reserve_world

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 10, 12, tzinfo=ZoneInfo("Europe/Moscow"))


def generator() -> DemoGenerator:
    return DemoGenerator(scale="district", log=lambda _line: None, now=NOW)


def test_nothing_without_the_leaders_school():
    PersonFactory()
    generator().create_reserve()
    assert not ReserveMember.objects.exists()


def test_the_reserve_of_the_seed():
    w = reserve_world()
    teacher = PersonFactory(organisation=w.school, user=UserFactory(email="teacher.moskovsky@demo.ru"))
    for _ in range(50):
        PersonFactory(organisation=w.other_school)
    generator().create_reserve()
    report = year_report(w.municipality, year=2026)
    assert (report.in_reserve, report.contest_in_reserve) == (35, 7)
    assert report.by_source[ReserveSource.CONTEST] == 7
    member = ReserveMember.objects.get(person=teacher)
    assert member.status == ReserveStatus.IN_RESERVE
    assert TrajectoryItem.objects.filter(member=member).count() == 3
    assert ReserveReview.objects.get().year == 2025
    assert not review_state(w.municipality, today=NOW.date()).overdue
