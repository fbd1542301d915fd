"""Who may take a session's attendance (activities.rules.can_take_attendance and its predicates)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from activities.rules import (
    can_list_attendance_sessions,
    can_take_attendance,
    is_session_coordinator,
    is_session_expert,
)
from participants.models import User
from tests.factories import ExpertAssignmentFactory, MunicipalityFactory, SeasonFactory, UserFactory

from .attendance_fixtures import coordinator_of, expert_of, session_with_participants

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return session_with_participants(1)[0]


def test_coordinator_of_the_municipality(session):
    assert is_session_coordinator(coordinator_of(session), session)
    assert can_take_attendance(coordinator_of(session), session)


def test_coordinator_of_another_municipality_staff_without_role_and_inactive(session):
    other = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=MunicipalityFactory())
    assert not can_take_attendance(other, session)
    municipality = session.activity.season.program.municipality
    assert not can_take_attendance(UserFactory(role=User.Role.COORDINATOR, municipality=municipality), session)
    assert not can_take_attendance(coordinator_of(session, is_active=False), session)


def test_tech_specialist_of_the_season(session):
    user = expert_of(session.activity.season, role="tech_specialist")
    assert can_take_attendance(user, session)


@pytest.mark.parametrize("role", ["curator", "methodist", "psychologist", "tutor", "mentor"])
def test_experts_of_the_season(session, role):
    user = expert_of(session.activity.season, role=role)
    assert is_session_expert(user, session)
    assert can_take_attendance(user, session)


def test_project_head_inactive_assignment_and_another_season_cannot(session):
    assert not can_take_attendance(expert_of(session.activity.season, role="project_head"), session)
    inactive = ExpertAssignmentFactory(season=session.activity.season, is_active=False).person.user
    assert not can_take_attendance(inactive, session)
    assert not can_take_attendance(expert_of(SeasonFactory()), session)


def test_teacher_anonymous_and_superuser(session):
    teacher = session_with_participants(1)[1][0].person.user
    participant = session.activity.season.enrollments.get().person.user
    assert not can_take_attendance(teacher, session)
    assert not can_take_attendance(participant, session)
    assert not can_take_attendance(AnonymousUser(), session)
    assert can_take_attendance(UserFactory(is_superuser=True), session)
    assert not is_session_expert(participant, None)


def test_who_may_open_the_sessions_list(session):
    assert can_list_attendance_sessions(coordinator_of(session))
    assert can_list_attendance_sessions(expert_of(SeasonFactory(), role="project_head"))
    assert can_list_attendance_sessions(UserFactory(is_superuser=True))
    assert not can_list_attendance_sessions(UserFactory(is_staff=True, role=User.Role.COORDINATOR))
    assert not can_list_attendance_sessions(session.activity.season.enrollments.get().person.user)
    assert not can_list_attendance_sessions(AnonymousUser())
