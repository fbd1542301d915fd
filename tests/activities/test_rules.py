"""Who may see a submission's video file and who may extend a deadline."""

import pytest
from django.contrib.auth.models import AnonymousUser

from activities.rules import (
    can_grant_extension,
    can_view_submission_file,
    is_season_coordinator,
    is_season_expert,
    is_submission_owner,
)
from participants.models import User
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
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


def test_can_view_submission_file_combines_them(submission):
    municipality = submission.enrollment.season.program.municipality
    allowed = [
        submission.enrollment.person.user,
        coordinator(municipality),
        ExpertAssignmentFactory(season=submission.enrollment.season).person.user,
        UserFactory(is_staff=True, is_superuser=True),
    ]
    refused = [AnonymousUser(), UserFactory(), coordinator(MunicipalityFactory()), EnrollmentFactory().person.user]
    assert all(can_view_submission_file.test(user, submission) for user in allowed)
    assert not any(can_view_submission_file.test(user, submission) for user in refused)
    assert submission.enrollment.person.user.has_perm("activities.view_submission_file", submission)
    assert not UserFactory().has_perm("activities.view_submission_file", submission)


def test_can_grant_extension(submission):
    municipality = submission.enrollment.season.program.municipality
    assignment = submission.assignment
    assert can_grant_extension.test(coordinator(municipality), assignment)
    assert can_grant_extension.test(UserFactory(is_staff=True, is_superuser=True), assignment)
    assert not can_grant_extension.test(coordinator(MunicipalityFactory()), assignment)
    assert not can_grant_extension.test(submission.enrollment.person.user, assignment)
