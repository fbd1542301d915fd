"""Publishing a review, or returning a lesson for revision, tells its teacher: in the portal and by e-mail, once."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from core.notifications import notifications_deliver
from programs.models import ReviewRelease
from ratings.models import Review
from ratings.services import ScoreInput, review_return, review_save, review_take, reviews_release
from tests.factories import EnrollmentFactory

from .conftest import coordinator

pytestmark = pytest.mark.django_db


def _scored(world, points=(3, 1)):
    lesson = world.submission()
    review = review_take(submission=lesson, expert=world.methodist)
    return review_save(
        review=review,
        expert=world.methodist,
        scores={
            world.goal.pk: ScoreInput(points=points[0]),
            world.method.pk: ScoreInput(points=points[1], comment="Хорошо"),
        },
        final=True,
    )


def _teacher(review):
    return review.submission.enrollment.person.user


def _notices(review):
    return Notification.objects.filter(user=_teacher(review), dedupe_key__startswith=f"review:{review.pk}:")


def test_release_tells_the_teacher_once_with_the_score_out_of_the_rubric_maximum(world):
    world.season.review_release = ReviewRelease.AFTER_CHECK
    world.season.save()
    review = _scored(world)  # 3 × 1,5 + 1 × 1 = 5,5 of 3 × 1,5 + 2 × 1 = 6,5
    assert not _notices(review).exists()  # scored, not yet published: the teacher is told nothing
    by = coordinator(world.season.program.municipality)

    released, _skipped = reviews_release(reviews=Review.objects.filter(pk=review.pk), by=by)
    assert released == 1
    # A second release (a repeated action) neither publishes again nor tells the teacher twice.
    reviews_release(reviews=Review.objects.filter(pk=review.pk), by=by)
    from ratings.review_notices import reviews_notify_teachers

    reviews_notify_teachers(reviews=[Review.objects.get(pk=review.pk)])  # even if asked again directly

    notice = _notices(review).get()
    assert "5,5 из 6,5 баллов" in notice.body
    assert notice.url == reverse("review_feedback", args=[review.pk])
    notifications_deliver()
    (letter,) = [m for m in mail.outbox if _teacher(review).email in m.to]
    assert "5,5 из 6,5 баллов" in letter.subject and "5,5 из 6,5 баллов" in letter.body
    assert f"/cabinet/reviews/{review.pk}/" in letter.body
    assert f"/cabinet/reviews/{review.pk}/" in letter.alternatives[0][0]


def test_release_on_submit_tells_the_teacher(world):
    world.season.review_release = ReviewRelease.ON_SUBMIT
    world.season.save()
    review = _scored(world, points=(2, 2))
    assert review.status == Review.Status.RELEASED
    assert "5 из 6,5 баллов" in _notices(review).get().body


def test_returned_lesson_tells_the_teacher_with_the_reason(world):
    review = review_take(submission=world.submission(), expert=world.methodist)
    review_return(review=review, expert=world.methodist, reason="Нет звука на 5-й минуте")
    notice = _notices(review).get()
    assert "на доработку" in notice.title and "Нет звука на 5-й минуте" in notice.body
    notifications_deliver()
    (letter,) = [m for m in mail.outbox if _teacher(review).email in m.to]
    assert "Нет звука на 5-й минуте" in letter.body


def test_the_link_opens_the_teachers_feedback_and_is_404_for_anyone_else(client, world):
    world.season.review_release = ReviewRelease.ON_SUBMIT
    world.season.save()
    review = _scored(world)
    link = _notices(review).get().url

    client.force_login(_teacher(review))
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(
        reverse("video_assignment", args=[review.submission.assignment_id])
    )
    assert "Отзыв экспертов" in response.content.decode()

    # Another teacher of the same season, and one of another season: the link does not exist for them.
    for other in (EnrollmentFactory(season=world.season), EnrollmentFactory()):
        client.force_login(other.person.user)
        assert client.get(link).status_code == 404
    client.logout()
    assert client.get(link).status_code == 302  # to the login page


def test_an_unpublished_review_link_is_404_even_for_its_teacher(client, world):
    world.season.review_release = ReviewRelease.AFTER_CHECK
    world.season.save()
    review = _scored(world)
    client.force_login(_teacher(review))
    assert client.get(reverse("review_feedback", args=[review.pk])).status_code == 404
