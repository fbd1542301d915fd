"""Released expert feedback appears on the teacher's assignment page; nothing before it is released."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ratings.models import Review, ReviewComment, ReviewScore
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    RubricCriterionFactory,
    RubricFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    enrollment = EnrollmentFactory()
    submission = SubmissionFactory(
        enrollment=enrollment,
        assignment=VideoAssignmentFactory(activity__season=enrollment.season),
        status="in_review",
        topic="Урок-исследование",
    )
    rubric = RubricFactory(program=enrollment.season.program, title="Оценка видеоурока", version=2)
    goal = RubricCriterionFactory(rubric=rubric, title="Постановка цели урока", order=1, max_points=3)
    format_ = RubricCriterionFactory(rubric=rubric, title="Соответствие формату обучения", order=2, max_points=3)
    review = Review.objects.create(
        submission=submission,
        expert=ExpertAssignmentFactory(season=enrollment.season),
        rubric=rubric,
        status=Review.Status.IN_PROGRESS,
        strengths="Чёткая постановка цели",
        recommendations="Больше самостоятельной работы учеников",
    )
    ReviewScore.objects.create(review=review, criterion=goal, points=3, comment="Цель сформулирована с учениками")
    ReviewScore.objects.create(review=review, criterion=format_, points=2)
    return review


def page(client, review):
    client.force_login(review.submission.enrollment.person.user)
    response = client.get(reverse("video_assignment", args=[review.submission.assignment_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("status", [Review.Status.IN_PROGRESS, Review.Status.SUBMITTED])
def test_feedback_is_hidden_until_released(client, review, status):
    Review.objects.filter(pk=review.pk).update(status=status, total_score=5, submitted_at=timezone.now())
    html = page(client, review)
    assert "Отзыв экспертов" not in html
    assert "Чёткая постановка цели" not in html and "Постановка цели урока" not in html


def test_released_feedback_is_shown_with_scores_and_the_rubric_version(client, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.RELEASED, total_score=5, released_at=timezone.now())
    html = page(client, review)
    assert "Отзыв экспертов" in html
    assert "Критерии: «Оценка видеоурока», версия 2" in html
    assert "Постановка цели урока" in html and "3 из 3" in html and "2 из 3" in html
    assert "Цель сформулирована с учениками" in html
    assert "Чёткая постановка цели" in html and "Больше самостоятельной работы учеников" in html
    assert "Итого: 5 из 6 баллов" in html


def test_released_feedback_lists_the_time_coded_comments_general_remarks_first(client, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.RELEASED, released_at=timezone.now())
    ReviewComment.objects.create(review=review, at_seconds=3723, text="Итог урока подведён вместе с классом")
    ReviewComment.objects.create(review=review, at_seconds=90, text="Хорошая постановка задачи")
    ReviewComment.objects.create(review=review, at_seconds=None, text="Звук местами тихий")
    html = page(client, review)
    assert "Комментарии к моментам видео" in html
    general = html.index("Звук местами тихий")
    early = html.index('<span class="fw-semibold">1:30</span> — Хорошая постановка задачи')
    late = html.index('<span class="fw-semibold">1:02:03</span> — Итог урока подведён вместе с классом')
    assert general < early < late


def test_comments_of_an_unreleased_review_stay_hidden(client, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.SUBMITTED, submitted_at=timezone.now())
    ReviewComment.objects.create(review=review, at_seconds=90, text="Хорошая постановка задачи")
    html = page(client, review)
    assert "Хорошая постановка задачи" not in html and "Комментарии к моментам видео" not in html


def test_another_teacher_never_sees_it(client, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.RELEASED, released_at=timezone.now())
    client.force_login(EnrollmentFactory(season=review.submission.enrollment.season).person.user)
    html = client.get(reverse("video_assignment", args=[review.submission.assignment_id])).content.decode()
    assert "Отзыв экспертов" not in html


def test_a_returned_lesson_shows_the_reason_from_the_released_review(client, review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.RELEASED, released_at=timezone.now())
    review.submission.status = "returned"
    review.submission.save(update_fields=["status"])
    html = page(client, review)
    assert "Причина возврата:" in html and "Больше самостоятельной работы учеников" in html
    cabinet = client.get(reverse("cabinet")).content.decode()
    assert "Причина возврата:" in cabinet and "Возвращён на доработку" in cabinet
