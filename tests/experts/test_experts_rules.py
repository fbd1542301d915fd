from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from experts.models import Consultation, EntryInterview, ExpertGroup, ExpertRole, GroupMember
from experts.rules import (
    can_log_visit,
    can_read_consultation_content,
    can_read_interview_notes,
    is_group_curator,
    is_season_coordinator,
)
from participants.models import Enrollment, User
from participants.roles import role_groups_ensure
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def coordinator(municipality, *, by_group=False) -> User:
    if by_group:
        user = UserFactory(is_staff=True, municipality=municipality)
        user.groups.add(role_groups_ensure()["Координаторы"])
        return user
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


@pytest.fixture
def season():
    return SeasonFactory()


@pytest.fixture
def curator(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)


@pytest.fixture
def group(season, curator):
    return ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)


@pytest.fixture
def member(group):
    enrollment = EnrollmentFactory(season=group.season)
    GroupMember.objects.create(group=group, enrollment=enrollment)
    return enrollment


def test_season_coordinator_by_role_or_group_and_only_in_their_municipality(season):
    assert is_season_coordinator(coordinator(season.program.municipality), season)
    assert is_season_coordinator(coordinator(season.program.municipality, by_group=True), season)
    assert not is_season_coordinator(coordinator(MunicipalityFactory()), season)
    assert not is_season_coordinator(UserFactory(is_superuser=True, is_staff=True), season)
    assert not is_season_coordinator(UserFactory(is_staff=True, municipality=season.program.municipality), season)
    assert not is_season_coordinator(AnonymousUser(), season)


def test_group_curator_is_the_active_curator_only(group, curator, season):
    assert is_group_curator(curator.person.user, group)
    other = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    assert not is_group_curator(other.person.user, group)
    assert not is_group_curator(AnonymousUser(), group)
    curator.is_active = False
    curator.save()
    group.refresh_from_db()
    assert not is_group_curator(curator.person.user, group)


def test_interview_notes_for_the_participants_curator_and_coordinator(member, curator, season):
    interview = EntryInterview.objects.create(enrollment=member, held_on=timezone.localdate(), notes="Тревожится")
    assert can_read_interview_notes(curator.person.user, interview)
    assert can_read_interview_notes(coordinator(season.program.municipality), interview)
    methodist = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    assert not can_read_interview_notes(methodist.person.user, interview)
    assert not can_read_interview_notes(ExpertAssignmentFactory(season=season).person.user, interview)
    assert not can_read_interview_notes(UserFactory(is_superuser=True, is_staff=True), interview)
    assert not can_read_interview_notes(member.person.user, interview)


def test_visit_logged_by_the_groups_curator_or_a_season_methodist(member, curator, season):
    assert can_log_visit(curator.person.user, member)
    assert can_log_visit(ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST).person.user, member)
    assert not can_log_visit(ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR).person.user, member)
    assert not can_log_visit(ExpertAssignmentFactory(role=ExpertRole.METHODIST).person.user, member)
    assert not can_log_visit(ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST).person.user, member)
    assert not can_log_visit(coordinator(season.program.municipality), member)
    member.status = Enrollment.Status.WITHDRAWN
    assert not can_log_visit(curator.person.user, member)


def test_consultation_content_author_only_when_confidential(season, member):
    psychologist = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST)
    secret = Consultation.objects.create(
        season=season,
        expert=psychologist,
        held_at=timezone.now() - timedelta(hours=1),
        topic="Выгорание",
        content="Личное",
        is_confidential=True,
    )
    assert can_read_consultation_content(psychologist.person.user, secret)
    assert not can_read_consultation_content(coordinator(season.program.municipality), secret)
    assert not can_read_consultation_content(UserFactory(is_superuser=True, is_staff=True), secret)
    other = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST)
    assert not can_read_consultation_content(other.person.user, secret)
    assert not can_read_consultation_content(member.person.user, secret)
    assert not can_read_consultation_content(AnonymousUser(), secret)
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    open_one = Consultation.objects.create(
        season=season, expert=curator, held_at=timezone.now(), topic="План", content="Обсудили план"
    )
    assert can_read_consultation_content(curator.person.user, open_one)
    assert can_read_consultation_content(coordinator(season.program.municipality), open_one)
    assert not can_read_consultation_content(coordinator(MunicipalityFactory()), open_one)
    assert not can_read_consultation_content(member.person.user, open_one)
