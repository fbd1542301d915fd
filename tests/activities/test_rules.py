"""Who may see a submission's video file and who may extend a deadline."""

import pytest
from django.contrib.auth.models import AnonymousUser

from activities.rules import (
    can_grant_extension,
    can_view_submission_file,
    is_group_curator,
    is_season_coordinator,
    is_season_expert,
    is_submission_owner,
    is_submission_reviewer,
    season_opens_videos_to_experts,
)
from experts.models import ExpertGroup, ExpertRole, GroupMember
from participants.models import User
from ratings.models import ReviewAssignment
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    SubjectFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission():
    enrollment = EnrollmentFactory()
    return SubmissionFactory(
        enrollment=enrollment, assignment=VideoAssignmentFactory(activity__season=enrollment.season)
    )


def coordinator(municipality, **extra) -> User:
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality, **extra)


def test_owner(submission):
    assert is_submission_owner(submission.enrollment.person.user, submission)
    assert not is_submission_owner(EnrollmentFactory(season=submission.enrollment.season).person.user, submission)
    assert not is_submission_owner(AnonymousUser(), submission)
    assert not is_submission_owner(submission.enrollment.person.user, None)


def test_season_coordinator(submission):
    municipality = submission.enrollment.season.program.municipality
    assert is_season_coordinator(coordinator(municipality), submission)
    assert is_season_coordinator(coordinator(municipality), submission.assignment)  # an assignment works too
    assert not is_season_coordinator(coordinator(MunicipalityFactory()), submission)
    assert not is_season_coordinator(coordinator(None), submission)
    assert not is_season_coordinator(coordinator(municipality, is_active=False), submission)
    not_staff = UserFactory(role=User.Role.COORDINATOR, municipality=municipality)
    assert not is_season_coordinator(not_staff, submission)
    management = UserFactory(is_staff=True, role=User.Role.MANAGEMENT, municipality=municipality)
    assert not is_season_coordinator(management, submission)
    assert not is_season_coordinator(AnonymousUser(), submission)


def test_season_expert(submission):
    assert is_season_expert(ExpertAssignmentFactory(season=submission.enrollment.season).person.user, submission)
    assert not is_season_expert(ExpertAssignmentFactory().person.user, submission)
    retired = ExpertAssignmentFactory(season=submission.enrollment.season, is_active=False)
    assert not is_season_expert(retired.person.user, submission)
    assert not is_season_expert(AnonymousUser(), submission)
    assert not is_season_expert(UserFactory(), submission)  # an account without a person


def _expert(season, role=ExpertRole.METHODIST, **extra):
    return ExpertAssignmentFactory(season=season, role=role, **extra)


def test_submission_reviewer(submission):
    season = submission.enrollment.season
    season.review_by_subject_methodist = False
    season.save()
    assigned, other = _expert(season), _expert(season)
    ReviewAssignment.objects.create(submission=submission, expert=assigned)
    assert is_submission_reviewer(assigned.person.user, submission)
    assert not is_submission_reviewer(other.person.user, submission)  # the same season, not in its queue
    later = SubmissionFactory(
        assignment=submission.assignment, enrollment=submission.enrollment, version=2, is_current=False
    )
    assert not is_submission_reviewer(assigned.person.user, later)  # another version is another submission
    assigned.is_active = False
    assigned.save()
    assert not is_submission_reviewer(assigned.person.user, submission)  # taken off the team
    assert not is_submission_reviewer(AnonymousUser(), submission)
    assert not is_submission_reviewer(UserFactory(), submission)


def test_submission_reviewer_by_subject_like_the_review_queue(submission):
    season = submission.enrollment.season
    maths, physics = SubjectFactory(), SubjectFactory()
    submission.subject = maths
    submission.save()
    of_the_subject = _expert(season, subject=maths)
    assert is_submission_reviewer(of_the_subject.person.user, submission)
    assert not is_submission_reviewer(_expert(season, subject=physics).person.user, submission)
    assert not is_submission_reviewer(_expert(season, role=ExpertRole.PSYCHOLOGIST).person.user, submission)
    another_season = ExpertAssignmentFactory(role=ExpertRole.METHODIST, subject=maths)
    assert not is_submission_reviewer(another_season.person.user, submission)
    season.review_by_subject_methodist = False
    season.save()
    submission.refresh_from_db()
    assert not is_submission_reviewer(of_the_subject.person.user, submission)


def test_group_curator(submission):
    season = submission.enrollment.season
    curator, other_curator = _expert(season, ExpertRole.CURATOR), _expert(season, ExpertRole.CURATOR)
    group = ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)
    ExpertGroup.objects.create(season=season, name="Группа 2", curator=other_curator)
    assert not is_group_curator(curator.person.user, submission)  # not a member yet
    GroupMember.objects.create(group=group, enrollment=submission.enrollment)
    assert is_group_curator(curator.person.user, submission)
    assert not is_group_curator(other_curator.person.user, submission)
    assert not is_group_curator(AnonymousUser(), submission)
    curator.is_active = False
    curator.save()
    assert not is_group_curator(curator.person.user, submission)


def test_season_opens_videos_to_experts(submission):
    season = submission.enrollment.season
    assert not season_opens_videos_to_experts(UserFactory(), submission)
    season.videos_open_to_experts, season.videos_open_reason = True, "Технический специалист собирает материалы"
    season.save()
    submission.refresh_from_db()
    assert season_opens_videos_to_experts(UserFactory(), submission)
    assert not season_opens_videos_to_experts(UserFactory(), None)


def test_can_view_submission_file_combines_them(submission):
    season = submission.enrollment.season
    municipality = season.program.municipality
    reviewer, curator = _expert(season), _expert(season, ExpertRole.CURATOR)
    ReviewAssignment.objects.create(submission=submission, expert=reviewer)
    GroupMember.objects.create(
        group=ExpertGroup.objects.create(season=season, name="Группа", curator=curator),
        enrollment=submission.enrollment,
    )
    team = [_expert(season, role).person.user for role in ("psychologist", "tech_specialist", "methodist", "curator")]
    allowed = [
        submission.enrollment.person.user,
        coordinator(municipality),
        reviewer.person.user,
        curator.person.user,
        UserFactory(is_staff=True, is_superuser=True),
    ]
    refused = [AnonymousUser(), UserFactory(), coordinator(MunicipalityFactory()), EnrollmentFactory().person.user]
    assert all(can_view_submission_file.test(user, submission) for user in allowed)
    assert not any(can_view_submission_file.test(user, submission) for user in refused + team)
    assert submission.enrollment.person.user.has_perm("activities.view_submission_file", submission)
    assert not UserFactory().has_perm("activities.view_submission_file", submission)
    assert not team[0].has_perm("activities.view_submission_file", submission)

    season.videos_open_to_experts, season.videos_open_reason = True, "Технический специалист собирает материалы"
    season.save()
    submission.refresh_from_db()
    assert all(can_view_submission_file.test(user, submission) for user in team)
    outsider = ExpertAssignmentFactory(role="tech_specialist").person.user  # another season's expert
    assert not any(can_view_submission_file.test(user, submission) for user in refused + [outsider])


def test_can_grant_extension(submission):
    municipality = submission.enrollment.season.program.municipality
    assignment = submission.assignment
    assert can_grant_extension.test(coordinator(municipality), assignment)
    assert can_grant_extension.test(UserFactory(is_staff=True, is_superuser=True), assignment)
    assert not can_grant_extension.test(coordinator(MunicipalityFactory()), assignment)
    assert not can_grant_extension.test(submission.enrollment.person.user, assignment)
