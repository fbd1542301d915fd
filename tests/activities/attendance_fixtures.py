"""Builders shared by the attendance tests: a session with its season's participants and the people who mark."""

from datetime import timedelta

from django.utils import timezone

from participants.models import User
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SessionFactory, UserFactory


def session_with_participants(count: int = 2, *, names=None, **session_kwargs):
    """A session and `count` active participants of its season (names: [(last, first, middle)])."""
    session_kwargs.setdefault("starts_at", timezone.now() - timedelta(minutes=30))
    session_kwargs.setdefault("ends_at", session_kwargs["starts_at"] + timedelta(hours=2))
    session = SessionFactory(**session_kwargs)
    season = session.activity.season
    enrollments = []
    for n in range(count):
        extra = {}
        if names:
            last, first, middle = names[n]
            extra = {"person__last_name": last, "person__first_name": first, "person__middle_name": middle}
        # Admitted before the session: only then is a participant expected at it (selectors_attendance).
        extra.setdefault("status_changed_at", session.starts_at - timedelta(days=1))
        enrollments.append(EnrollmentFactory(season=season, **extra))
    return session, enrollments


def coordinator_of(session, **extra) -> User:
    municipality = session.activity.season.program.municipality
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality, **extra)


def expert_of(season, role="curator") -> User:
    return ExpertAssignmentFactory(season=season, role=role, person__user__role=User.Role.EXPERT).person.user
