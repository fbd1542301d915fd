"""Released expert feedback appears on the teacher's assignment page; nothing before it is released."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Submission
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
    rutube = "https://rutube.ru/video/0123456789abcdef0123456789abcdef/"
    early = html.index(f'href="{rutube}?t=90" data-seek="90">1:30</a> — Хорошая постановка задачи')
    late = html.index(f'href="{rutube}?t=3723" data-seek="3723">1:02:03</a> — Итог урока подведён вместе с классом')
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


def _released_with_comment(review, **submission_fields):
    if submission_fields:
        Submission.objects.filter(pk=review.submission_id).update(**submission_fields)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.RELEASED, released_at=timezone.now())
    ReviewComment.objects.create(review=review, at_seconds=195, text="Вопрос классу")


def test_the_teachers_own_file_gets_the_same_seek_links_as_the_expert_page(client, review):
    review.submission.video_file.save("urok.webm", ContentFile(b"\x1aE\xdf\xa3"), save=False)
    _released_with_comment(review, video_url="", video_file=review.submission.video_file.name)
    html = page(client, review)
    src = reverse("submission_file", args=[review.submission_id])
    assert '<video id="review-player" data-review-player="file"' in html
    assert f'<a class="review-timecode fw-semibold" href="{src}#t=195" data-seek="195">3:15</a> — Вопрос классу' in html
    assert "js/review-player.js" in html and "перемотка недоступна" not in html


def test_a_vk_lesson_reopens_the_teachers_player_at_the_moment(client, review):
    _released_with_comment(review, video_url="https://vk.com/video-12345_67890")
    html = page(client, review)
    assert 'data-review-player="vk"' in html
    assert (
        'href="https://vk.com/video-12345_67890?t=3m15s" data-seek="195" '
        'data-seek-url="https://vk.com/video_ext.php?oid=-12345&amp;id=67890&amp;t=3m15s&amp;autoplay=1">3:15</a>'
        in html
    )


def test_a_host_that_cannot_be_driven_gets_a_plain_link_and_the_note(client, review):
    _released_with_comment(review, video_url="https://disk.yandex.ru/i/AbCdEf123")
    html = page(client, review)
    assert 'href="https://disk.yandex.ru/i/AbCdEf123" rel="noopener noreferrer" target="_blank">3:15' in html
    assert "data-seek=" not in html
    assert "перемотка недоступна для этого видеохостинга — откройте видео на отметке 3:15" in html


def test_an_earlier_versions_times_link_that_version_at_the_moment_not_the_current_player(client, review):
    _released_with_comment(review, status="returned", is_current=False)
    SubmissionFactory(
        enrollment=review.submission.enrollment,
        assignment=review.submission.assignment,
        video_url="https://rutube.ru/video/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/",
        version=2,
    )
    html = page(client, review)
    assert 'data-review-player="rutube"' in html  # the new version's player
    assert (
        '<a class="review-timecode fw-semibold" href="https://rutube.ru/video/0123456789abcdef0123456789abcdef/?t=195" '
        'rel="noopener noreferrer" target="_blank">3:15' in html
    )
    assert "data-seek=" not in html


def test_the_feedback_page_runs_as_many_queries_with_one_or_three_timed_comments(client, review):
    _released_with_comment(review)
    client.force_login(review.submission.enrollment.person.user)
    url = reverse("video_assignment", args=[review.submission.assignment_id])

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ReviewComment.objects.create(review=review, at_seconds=10, text="Ещё")
    ReviewComment.objects.create(review=review, at_seconds=20, text="И ещё")
    with CaptureQueriesContext(connection) as three:
        html = client.get(url).content.decode()
    assert html.count("data-seek=") == 3
    assert len(three) == len(one)
