"""Reads of the tutor's bank of requests and of the mentor's pairs (pages under /expert/ and their panels).

Attendance, submissions and route steps belong to the activities app, which experts must not import: they are
reached through the reverse relations of Enrollment (attendance, submissions, route_items) by name only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When

from .models import ExpertAssignment, ExpertRole, IndividualRequest, MentoringPair

R = IndividualRequest.Status
# Marks that count as having been at a session (activities.Attendance.Status values).
ATTENDED = ("present", "late")
# A tutor is expected to start the route within this many days of being assigned.
ROUTE_DUE_DAYS = 14
# A mentee with no attended session and no video lesson for this long needs the mentor's attention.
QUIET_DAYS = 30
# Route steps that count (activities.RouteItem.Status values other than «cancelled»).
ROUTE_COUNTED = ("planned", "done", "missed")
STATUS_ORDER = [R.ASSIGNED, R.IN_WORK, R.NEW, R.DONE, R.DECLINED]


def with_role(assignments: Sequence[ExpertAssignment], role: str) -> list[ExpertAssignment]:
    return [a for a in assignments if a.role == role]


def _status_rank():
    return Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )


def tutor_requests(
    tutors: Sequence[ExpertAssignment], *, status: str = "", form: str = ""
) -> QuerySet[IndividualRequest]:
    """The tutor's own requests first, then new ones of the tutor's seasons; one query with the route size."""
    tutor_ids = [a.pk for a in tutors]
    season_ids = {a.season_id for a in tutors}
    qs = IndividualRequest.objects.filter(
        Q(tutor_id__in=tutor_ids) | Q(status=R.NEW, tutor__isnull=True, enrollment__season_id__in=season_ids)
    )
    if status:
        qs = qs.filter(status=status)
    if form:
        qs = qs.filter(preferred_form=form)
    return (
        qs.select_related("enrollment__person__organisation", "enrollment__season__program", "subject", "tutor__person")
        .annotate(
            mine=Case(When(tutor_id__in=tutor_ids, then=Value(0)), default=Value(1), output_field=IntegerField()),
            status_rank=_status_rank(),
            route_steps=Count("enrollment__route_items", filter=Q(enrollment__route_items__status__in=ROUTE_COUNTED)),
        )
        .order_by("mine", "status_rank", "created_at", "pk")
    )


def tutor_request_for(tutors: Sequence[ExpertAssignment], pk: int) -> IndividualRequest | None:
    """One request the tutor may see: their own, or a new one of their seasons waiting for a tutor."""
    return tutor_requests(tutors).filter(pk=pk).first()


def tutor_summary(tutors: Sequence[ExpertAssignment], *, now: datetime) -> dict[str, int]:
    """What waits for the tutor, in one query. Overdue: assigned over ROUTE_DUE_DAYS ago with no route step.

    The assignment's time is the request's last change: assigning a tutor stamps it, and the status has not
    moved since (a request still «assigned» or «in work» without any step).
    """
    tutor_ids = [a.pk for a in tutors]
    season_ids = {a.season_id for a in tutors}
    mine = Q(tutor_id__in=tutor_ids)
    no_route = Q(enrollment__route_items__isnull=True)
    due = now - timedelta(days=ROUTE_DUE_DAYS)
    return IndividualRequest.objects.filter(
        mine | Q(status=R.NEW, tutor__isnull=True, enrollment__season_id__in=season_ids)
    ).aggregate(
        new=Count("pk", filter=Q(status=R.NEW, tutor__isnull=True), distinct=True),
        waiting=Count("pk", filter=mine & Q(status=R.ASSIGNED), distinct=True),
        in_work=Count("pk", filter=mine & Q(status=R.IN_WORK), distinct=True),
        overdue=Count(
            "pk",
            filter=mine & Q(status__in=[R.ASSIGNED, R.IN_WORK], updated_at__lt=due) & no_route,
            distinct=True,
        ),
    )


def mentor_pairs(mentors: Sequence[ExpertAssignment], *, active_only: bool = False) -> list[MentoringPair]:
    """The mentor's pairs with each mentee's progress: attended sessions, video lessons and the latest of
    either; one query whatever the number of pairs."""
    qs = MentoringPair.objects.filter(mentor_id__in=[a.pk for a in mentors])
    if active_only:
        qs = qs.filter(ended_on__isnull=True)
    attended = Q(mentee__attendance__status__in=ATTENDED)
    pairs = list(
        qs.select_related("mentee__person__organisation", "mentee__season__program", "mentor__person")
        .annotate(
            attended=Count("mentee__attendance", filter=attended, distinct=True),
            submitted=Count("mentee__submissions", filter=Q(mentee__submissions__is_current=True), distinct=True),
            last_attended=Max("mentee__attendance__session__starts_at", filter=attended),
            last_submitted=Max("mentee__submissions__submitted_at"),
        )
        .order_by("ended_on", "mentee__person__last_name", "mentee__person__first_name", "pk")
    )
    for pair in pairs:
        moments = [m for m in (pair.last_attended, pair.last_submitted) if m is not None]
        pair.last_activity = max(moments) if moments else None
    return pairs


def is_quiet(pair: MentoringPair, *, now: datetime) -> bool:
    """No attended session and no video lesson in QUIET_DAYS (a pair younger than that is not judged yet)."""
    since = now - timedelta(days=QUIET_DAYS)
    if pair.ended_on is not None or pair.started_on > since.date():
        return False
    return pair.last_activity is None or pair.last_activity < since


def season_mentor_map(season_ids: Sequence[int]) -> list[ExpertAssignment]:
    """The mentor map: the active mentors of the seasons with their pairs (active first), two queries."""
    pairs = MentoringPair.objects.select_related("mentee__person__organisation").order_by(
        "ended_on", "mentee__person__last_name", "pk"
    )
    return list(
        ExpertAssignment.objects.filter(season_id__in=list(season_ids), role=ExpertRole.MENTOR, is_active=True)
        .select_related("person__organisation", "season__program")
        .prefetch_related(Prefetch("mentees", queryset=pairs, to_attr="pairs"))
        .order_by("season__program__title", "season__starts_on", "person__last_name", "person__first_name")
    )
