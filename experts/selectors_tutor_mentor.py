"""Reads of the tutor's bank of requests and of the mentor's pairs (pages under /expert/ and their panels).

Attendance, submissions and route steps belong to the activities app, which experts must not import: they are
reached through the reverse relations of Enrollment (attendance, submissions, route_items) by name only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from participants.models import Enrollment

from .models import ExpertAssignment, ExpertRole, IndividualRequest, MentoringMeeting, MentoringPair

R = IndividualRequest.Status
# Marks that count as having been at a session (activities.Attendance.Status values).
ATTENDED = ("present", "late")
# A tutor is expected to start the route within this many days of being assigned.
ROUTE_DUE_DAYS = 14
# A pair with no mentoring meeting logged for this long needs attention (a younger pair is not judged yet).
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


def tutor_requests(tutors: Sequence[ExpertAssignment]) -> QuerySet[IndividualRequest]:
    """The tutor's own requests first, then new ones of the tutor's seasons; one query with the route size.
    The bank's page narrows it with experts.filters.TutorRequestFilterSet."""
    tutor_ids = [a.pk for a in tutors]
    season_ids = {a.season_id for a in tutors}
    qs = IndividualRequest.objects.filter(
        Q(tutor_id__in=tutor_ids) | Q(status=R.NEW, tutor__isnull=True, enrollment__season_id__in=season_ids)
    )
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


def pair_running_q(today: date, prefix: str = "") -> Q:
    """A pair runs on `today` until its end date: not ended, or ending later (Pedkluster 27, the mentoring model)."""
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": today})


def pair_is_running(pair: MentoringPair, today: date) -> bool:
    return pair.ended_on is None or pair.ended_on > today


def _season_today(pair: MentoringPair, now: datetime) -> date:
    return timezone.localdate(now, timezone=pair.mentee.season.tz)


def is_quiet(pair: MentoringPair, *, now: datetime) -> bool:
    """No mentoring meeting logged in the last QUIET_DAYS days (the season's calendar); a pair younger than that,
    and a pair that has ended, are not judged. Needs `last_meeting` (mentor_pairs, season_mentor_map)."""
    today = _season_today(pair, now)
    since = today - timedelta(days=QUIET_DAYS)
    if not pair_is_running(pair, today) or pair.started_on > since:
        return False
    return pair.last_meeting is None or pair.last_meeting <= since


def _mark(pair: MentoringPair, now: datetime) -> MentoringPair:
    today = _season_today(pair, now)
    pair.running = pair_is_running(pair, today) and pair.mentee.status == Enrollment.Status.ACTIVE
    pair.quiet = pair.running and is_quiet(pair, now=now)
    return pair


def mentor_pairs(
    mentors: Sequence[ExpertAssignment], *, active_only: bool = False, now: datetime | None = None
) -> list[MentoringPair]:
    """The mentor's pairs with each mentee's progress (attended sessions, video lessons), the pair's meetings
    (how many, the latest) and `running` / `quiet` marks; one query whatever the number of pairs."""
    now = now or timezone.now()
    qs = MentoringPair.objects.filter(mentor_id__in=[a.pk for a in mentors])
    if active_only:
        # The widest «today» of any zone: a pair ending today somewhere is still read, then marked per season.
        qs = qs.filter(
            pair_running_q(timezone.localdate(now) - timedelta(days=1)), mentee__status=Enrollment.Status.ACTIVE
        )
    attended = Q(mentee__attendance__status__in=ATTENDED)
    pairs = list(
        qs.select_related("mentee__person__organisation", "mentee__season__program", "mentor__person")
        .annotate(
            attended=Count("mentee__attendance", filter=attended, distinct=True),
            submitted=Count("mentee__submissions", filter=Q(mentee__submissions__is_current=True), distinct=True),
            meetings_count=Count("meetings", distinct=True),
            last_meeting=Max("meetings__held_on"),
        )
        .order_by("ended_on", "mentee__person__last_name", "mentee__person__first_name", "pk")
    )
    pairs = [_mark(pair, now) for pair in pairs]
    return [p for p in pairs if p.running] if active_only else pairs


def season_mentor_map(season_ids: Sequence[int], *, now: datetime | None = None) -> list[ExpertAssignment]:
    """The mentor map: the active mentors of the seasons with their pairs, each marked `running` (the pair runs and
    its mentee takes part) and `quiet`; `active_pairs` are the running ones. Two queries."""
    now = now or timezone.now()
    pairs = (
        MentoringPair.objects.select_related("mentee__person__organisation", "mentee__season")
        .annotate(last_meeting=Max("meetings__held_on"), meetings_count=Count("meetings"))
        .order_by("ended_on", "mentee__person__last_name", "pk")
    )
    mentors = list(
        ExpertAssignment.objects.filter(season_id__in=list(season_ids), role=ExpertRole.MENTOR, is_active=True)
        .select_related("person__organisation", "season__program")
        .prefetch_related(Prefetch("mentees", queryset=pairs, to_attr="pairs"))
        .order_by("season__program__title", "season__starts_on", "person__last_name", "person__first_name")
    )
    for mentor in mentors:
        for pair in mentor.pairs:
            _mark(pair, now)
        mentor.active_pairs = [p for p in mentor.pairs if p.running]
        mentor.quiet_pairs = [p for p in mentor.active_pairs if p.quiet]
    return mentors


def pair_meetings(pair: MentoringPair) -> QuerySet[MentoringMeeting]:
    """A pair's meetings, newest first, with who logged them; one query."""
    return MentoringMeeting.objects.filter(pair=pair).select_related("created_by").order_by("-held_on", "-pk")
