"""Seed 000 (order № 643-од, «Прогрессивный педагог») §1.4 and §2.2, walked through on the real services with
explicit dates in the season's zone (Asia/Yekaterinburg, UTC+5).

§1.4: «Куратор … Ежемесячно посещает уроки каждого участника и даёт обратную связь»; §2.2: «посещения методистом
или куратором участника не менее раза в квартал». A month is due on its last day and overdue from the next day;
months before the participant's admission or after the season's end are not due.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from experts.models import ExpertGroup, ExpertRole, GroupMember, VisitMode
from experts.selectors_obligations import season_obligations, visit_dues
from experts.services import lesson_visit_log
from programs.models import VisitPeriod
from programs.program_templates import PROGRESSIVE_TEACHER
from programs.templates_service import program_template_apply
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory

pytestmark = pytest.mark.django_db

YEKB = ZoneInfo("Asia/Yekaterinburg")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=YEKB)


@pytest.fixture
def season():
    return program_template_apply(template=PROGRESSIVE_TEACHER)


@pytest.fixture
def curator(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)


def participant(season, curator, admitted: datetime):
    group, _created = ExpertGroup.objects.get_or_create(season=season, name="Группа 1", defaults={"curator": curator})
    enrollment = EnrollmentFactory(season=season, status_changed_at=admitted)
    GroupMember.objects.create(group=group, enrollment=enrollment)
    return enrollment


def visit(enrollment, expert, on: date):
    return lesson_visit_log(
        enrollment=enrollment, expert=expert, visited_on=on, mode=VisitMode.IN_PERSON, lesson="Урок", today=on
    )


def dues_at(enrollment, now):
    (due,) = visit_dues([type(enrollment).objects.select_related("season").get(pk=enrollment.pk)], now)
    return due


def test_the_template_sets_monthly_visits_and_a_new_season_requires_none(season):
    assert season.visit_period == VisitPeriod.MONTHLY
    assert SeasonFactory().visit_period == VisitPeriod.NONE


def test_november_without_a_visit_is_overdue_on_1_december_not_before(season, curator):
    teacher = participant(season, curator, admitted=at(2024, 10, 1, 9))
    visit(teacher, curator, date(2024, 10, 10))
    visit(teacher, curator, date(2024, 12, 5))

    # 30 November, 23:30 in Yekaterinburg: November is still running, nothing is overdue.
    due = dues_at(teacher, at(2024, 11, 30, 23, 30))
    assert [p.key for p in due.periods] == [(2024, 10), (2024, 11)]
    assert due.overdue == []
    assert due.current.key == (2024, 11) and due.current.due_on == date(2024, 11, 30)
    assert not due.current_visited

    # 1 December, 00:30 in Yekaterinburg (still 30 November in Moscow and in UTC): November is overdue.
    due = dues_at(teacher, at(2024, 12, 1, 0, 30))
    assert [p.key for p in due.overdue] == [(2024, 11)]

    # Later in the season October and December stay visited; only November is missing.
    due = dues_at(teacher, at(2025, 1, 10, 12))
    assert [p.key for p in due.overdue] == [(2024, 11)]
    assert due.visited == {(2024, 10), (2024, 12)}


def test_a_methodist_of_the_season_covers_the_month_too(season, curator):
    teacher = participant(season, curator, admitted=at(2024, 10, 1, 9))
    methodist = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    visit(teacher, methodist, date(2024, 11, 20))
    # November is covered by the methodist; October, with no visit at all, is overdue.
    assert [p.key for p in dues_at(teacher, at(2024, 12, 1, 0, 30)).overdue] == [(2024, 10)]


def test_a_participant_admitted_on_15_november_owes_no_october_visit(season, curator):
    late = participant(season, curator, admitted=at(2024, 11, 15, 10))
    due = dues_at(late, at(2024, 12, 1, 0, 30))
    assert [p.key for p in due.periods] == [(2024, 11), (2024, 12)]
    assert [p.key for p in due.overdue] == [(2024, 11)]


def test_months_after_the_season_end_are_not_due(season, curator):
    teacher = participant(season, curator, admitted=at(2025, 6, 1, 9))
    due = dues_at(teacher, at(2025, 9, 15, 12))
    assert [p.key for p in due.periods] == [(2025, 6)]


def test_quarterly_period_needs_one_visit_a_quarter(season, curator):
    season.visit_period = VisitPeriod.QUARTERLY
    season.save(update_fields=["visit_period"])
    teacher = participant(season, curator, admitted=at(2024, 10, 1, 9))
    visit(teacher, curator, date(2024, 10, 10))
    due = dues_at(teacher, at(2025, 4, 1, 0, 30))
    assert [p.key for p in due.periods] == [(2024, 4), (2025, 1), (2025, 2)]
    assert [p.key for p in due.overdue] == [(2025, 1)]


def test_nothing_is_due_when_the_season_requires_no_visits(season, curator):
    season.visit_period = VisitPeriod.NONE
    season.save(update_fields=["visit_period"])
    teacher = participant(season, curator, admitted=at(2024, 10, 1, 9))
    assert visit_dues([teacher], at(2025, 1, 10, 12)) == []


def test_the_coordinators_report_lists_the_overdue_month_by_curator(season, curator):
    teacher = participant(season, curator, admitted=at(2024, 10, 1, 9))
    visited = participant(season, curator, admitted=at(2024, 10, 1, 9))
    for on in (date(2024, 10, 10), date(2024, 11, 10)):
        visit(teacher if on.month == 10 else visited, curator, on)
    visit(visited, curator, date(2024, 10, 11))
    report = season_obligations(season, at(2024, 12, 1, 0, 30))
    assert [(c, {d.enrollment for d in dues}) for c, dues in report.by_curator()] == [(curator, {teacher, visited})]
    assert {d.enrollment.pk: [p.key for p in d.overdue] for d in report.visits} == {
        teacher.pk: [(2024, 11)],
        visited.pk: [],
    }
    assert report.overdue_visits == 1
