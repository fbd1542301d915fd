"""Who may review a lesson and who may release a review."""

import pytest

from experts.models import ExpertRole
from ratings.models import ReviewAssignment
from ratings.rules import can_release_review, can_review_submission
from tests.factories import MunicipalityFactory, ReviewFactory, SeasonFactory, SubjectFactory, UserFactory

from .conftest import coordinator, expert

pytestmark = pytest.mark.django_db


def test_methodist_of_the_subject_and_curator_of_the_group_may_review(world):
    lesson = world.submission()
    assert can_review_submission.test(world.methodist.person.user, lesson)
    assert can_review_submission.test(world.curator.person.user, lesson)


def test_others_may_not(world):
    lesson = world.submission(in_group=False)
    physics = expert(world.season, ExpertRole.METHODIST, SubjectFactory(name="Физика"))
    other_season = expert(SeasonFactory(), ExpertRole.METHODIST, world.subject)
    assert not can_review_submission.test(world.curator.person.user, lesson)  # not in the curator's group
    assert not can_review_submission.test(physics.person.user, lesson)
    assert not can_review_submission.test(other_season.person.user, lesson)
    assert not can_review_submission.test(lesson.enrollment.person.user, lesson)
    assert not can_review_submission.test(coordinator(world.season.program.municipality), lesson)
    assert not can_review_submission.test(UserFactory.build(), None)


def test_explicit_assignment_and_season_flags(world):
    lesson = world.submission()
    psychologist = expert(world.season, ExpertRole.PSYCHOLOGIST)
    assert not can_review_submission.test(psychologist.person.user, lesson)
    ReviewAssignment.objects.create(submission=lesson, expert=psychologist, is_manual=True)
    assert can_review_submission.test(psychologist.person.user, lesson)
    world.season.review_by_subject_methodist = False
    world.season.save()
    assert not can_review_submission.test(world.methodist.person.user, lesson)


def test_inactive_expert_may_not(world):
    lesson = world.submission()
    world.methodist.is_active = False
    world.methodist.save()
    assert not can_review_submission.test(world.methodist.person.user, lesson)


def test_release_is_for_the_coordinator_of_the_municipality(world):
    review = ReviewFactory(submission=world.submission(), expert=world.methodist, rubric=world.rubric)
    assert can_release_review.test(coordinator(world.season.program.municipality), review)
    assert not can_release_review.test(coordinator(MunicipalityFactory()), review)
    assert not can_release_review.test(world.methodist.person.user, review)
    assert can_release_review.test(UserFactory(is_superuser=True, is_staff=True), review)
