"""Taking a lesson locks it for season.review_lock_hours: two experts never score it at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import Submission
from ratings.models import Review, ReviewLock
from ratings.services import ScoreInput, review_lock_release, review_save, review_take

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(world):
    return world.submission()


def test_take_locks_creates_the_review_and_marks_the_lesson_in_review(world, lesson):
    before = timezone.now()
    review = review_take(submission=lesson, expert=world.methodist)
    lock = ReviewLock.objects.get(submission=lesson)
    assert lock.expert == world.methodist
    assert before + timedelta(hours=4) <= lock.expires_at <= timezone.now() + timedelta(hours=4)
    assert review.status == Review.Status.IN_PROGRESS and review.rubric == world.rubric
    assert review.due_at == lesson.submitted_at + timedelta(days=7)
    lesson.refresh_from_db()
    assert lesson.status == Submission.Status.IN_REVIEW


def test_second_expert_is_refused_with_who_and_until(world, lesson):
    review_take(submission=lesson, expert=world.methodist)
    with pytest.raises(ValidationError) as exc:
        review_take(submission=lesson, expert=world.curator)
    message = exc.value.messages[0]
    assert "уже проверяет" in message and world.methodist.person.full_name in message
    assert "до " in message and "время Екатеринбурга, МСК+2" in message  # the season's time zone (Asia/Yekaterinburg)
    assert not Review.objects.filter(expert=world.curator).exists()
    assert ReviewLock.objects.get(submission=lesson).expert == world.methodist


def test_second_expert_cannot_save_over_a_running_lock(world, lesson):
    review = review_take(submission=lesson, expert=world.curator)
    ReviewLock.objects.filter(submission=lesson).update(expert=world.methodist)
    with pytest.raises(ValidationError, match="уже проверяет"):
        review_save(review=review, expert=world.curator, scores={world.goal.pk: ScoreInput(points=1)})
    assert not review.scores.exists()


def test_an_expired_lock_frees_the_lesson(world, lesson):
    review_take(submission=lesson, expert=world.methodist)
    ReviewLock.objects.filter(submission=lesson).update(expires_at=timezone.now() - timedelta(minutes=1))
    review_take(submission=lesson, expert=world.curator)
    assert ReviewLock.objects.get(submission=lesson).expert == world.curator


def test_taking_again_refreshes_the_own_lock(world, lesson):
    review_take(submission=lesson, expert=world.methodist)
    ReviewLock.objects.filter(submission=lesson).update(expires_at=timezone.now() + timedelta(minutes=5))
    review_take(submission=lesson, expert=world.methodist)
    assert ReviewLock.objects.get(submission=lesson).expires_at > timezone.now() + timedelta(hours=3)
    assert Review.objects.filter(submission=lesson).count() == 1


def test_release_lets_another_expert_take_it_and_keeps_the_draft(world, lesson):
    review = review_take(submission=lesson, expert=world.methodist)
    assert review_lock_release(submission=lesson, expert=world.methodist) is True
    assert review_lock_release(submission=lesson, expert=world.methodist) is False
    review_take(submission=lesson, expert=world.curator)
    assert Review.objects.filter(pk=review.pk).exists()


def test_no_current_rubric_is_refused_clearly(world, lesson):
    world.rubric.is_current = False
    world.rubric.save()
    with pytest.raises(ValidationError, match="нет действующих критериев"):
        review_take(submission=lesson, expert=world.methodist)
    assert not ReviewLock.objects.exists()


def test_two_experts_through_the_pages(client, world, lesson):
    client.force_login(world.methodist.person.user)
    response = client.post(reverse("review_take", args=[lesson.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("review_page", args=[lesson.pk])
    client.force_login(world.curator.person.user)
    response = client.post(reverse("review_take", args=[lesson.pk]), follow=True)
    html = response.content.decode()
    assert "уже проверяет" in html and world.methodist.person.full_name in html
    page = client.get(reverse("review_page", args=[lesson.pk])).content.decode()
    assert "сейчас проверяет" in page and "Выставить оценку" not in page
    # The holder lets it go; the curator takes it.
    client.force_login(world.methodist.person.user)
    assert client.post(reverse("review_lock_release", args=[lesson.pk])).status_code == 302
    client.force_login(world.curator.person.user)
    client.post(reverse("review_take", args=[lesson.pk]))
    assert ReviewLock.objects.get(submission=lesson).expert == world.curator


def test_take_is_post_only_and_404_for_a_stranger(client, world, lesson):
    client.force_login(world.methodist.person.user)
    assert client.get(reverse("review_take", args=[lesson.pk])).status_code == 405
    client.force_login(lesson.enrollment.person.user)
    assert client.post(reverse("review_take", args=[lesson.pk])).status_code == 404
    assert not ReviewLock.objects.exists()
