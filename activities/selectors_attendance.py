"""Reads for taking attendance: a session's expected participants with their marks, and the sessions a
coordinator or an expert may mark, with how many participants are still unmarked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from participants.models import Enrollment, Person, User
from participants.roles import user_is_coordinator
from programs.models import Season

from .models import Attendance, Session
from .rules import ATTENDANCE_EXPERT_ROLES

# The sessions list covers this much of the past and of the future.
LIST_PAST = timedelta(days=45)
LIST_FUTURE = timedelta(days=30)
# Attendance is due within a day of a session's end; later, unmarked participants count as overdue.
MARKING_DUE = timedelta(days=1)


def expected_enrollments(session: Session) -> QuerySet[Enrollment]:
    """The participants expected at a session: the active enrollments of its season, sorted by ФИО."""
    return Enrollment.objects.filter(season_id=session.activity.season_id, status=Enrollment.Status.ACTIVE).order_by(
        "person__last_name", "person__first_name", "person__middle_name", "pk"
    )


@dataclass
class AttendanceRow:
    enrollment: Enrollment
    mark: Attendance | None
    group_name: str

    @property
    def person(self) -> Person:
        return self.enrollment.person


def session_attendance_rows(session: Session) -> list[AttendanceRow]:
    """Every expected participant with their mark (and who set it) and group: two queries."""
    enrollments = list(expected_enrollments(session).select_related("person", "group_membership__group"))
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
    expected = (
        Enrollment.objects.filter(season_id=OuterRef("activity__season_id"), status=Enrollment.Status.ACTIVE)
        .order_by()
        .values("season_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    active_marks = Attendance.objects.filter(session_id=OuterRef("pk"), enrollment__status=Enrollment.Status.ACTIVE)
    marked = active_marks.order_by().values("session_id").annotate(n=Count("pk")).values("n")
    defaults = active_marks.filter(is_default=True).order_by().values("session_id").annotate(n=Count("pk")).values("n")
    return (
        sessions.select_related("activity__season__program")
        .annotate(
            expected_count=Coalesce(Subquery(expected, output_field=IntegerField()), Value(0)),
            marked_count=Coalesce(Subquery(marked, output_field=IntegerField()), Value(0)),
            default_count=Coalesce(Subquery(defaults, output_field=IntegerField()), Value(0)),
        )
        .order_by("-starts_at", "-pk")
    )


def attendance_overdue_summary(sessions: QuerySet[Session], *, now: datetime) -> dict:
    """Over the listed sessions: those ended more than a day ago with someone unmarked, and how many unmarked."""
    ended = sessions.filter(ends_at__lt=now - MARKING_DUE).order_by()
    rows = ended.values("expected_count", "marked_count")
    overdue = [r["expected_count"] - r["marked_count"] for r in rows if r["expected_count"] > r["marked_count"]]
    return {"overdue_sessions": len(overdue), "overdue_participants": sum(overdue)}
