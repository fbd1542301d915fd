"""Shared set-up for the certificate tests: activities with sessions and a teacher's attendance."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from activities.models import ActivityKind, Attendance
from tests.factories import ActivityFactory, AttendanceFactory, SessionFactory

# Sessions held (and ended) before every moment the certificate tests issue at (from 20.11.2025): certificates
# are owed only for sessions that have ended (seed 000 §5.9).
HELD_FROM = datetime(2025, 11, 1, 10, 0, tzinfo=UTC)


def activity_with_sessions(season, *, sessions=1, required=1, kind=ActivityKind.WEBINAR, hours="4", **extra):
    gives = extra.pop("gives_certificate", kind not in ("individual_feedback", "group_feedback", "lesson_visit"))
    activity = ActivityFactory(
        season=season, kind=kind, required_sessions=required, hours=Decimal(hours), gives_certificate=gives, **extra
    )
    for n in range(sessions):
        SessionFactory(activity=activity, starts_at=HELD_FROM + timedelta(days=n))
    return activity


def attend(enrollment, activity, count, status=Attendance.Status.PRESENT):
    """Mark the enrollment at the first `count` sessions of the activity."""
    for session in activity.sessions.order_by("starts_at")[:count]:
        AttendanceFactory(session=session, enrollment=enrollment, status=status)
