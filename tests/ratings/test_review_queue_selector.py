"""ratings.selectors.review_queue: who sees which waiting lesson."""

import pytest

from experts.models import ExpertAssignment, ExpertRole
from programs.models import Season
from ratings.models import Review, ReviewAssignment, ReviewLock
from ratings.selectors import review_queue
from ratings.services import review_take

from .conftest import expert

pytestmark = pytest.mark.django_db


def queue_ids(*assignments) -> set[int]:
    return set(review_queue(list(assignments)).values_list("pk", flat=True))


def scored_by(lesson, reviewer, status=Review.Status.SUBMITTED) -> Review:
    review = review_take(submission=lesson, expert=reviewer)
    Review.objects.filter(pk=review.pk).update(status=status)
    ReviewLock.objects.filter(submission=lesson).delete()
    return review


def test_a_lesson_scored_by_another_expert_stays_only_where_it_is_assigned(world):
    second = expert(world.season, ExpertRole.METHODIST, world.subject, last_name="Вторая")
    assigned = world.submission(in_group=False)
    ReviewAssignment.objects.create(submission=assigned, expert=world.methodist)
    unassigned = world.submission(in_group=False)
    for lesson in (assigned, unassigned):
        scored_by(lesson, second)
    assert assigned.pk in queue_ids(world.methodist)
    assert unassigned.pk not in queue_ids(world.methodist)
    # The expert who scored them sees neither: nobody reviews a lesson twice.
    assert not queue_ids(second) & {assigned.pk, unassigned.pk}


@pytest.mark.parametrize("status", [Review.Status.SUBMITTED, Review.Status.RELEASED])
def test_a_scored_review_hides_an_unassigned_lesson_whatever_its_stage(world, status):
    lesson = world.submission(in_group=False)
    scored_by(lesson, world.curator, status)
    assert lesson.pk not in queue_ids(world.methodist)


def test_a_draft_or_a_returned_review_does_not_hide_the_lesson(world):
    draft = world.submission(in_group=False)
    review_take(submission=draft, expert=world.curator)
    ReviewLock.objects.filter(submission=draft).delete()
    returned = world.submission(in_group=False)
    scored_by(returned, world.curator, Review.Status.RETURNED)
    mine_in_progress = world.submission(in_group=False)
    review_take(submission=mine_in_progress, expert=world.methodist)
    assert {draft.pk, returned.pk, mine_in_progress.pk} <= queue_ids(world.methodist)


def test_a_curator_sees_the_lessons_of_their_groups_members_only(world):
    member = world.submission(in_group=True, subject=None)
    outsider = world.submission(in_group=False, subject=None)
    other_curator = expert(world.season, ExpertRole.CURATOR, last_name="Другая")
    assert queue_ids(world.curator) == {member.pk}
    assert queue_ids(other_curator) == set()
    # An explicit assignment brings an outsider's lesson to the curator too.
    ReviewAssignment.objects.create(submission=outsider, expert=other_curator)
    assert queue_ids(other_curator) == {outsider.pk}


def test_a_season_without_curators_review_keeps_the_group_out(world):
    world.submission(in_group=True, subject=None)
    Season.objects.filter(pk=world.season.pk).update(review_by_curator=False)
    curator = ExpertAssignment.objects.select_related("season").get(pk=world.curator.pk)
    assert queue_ids(curator) == set()
