"""Due dates and overdue flags of the curator's lesson visits and of the experts' quarterly feedback.

Seed 000 §1.4: the curator «ежемесячно посещает уроки каждого участника и даёт обратную связь»; §2.2: «посещения
методистом или куратором участника не менее раза в квартал» and feedback «от участников и экспертов (минимум раз
в квартал)». The season's `visit_period` says which applies (programs.periods explains due dates). Every read
here runs a constant number of queries whatever the number of participants, experts or months.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F

from participants.feedback import FeedbackDue, admitted_on, feedback_dues, participant_feedback_dues
from participants.models import Enrollment, FeedbackQuestion
from programs.models import Season
from programs.periods import Period, due_periods, season_day, visit_months

from .models import ExpertAssignment, ExpertFeedbackResponse, ExpertRole, LessonVisit

# Roles whose visit counts (§2.2: «методистом или куратором»).
VISITING_ROLES = (ExpertRole.CURATOR, ExpertRole.METHODIST)
# The expert team that gives quarterly feedback (the appendix's team and the tutors and mentors of other
# programs); the project head and the administrator run the project and are not asked.
FEEDBACK_ROLES = tuple(r for r in ExpertRole.values if r not in (ExpertRole.PROJECT_HEAD, ExpertRole.ADMINISTRATOR))


@dataclass
class VisitDue:
    """One active participant's visit months (or quarters) up to today: which were visited, which are overdue."""

    enrollment: Enrollment
    today: date
    periods: list[Period]
    visited: set[tuple[int, int]]

    @property
    def curator(self) -> ExpertAssignment | None:
        membership = getattr(self.enrollment, "group_membership", None)
        return membership.group.curator if membership is not None else None

    @property
    def group(self):
        membership = getattr(self.enrollment, "group_membership", None)
        return membership.group if membership is not None else None

    @property
    def current(self) -> Period | None:
        return next((p for p in self.periods if p.contains(self.today) and not p.overdue(self.today)), None)

    @property
    def current_visited(self) -> bool:
        return self.current is not None and self.current.key in self.visited

    @property
    def overdue(self) -> list[Period]:
        return [p for p in self.periods if p.overdue(self.today) and p.key not in self.visited]


def active_enrollments(**filters) -> list[Enrollment]:
    """Active enrollments with season, person and group curator: one query."""
    return list(
        Enrollment.objects.filter(status=Enrollment.Status.ACTIVE, **filters)
        .select_related("season__program", "person", "group_membership__group__curator__person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def visit_dues(enrollments: list[Enrollment], now: datetime) -> list[VisitDue]:
    """The visits owed to active enrollments (season loaded) whose season requires them: one query for the
    visits. A visit counts when made by a curator or methodist of the participant's season."""
    due = [e for e in enrollments if e.status == Enrollment.Status.ACTIVE and visit_months(e.season)]
    if not due:
        return []
    visits: dict[int, list[date]] = defaultdict(list)
    rows = (
        LessonVisit.objects.filter(
            enrollment__in=[e.pk for e in due],
            expert__role__in=VISITING_ROLES,
            expert__season_id=F("enrollment__season_id"),
        )
        .values_list("enrollment_id", "visited_on")
        .distinct()
    )
    for enrollment_id, visited_on in rows:
        visits[enrollment_id].append(visited_on)
    result = []
    for enrollment in due:
        season = enrollment.season
        months = visit_months(season)
        today = season_day(season, now)
        periods = due_periods(season, months, since=admitted_on(enrollment), until=today)
        visited = {p.key for p in periods for d in visits[enrollment.pk] if p.contains(d)}
        result.append(VisitDue(enrollment=enrollment, today=today, periods=periods, visited=visited))
    return result


# --- The experts' quarterly feedback ---------------------------------------------------------------------


def expert_questions(season_ids) -> dict[int, list[FeedbackQuestion]]:
    """Each season's questions for experts: its active «эксперты» questions, or, when it has none, the same ones
    the participants answer. One query."""
    by_season: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for question in FeedbackQuestion.objects.filter(season_id__in=list(season_ids), is_active=True).order_by(
        "order", "pk"
    ):
        by_season[question.season_id][question.audience].append(question)
    return {
        season_id: groups.get(FeedbackQuestion.Audience.EXPERTS) or groups.get(FeedbackQuestion.Audience.PARTICIPANTS)
        for season_id, groups in by_season.items()
    }


def feedback_assignment(person_assignments: list[ExpertAssignment]) -> ExpertAssignment:
    """Of a person's assignments in one season, the one their feedback is stored under (the earliest)."""
    return min(person_assignments, key=lambda a: a.pk)


def expert_feedback_dues(assignments: list[ExpertAssignment], now: datetime) -> list[FeedbackDue]:
    """The quarterly feedback owed by experts: one due per person and season (a person holding two roles answers
    once), counted from the earliest assignment, in the order given. Two queries whatever the number of experts
    (one when their seasons ask no questions)."""
    active = [a for a in assignments if a.is_active and a.role in FEEDBACK_ROLES]
    if not active:
        return []
    by_person_season: dict[tuple[int, int], list[ExpertAssignment]] = defaultdict(list)
    for a in active:
        by_person_season[(a.person_id, a.season_id)].append(a)
    chosen = [feedback_assignment(group) for group in by_person_season.values()]
    questions = {sid: len(qs) for sid, qs in expert_questions({a.season_id for a in chosen}).items()}
    if not questions:
        return []
    answered: dict[int, dict] = defaultdict(dict)
    owner = {}
    for group in by_person_season.values():
        for a in group:
            if a.season_id in questions:
                owner[a.pk] = feedback_assignment(group).pk
    for assignment_id, year, quarter, at in ExpertFeedbackResponse.objects.filter(
        assignment_id__in=list(owner)
    ).values_list("assignment_id", "year", "quarter", "submitted_at"):
        answered[owner[assignment_id]][(year, quarter)] = at
    return feedback_dues(
        chosen,
        season_of=lambda a: a.season,
        since_of=lambda a: season_day(a.season, a.assigned_at),
        questions_by_season=questions,
        answered=answered,
        now=now,
    )


# --- The coordinator's page -------------------------------------------------------------------------------


@dataclass
class QuarterFeedback:
    period: Period
    participants: list[Enrollment]  # active participants who have not answered
    experts: list[ExpertAssignment]  # experts who have not answered
    overdue: bool


@dataclass
class SeasonObligations:
    season: Season
    today: date
    visits: list[VisitDue]  # participants with an overdue visit or none yet this period
    feedback: list[QuarterFeedback]  # newest quarter first

    @property
    def overdue_visits(self) -> int:
        return sum(len(v.overdue) for v in self.visits)

    def by_curator(self) -> list[tuple[ExpertAssignment | None, list[VisitDue]]]:
        groups: dict[int | None, list[VisitDue]] = defaultdict(list)
        curators = {}
        for due in self.visits:
            curator = due.curator
            key = curator.pk if curator else None
            curators[key] = curator
            groups[key].append(due)
        keys = sorted(groups, key=lambda k: (k is None, curators[k].person.last_name if k else "", k or 0))
        return [(curators[k], groups[k]) for k in keys]


def season_obligations(season: Season, now: datetime) -> SeasonObligations:
    """The season's overdue and outstanding visits by curator and participant, and per quarter the participants
    and experts who have not given feedback. At most seven queries whatever the size of the season."""
    enrollments = active_enrollments(season=season)
    visits = [v for v in visit_dues(enrollments, now) if v.overdue or (v.current and not v.current_visited)]
    assignments = list(
        ExpertAssignment.objects.filter(season=season, is_active=True)
        .select_related("season__program", "person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    quarters: dict[tuple[int, int], QuarterFeedback] = {}
    today = season_day(season, now)
    for due, target in [(d, "participants") for d in participant_feedback_dues(enrollments, now)] + [
        (d, "experts") for d in expert_feedback_dues(assignments, now)
    ]:
        for period in due.periods:
            row = quarters.setdefault(
                period.key, QuarterFeedback(period=period, participants=[], experts=[], overdue=period.overdue(today))
            )
            if due.missing(period):
                getattr(row, target).append(due.subject)
    feedback = [quarters[k] for k in sorted(quarters, reverse=True)]
    return SeasonObligations(season=season, today=today, visits=visits, feedback=feedback)
