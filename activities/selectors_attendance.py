"""Reads for taking attendance: a session's expected participants with their marks, and the sessions a
coordinator or an expert may mark, with how many participants are still unmarked."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from participants.models import Enrollment, Person, User
from participants.roles import user_is_coordinator
from programs.models import Season

from .models import ActivityAudience, Attendance, RouteItem, Session
from .rules import ATTENDANCE_EXPERT_ROLES
from .video_state import format_moment

# The sessions list covers this much of the past and of the future.
LIST_PAST = timedelta(days=45)
LIST_FUTURE = timedelta(days=30)
# Attendance is due within a day of a session's end; later, unmarked participants count as overdue.
MARKING_DUE = timedelta(days=1)


# --- Who is expected at a session (положение «Прогрессивный педагог», п. 3, п. 4.4) ----------------------------
#
# One definition, written once as a Q builder over Enrollment fields and applied at four places of a query:
# for one session (its values are constants), in a subquery over enrollments counted per session (OuterRef), over
# attendance marks (their own session and enrollment) and over enrollments joined to their season's sessions
# (pairs for the deadline job). Expected = an active enrollment of the session's season, admitted
# (status_changed_at) before the session ended, that matches the activity's audience:
#   «Все участники сезона» — everyone;
#   «Выбравшие формат обучения» — preferred_format, or the participant's group's learning_format, equals the
#   activity's learning_format (each teacher takes the intensive of the format chosen, п. 3);
#   «Приглашённые» — Session.invited, plus every teacher whose individual route holds the session (RouteItem.session)
#   or its activity without a session, the route step not cancelled;
#   «По желанию» — nobody is expected (no default marks, no absences), but anyone admitted may come: «listed».


@dataclass(frozen=True)
class _Refs:
    """Where the session's and the enrollment's fields are, seen from the query being filtered."""

    # Path prefix of the Enrollment's fields in the filtered model ("" for Enrollment, "enrollment__" for marks).
    enrollment: str
    # A session field («pk», «ends_at», «activity__audience» …) as a value or an expression at this level.
    session: Callable[[str], Any]
    # The same, one level down: inside an Exists over invitations or route steps.
    inner_session: Callable[[str], Any]
    # The enrollment's id inside such an Exists.
    inner_enrollment: Any
    # The audience when known in advance (one session): only its branch is built.
    audience: str | None = None


def _constant(session: Session) -> Callable[[str], Any]:
    def get(path: str):
        value = session
        for part in path.split("__"):
            value = getattr(value, part)
        return value

    return get


def _audience_q(r: _Refs, *, listed: bool) -> Q:
    """The enrollments that match the session's audience; «По желанию» only when `listed`."""
    e = r.enrollment
    fmt = r.session("activity__learning_format")
    route_steps = (
        RouteItem.objects.filter(enrollment_id=r.inner_enrollment)
        .exclude(status=RouteItem.Status.CANCELLED)
        .filter(
            Q(session_id=r.inner_session("pk")) | Q(session__isnull=True, activity_id=r.inner_session("activity_id"))
        )
    )
    invitations = Session.invited.through.objects.filter(
        session_id=r.inner_session("pk"), enrollment_id=r.inner_enrollment
    )
    branches = {
        ActivityAudience.ALL: Q(),
        ActivityAudience.FORMAT: Q(**{f"{e}preferred_format": fmt})
        | Q(**{f"{e}group_membership__group__learning_format": fmt}),
        ActivityAudience.INVITED: Q(Exists(invitations)) | Q(Exists(route_steps)),
    }
    if listed:
        branches[ActivityAudience.OPEN] = Q()
    if r.audience is not None:
        return branches.get(r.audience, Q(pk__in=[]))
    return reduce(
        operator.or_,
        (Q(Exact(r.session("activity__audience"), Value(str(audience)))) & q for audience, q in branches.items()),
    )


def _expected_q(r: _Refs, *, listed: bool = False) -> Q:
    e = r.enrollment
    admitted = Q(
        **{
            f"{e}season_id": r.session("activity__season_id"),
            f"{e}status": Enrollment.Status.ACTIVE,
            f"{e}status_changed_at__lte": r.session("ends_at"),
        }
    )
    return admitted & _audience_q(r, listed=listed)


def _single(session: Session) -> _Refs:
    get = _constant(session)
    return _Refs("", get, get, OuterRef("pk"), audience=session.activity.audience)


# Enrollments counted in a subquery per session: the outer query is over Session.
_PER_SESSION = _Refs("", lambda n: OuterRef(n), lambda n: OuterRef(OuterRef(n)), OuterRef("pk"))
# Attendance marks: their own session and enrollment.
_PER_MARK = _Refs(
    "enrollment__",
    lambda n: F(f"session__{n}"),
    lambda n: OuterRef(f"session__{n}"),
    OuterRef("enrollment_id"),
)


def _by_name(session: Session) -> QuerySet[Enrollment]:
    return Enrollment.objects.order_by("person__last_name", "person__first_name", "person__middle_name", "pk")


def expected_enrollments(session: Session) -> QuerySet[Enrollment]:
    """The participants expected at a session (see above), sorted by ФИО: nobody for «По желанию»."""
    return _by_name(session).filter(_expected_q(_single(session)))


def listed_enrollments(session: Session) -> QuerySet[Enrollment]:
    """Whom the attendance page lists and who may be marked or check in: the expected participants, and for
    «По желанию» every participant admitted before the session ended."""
    return _by_name(session).filter(_expected_q(_single(session), listed=True))


def expected_marks(marks: QuerySet[Attendance], *, listed: bool = False) -> QuerySet[Attendance]:
    """The marks of participants expected (with `listed`: or listed) at their session — by the audience alone: a
    mark stays expected once the season is over and its enrollment completed (KPIs, certificates read past seasons)."""
    condition = Q(enrollment__season_id=F("session__activity__season_id")) & _audience_q(_PER_MARK, listed=listed)
    return marks.filter(condition)


def expected_count_subquery(*, listed: bool = False, marked: bool = False, defaults: bool = False) -> Subquery:
    """For a queryset of sessions: how many participants are expected (or listed) at each — of them, with `marked`
    those with a mark, with `defaults` those whose mark is a default one. One subquery."""
    enrollments = Enrollment.objects.filter(_expected_q(_PER_SESSION, listed=listed))
    if marked or defaults:
        marks = Attendance.objects.filter(session_id=OuterRef(OuterRef("pk")), enrollment_id=OuterRef("pk"))
        enrollments = enrollments.filter(Exists(marks.filter(is_default=True) if defaults else marks))
    return Subquery(
        enrollments.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def visible_pairs(enrollment_ids: list[int]) -> set[tuple[int, int]]:
    """(session id, enrollment id) of the sessions of the enrollments' seasons each may attend by the audience alone
    (all, open, their format, invited or on their route): the teacher's roadmap, calendar and risks. One query."""
    if not enrollment_ids:
        return set()
    prefix = "season__activities__sessions__"
    r = _Refs("", lambda n: F(prefix + n), lambda n: OuterRef(prefix + n), OuterRef("pk"))
    rows = (
        Enrollment.objects.filter(Q(pk__in=enrollment_ids, **{f"{prefix}isnull": False}) & _audience_q(r, listed=True))
        .order_by()
        .values_list(f"{prefix}pk", "pk")
    )
    return set(rows)


def visible_enrollment_subquery(enrollment_ids: list[int]) -> Subquery:
    """For a queryset of sessions and the enrollments of one person (one a season): the id of the enrollment that
    may attend each session by its audience (as visible_pairs), or NULL — inside the sessions' own query."""
    return Subquery(
        Enrollment.objects.filter(
            Q(pk__in=enrollment_ids, season_id=OuterRef("activity__season_id")) & _audience_q(_PER_SESSION, listed=True)
        )
        .order_by("pk")
        .values("pk")[:1]
    )


def expected_pairs(sessions: list[Session]) -> set[tuple[int, int]]:
    """(session id, enrollment id) of everyone expected at any of the sessions: one query, whatever their number."""
    if not sessions:
        return set()
    prefix = "season__activities__sessions__"
    r = _Refs("", lambda n: F(prefix + n), lambda n: OuterRef(prefix + n), OuterRef("pk"))
    rows = (
        Enrollment.objects.filter(Q(**{f"{prefix}pk__in": [s.pk for s in sessions]}) & _expected_q(r))
        .order_by()
        .values_list(f"{prefix}pk", "pk")
    )
    return set(rows)


def not_listed_reason(session: Session, enrollment: Enrollment, *, you: bool = False) -> str | None:
    """Why the participant may not be marked (or check in) at the session, in Russian; None when they may.

    One query (the listed check); the session comes with its activity and season. `you` words it to the teacher.
    """
    if listed_enrollments(session).filter(pk=enrollment.pk).exists():
        return None
    return why_not_listed(session, enrollment, you=you)


def why_not_listed(session: Session, enrollment: Enrollment, *, you: bool = False) -> str:
    """The reason for a participant known not to be listed at the session (no query)."""
    season = session.activity.season
    if enrollment.season_id != season.pk:
        return _("Вы записаны в другой сезон программы.") if you else _("Участник записан в другой сезон программы.")
    if enrollment.status != Enrollment.Status.ACTIVE:
        return _("Отмечаться могут только участники программы; статус: «%(status)s».") % {
            "status": enrollment.get_status_display()
        }
    if enrollment.status_changed_at > session.ends_at:
        return _("Участие утверждено %(when)s — после окончания занятия, поэтому на нём не ожидается.") % {
            "when": format_moment(enrollment.status_changed_at, season)
        }
    activity = session.activity
    if activity.audience == ActivityAudience.FORMAT:
        chosen = enrollment.preferred_format
        text = (
            _("Это занятие — для выбравших формат обучения «%(format)s», а вы выбрали «%(chosen)s».")
            if you
            else _("Это занятие — для выбравших формат обучения «%(format)s», а участник выбрал «%(chosen)s».")
        )
        if not chosen:
            text = (
                _("Это занятие — для выбравших формат обучения «%(format)s», а вы формат не выбрали.")
                if you
                else _("Это занятие — для выбравших формат обучения «%(format)s», а участник формат не выбрал.")
            )
        return text % {"format": activity.learning_format, "chosen": chosen}
    if activity.audience == ActivityAudience.INVITED:
        return (
            _("На это занятие приглашены отдельные участники, и вас среди них нет (нет его и в вашем маршруте).")
            if you
            else _("Участник не приглашён на это занятие, и в его индивидуальном маршруте этого занятия нет.")
        )
    return _("Участник не ожидается на этом занятии.")


@dataclass
class AttendanceRow:
    enrollment: Enrollment
    mark: Attendance | None
    group_name: str

    @property
    def person(self) -> Person:
        return self.enrollment.person


def session_attendance_rows(session: Session) -> list[AttendanceRow]:
    """Every listed participant (listed_enrollments) with their mark (and who set it) and group: two queries."""
    enrollments = list(listed_enrollments(session).select_related("person", "group_membership__group"))
    marks = {
        a.enrollment_id: a
        for a in Attendance.objects.filter(session=session, enrollment_id__in=[e.pk for e in enrollments])
        .select_related("marked_by")
        .order_by()
    }
    rows = []
    for enrollment in enrollments:
        # The reverse one-to-one of experts.GroupMember, joined above; absent when the participant has no group.
        membership = getattr(enrollment, "group_membership", None)
        rows.append(AttendanceRow(enrollment, marks.get(enrollment.pk), membership.group.name if membership else ""))
    return rows


def attendance_sessions_for(user: User, *, now: datetime) -> QuerySet[Session]:
    """The recent and upcoming sessions the user may mark, with counts: expected, unmarked, default marks.

    Superusers see every session; a staff coordinator those of their municipality; an expert those of the
    seasons they work in (in a role that takes attendance). One query, whatever the number of sessions.
    """
    sessions = Session.objects.filter(starts_at__gte=now - LIST_PAST, starts_at__lte=now + LIST_FUTURE)
    if not user.is_authenticated or not user.is_active:
        return sessions.none()
    if not user.is_superuser:
        # experts.ExpertAssignment through its reverse name on Season: activities does not import experts.
        season_ids = Season.objects.filter(
            experts__person__user_id=user.pk, experts__is_active=True, experts__role__in=ATTENDANCE_EXPERT_ROLES
        ).values("pk")
        allowed = Q(activity__season_id__in=season_ids)
        if user_is_coordinator(user):
            allowed |= Q(activity__season__program__municipality_id=user.municipality_id)
        sessions = sessions.filter(allowed)
    # Counted over the expected participants only (their audience, admitted before the end): nobody is «unmarked»
    # at another format's intensive or at a meeting «По желанию».
    return (
        sessions.select_related("activity__season__program")
        .annotate(
            expected_count=Coalesce(expected_count_subquery(), Value(0)),
            marked_count=Coalesce(expected_count_subquery(marked=True), Value(0)),
            default_count=Coalesce(expected_count_subquery(defaults=True), Value(0)),
        )
        .order_by("-starts_at", "-pk")
    )


def attendance_overdue_summary(sessions: QuerySet[Session], *, now: datetime) -> dict:
    """Over the listed sessions: those ended more than a day ago with someone unmarked, and how many unmarked."""
    ended = sessions.filter(ends_at__lt=now - MARKING_DUE).order_by()
    rows = list(ended.values("expected_count", "marked_count", "default_count"))
    overdue = [r["expected_count"] - r["marked_count"] for r in rows if r["expected_count"] > r["marked_count"]]
    defaults = [r["default_count"] for r in rows if r["default_count"]]
    return {
        "overdue_sessions": len(overdue),
        "overdue_participants": sum(overdue),
        # Default marks wait for the coordinator's confirmation before they count as evidence (п. 4.4, 5.5).
        "default_sessions": len(defaults),
        "default_marks": sum(defaults),
    }
