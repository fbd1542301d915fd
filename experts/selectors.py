"""Reads of the bank of requests used by the cabinet and the admin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from participants.models import Enrollment, Person

from .models import (
    CompetenceTest,
    Consultation,
    ExpertAssignment,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    IndividualRequest,
    LessonVisit,
)

# Route steps by status (activities.RouteItem.Status values; experts does not import activities).
ROUTE_STEP_COUNTED = ("planned", "done", "missed")


def person_requests(person: Person, *, enrollment: Enrollment | None = None) -> list[IndividualRequest]:
    """A teacher's individual requests (of one enrollment, when given), newest first, with season, subject,
    tutor and the state of the route the tutor builds from them (seed 004, разд. III): `route_steps` — steps not
    cancelled, `route_planned` — those still ahead. One query; the route is reached as enrollment.route_items."""
    qs = IndividualRequest.objects.filter(enrollment__person=person)
    if enrollment is not None:
        qs = qs.filter(enrollment=enrollment)
    return list(
        qs.select_related("enrollment__season__program", "subject", "tutor__person")
        .annotate(
            route_steps=Count(
                "enrollment__route_items", filter=Q(enrollment__route_items__status__in=ROUTE_STEP_COUNTED)
            ),
            route_planned=Count("enrollment__route_items", filter=Q(enrollment__route_items__status="planned")),
        )
        .order_by("-created_at", "-pk")
    )


def season_tutors(season_ids: Iterable[int]) -> QuerySet[ExpertAssignment]:
    """Active tutors of the given seasons, the ones a request may be assigned to."""
    return (
        ExpertAssignment.objects.filter(season_id__in=list(season_ids), role=ExpertRole.TUTOR, is_active=True)
        .select_related("person", "season__program")
        .order_by("season__program__title", "person__last_name", "person__first_name")
    )


def person_expert_assignments(person: Person, *, today=None) -> list[ExpertAssignment]:
    """The person's active expert assignments in seasons that have not ended: one query."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return list(
        ExpertAssignment.objects.filter(person=person, is_active=True, season__ends_on__gte=today)
        .select_related("season__program", "subject")
        .order_by("season__starts_on", "role")
    )


# === Groups, lesson visits and consultations (приказ 643-од, положение, п. 2.2) ===========================


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int
    starts_on: date
    ends_on: date

    @classmethod
    def of(cls, year: int, number: int) -> Quarter:
        if not 1 <= number <= 4:
            raise ValueError(number)
        starts_on = date(year, 3 * number - 2, 1)
        next_start = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
        return cls(year, number, starts_on, next_start - timedelta(days=1))

    def elapsed(self, today: date) -> float:
        """The share of the quarter that has passed by the end of `today` (0…1)."""
        days = (self.ends_on - self.starts_on).days + 1
        return min(max(((today - self.starts_on).days + 1) / days, 0.0), 1.0)


# A quarter more than two thirds over with a participant not yet visited is overdue (seed 000 §2.2).
OVERDUE_SHARE = 2 / 3


def season_today(season, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), season.tz).date()


def current_quarter(season, now: datetime | None = None) -> Quarter:
    """The quarter running now in the season's time zone."""
    today = season_today(season, now)
    return Quarter.of(today.year, (today.month - 1) // 3 + 1)


def group_members_with_results(group: ExpertGroup) -> list[GroupMember]:
    """The group's members with person, entry interview, competence tests (newest first) and the date of their
    last lesson visit (`last_visit`): two queries whatever the number of members."""
    return list(
        GroupMember.objects.filter(group=group)
        .select_related("enrollment__person__organisation", "enrollment__entry_interview__interviewer__person")
        .prefetch_related(
            Prefetch("enrollment__competence_tests", queryset=CompetenceTest.objects.order_by("-taken_on", "-pk"))
        )
        .annotate(last_visit=Max("enrollment__lesson_visits__visited_on"))
        .order_by("enrollment__person__last_name", "enrollment__person__first_name", "pk")
    )


@dataclass
class CoverageRow:
    group: ExpertGroup | None  # None: active participants without a group
    active: int = 0
    visited: int = 0

    @property
    def share(self) -> Decimal | None:
        """Visited / active as a percentage with one decimal, or None with nobody active."""
        if not self.active:
            return None
        return (Decimal(self.visited * 100) / self.active).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def not_visited(self) -> int:
        return self.active - self.visited


@dataclass
class Coverage:
    quarter: Quarter
    rows: list[CoverageRow]
    total: CoverageRow


def visit_coverage(*, season, year: int, quarter: int) -> Coverage:
    """Per group and overall: the season's active participants and how many of them had a lesson visited at
    least once in the quarter (seed 000 §2.2). Two queries whatever the number of groups and participants."""
    q = Quarter.of(year, quarter)
    groups = list(ExpertGroup.objects.filter(season=season).select_related("curator__person").order_by("name", "pk"))
    rows = {g.pk: CoverageRow(group=g) for g in groups}
    no_group = CoverageRow(group=None)
    total = CoverageRow(group=None)
    visited = LessonVisit.objects.filter(
        enrollment=OuterRef("pk"), visited_on__gte=q.starts_on, visited_on__lte=q.ends_on
    )
    participants = (
        Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE)
        .annotate(visited=Exists(visited))
        .values_list("group_membership__group_id", "visited")
    )
    for group_id, was_visited in participants:
        row = rows.get(group_id, no_group)
        for target in (row, total):
            target.active += 1
            target.visited += int(bool(was_visited))
    ordered = list(rows.values())
    if no_group.active:
        ordered.append(no_group)
    return Coverage(quarter=q, rows=ordered, total=total)


def expert_visits(person) -> list[LessonVisit]:
    """Lesson visits the person logged, newest first, with participant and season: one query."""
    return list(
        LessonVisit.objects.filter(expert__person=person)
        .select_related("enrollment__person", "enrollment__season__program", "subject", "expert")
        .order_by("-visited_on", "-pk")
    )


def expert_consultations(person) -> QuerySet[Consultation]:
    """Consultations the person held (all their roles), newest first, with the participants' count: one query.
    The list page narrows it with experts.filters.ConsultationFilterSet."""
    return (
        Consultation.objects.filter(expert__person=person)
        .select_related("season__program", "expert")
        .annotate(participants_count=Count("participants"))
        .order_by("-held_at", "-pk")
    )


def person_visits(person, *, enrollments: list[Enrollment] | None = None) -> list[LessonVisit]:
    """A teacher's visited lessons, for the cabinet (recommendations, never notes): one query.

    Given every enrollment of the person already loaded with season and program (the cabinet's), each visit
    shares them instead of the query joining and rebuilding them for every row."""
    if enrollments is None:
        return list(
            LessonVisit.objects.filter(enrollment__person=person)
            .select_related("enrollment__season__program", "expert__person", "subject")
            .defer("notes")
            .order_by("-visited_on", "-pk")
        )
    by_id = {e.pk: e for e in enrollments}
    # Newest first, sorted here: without an ORDER BY Django need not hash every joined column while compiling.
    visits = sorted(
        LessonVisit.objects.filter(enrollment_id__in=list(by_id))
        .select_related("expert__person", "subject")
        .defer("notes")
        .order_by(),
        key=lambda visit: (visit.visited_on, visit.pk),
        reverse=True,
    )
    for visit in visits:
        visit.enrollment = by_id[visit.enrollment_id]
    return visits


def person_consultations(person) -> list[Consultation]:
    """That consultations took place for a teacher — date, kind, the specialist's role — never their content.

    One query; `content` and `topic` are not even fetched (a psychologist's topic may say too much)."""
    return list(
        Consultation.objects.filter(participants__person=person)
        .select_related("season__program", "expert")
        .only("held_at", "kind", "season__title", "season__program__title", "season__time_zone", "expert__role")
        .order_by("-held_at", "-pk")
        .distinct()
    )


def season_chat_members(season) -> list[Enrollment]:
    """The season's active participants for the chat page (seed 000 §4.4): those still to confirm first (a claim
    waiting, then nothing said), then the confirmed; with person, organisation and who confirmed. One query."""
    rows = (
        Enrollment.objects.filter(season=season, status=Enrollment.Status.ACTIVE)
        .select_related("person__organisation", "chat_join_confirmed_by__person")
        .order_by(
            F("chat_joined_at").asc(nulls_first=True),
            F("chat_join_claimed_at").asc(nulls_last=True),
            "person__last_name",
            "person__first_name",
            "pk",
        )
    )
    return list(rows)
