"""Who may review a video lesson and who may release a review to the teacher (django-rules predicates)."""

from __future__ import annotations

import rules

from activities.rules import is_season_coordinator
from participants.selectors import person_for_user

from .selectors import reviewer_for


@rules.predicate
def can_review_submission(user, submission) -> bool:
    """An active expert of the submission's season who is assigned to it, or who reviews it by the season's
    rules: the methodist of its subject or the curator of the participant's group."""
    if submission is None or not user.is_authenticated or not user.is_active:
        return False
    person = person_for_user(user)
    return person is not None and reviewer_for(person, submission) is not None


@rules.predicate
def is_review_coordinator(user, review) -> bool:
    """A coordinator of the municipality the review's season belongs to."""
    if review is None:
        return False
    return is_season_coordinator.test(user, review.submission)


can_release_review = rules.is_superuser | is_review_coordinator

rules.add_perm("ratings.review_submission", can_review_submission)
rules.add_perm("ratings.release_review", can_release_review)


@rules.predicate
def is_review_teacher(user, review) -> bool:
    """The teacher whose video lesson the review is of, once it is published or returned to them; a review in
    progress or awaiting the coordinator is nobody's business but the experts'."""
    from .models import Review

    if review is None or not user.is_authenticated:
        return False
    if review.status not in (Review.Status.RELEASED, Review.Status.RETURNED):
        return False
    return review.submission.enrollment.person.user_id == user.pk


# The predicate itself in the view, not has_perm: a superuser reads feedback in the admin, not as the teacher.
rules.add_perm("ratings.read_review_feedback", is_review_teacher)
