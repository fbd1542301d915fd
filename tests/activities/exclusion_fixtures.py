"""Builders for the exclusion tests: a running season with its rules, breaches and coordinators."""

from datetime import timedelta

from django.utils import timezone

from activities.models import Attendance
from participants.models import User
from participants.roles import COORDINATORS, role_groups_ensure
from programs.models import Season
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
    VideoAssignmentFactory,
)


def rules_season(policy=Season.ExclusionPolicy.CONFIRMATION, **extra):
    values = {
        "exclusion_policy": policy,
        "exclude_on_unexcused_absence": True,
        "exclude_on_missed_video": True,
        "chat_join_days": None,
        "default_attendance_status": "",
    }
    values.update(extra)
    return SeasonFactory(**values)


def coordinator(municipality, *, in_group=True) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    if in_group:
        user.groups.add(role_groups_ensure()[COORDINATORS])
    return user


def absent(enrollment, *, days_ago=2, title="Установочный семинар"):
    """An unexcused absence from a mandatory activity; returns the session."""
    starts = timezone.now() - timedelta(days=days_ago)
    session = SessionFactory(
        activity=ActivityFactory(season=enrollment.season, title=title, is_mandatory=True),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    AttendanceFactory(session=session, enrollment=enrollment, status=Attendance.Status.ABSENT)
    return session


def closed_video(season, *, title="Урок в выбранном формате"):
    """A video assignment whose cut-off has passed."""
    now = timezone.now()
    return VideoAssignmentFactory(
        activity__season=season,
        activity__title=title,
        opens_at=now - timedelta(days=30),
        due_at=now - timedelta(days=10),
        cutoff_at=now - timedelta(days=3),
    )


def participant(season, **extra):
    """An active participant since a month ago (before the sessions the tests build)."""
    extra.setdefault("status_changed_at", timezone.now() - timedelta(days=30))
    return EnrollmentFactory(season=season, **extra)
