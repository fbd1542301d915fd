"""The review page: the video beside the rubric, scoring, time codes, save-and-next, return, release."""

from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Submission
from activities.services import submission_submit
from config.celery import app as celery_app
from experts.models import ExpertRole
from programs.models import ReviewRelease
from ratings.models import ParticipantRating, Review, ReviewComment, ReviewLock
from ratings.services import review_take
from reports.kpi_cache import kpi_data_changed
from tests.factories import EnrollmentFactory, SeasonFactory

from .conftest import coordinator, expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(world):
    return world.submission(
        grade="7 Б", learning_format="Смешанное обучение", reflection="Ученики сами сформулировали цель"
    )


@pytest.fixture
def page(client, world, lesson):
    client.force_login(world.methodist.person.user)
    review_take(submission=lesson, expert=world.methodist)
    return reverse("review_page", args=[lesson.pk])


def full(world, **extra):
    data = {
        f"points_{world.goal.pk}": "3",
        f"comment_{world.goal.pk}": "",
        f"points_{world.method.pk}": "2",
        f"comment_{world.method.pk}": "Разнообразные приёмы",
        "strengths": "Живой диалог",
        "recommendations": "Больше парной работы",
        "comments": "12:40 — хороший вопрос классу\n1:02:03 — итог урока\nОбщее замечание",
        "return_reason": "",
    }
    data.update(extra)
    return data


def test_page_shows_the_video_lesson_and_the_rubric(client, world, lesson, page):
    html = client.get(page).content.decode()
    assert 'data-review-player="rutube"' in html and "https://rutube.ru/play/embed/" in html
    assert "7 Б" in html and "Смешанное обучение" in html and "Ученики сами сформулировали цель" in html
    assert "Постановка цели урока" in html and "Цель сформулирована вместе с учениками" in html
    assert "3 — Цель поставлена учениками" in html and f'name="points_{world.goal.pk}"' in html
    assert "Комментарий (обязателен)" in html
    for label in ["Сохранить черновик", "Выставить оценку", "Сохранить и открыть следующий", "Вернуть на доработку"]:
        assert label in html
    assert "js/review-player.js" in html


def test_youtube_embed_allows_the_js_api_and_a_file_plays_in_video(client, world):
    lesson = world.submission(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    client.force_login(world.methodist.person.user)
    html = client.get(reverse("review_page", args=[lesson.pk])).content.decode()
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1" in html and 'data-review-player="youtube"' in html
    Submission.objects.filter(pk=lesson.pk).update(video_url="", video_file="submissions/2025/01/x.mp4")
    html = client.get(reverse("review_page", args=[lesson.pk])).content.decode()
    assert "<video" in html and reverse("submission_file", args=[lesson.pk]) in html


def test_draft_keeps_partial_scores_and_time_codes(client, world, lesson, page):
    data = full(world, **{f"points_{world.method.pk}": ""}, action="draft")
    response = client.post(page, data)
    assert response.status_code == 302 and response["Location"] == page
    review = Review.objects.get(submission=lesson)
    assert review.status == Review.Status.IN_PROGRESS
    assert {s.criterion_id: s.points for s in review.scores.all()} == {world.goal.pk: 3}
    assert list(ReviewComment.objects.filter(review=review).order_by("pk").values_list("at_seconds", "text")) == [
        (760, "хороший вопрос классу"),
        (3723, "итог урока"),
        (None, "Общее замечание"),
    ]
    html = client.get(page).content.decode()
    assert 'data-seek="760"' in html and ">12:40<" in html and 'data-seek="3723"' in html
    assert "12:40 — хороший вопрос классу" in html  # back in the textarea as typed


def test_submit_needs_every_criterion_and_required_comments_and_keeps_what_was_typed(client, world, lesson, page):
    data = full(world, **{f"points_{world.goal.pk}": "", f"comment_{world.method.pk}": ""}, action="submit")
    response = client.post(page, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[f"points_{world.goal.pk}"] == ["Поставьте балл по этому критерию."]
    assert form.errors[f"comment_{world.method.pk}"] == ["По этому критерию комментарий обязателен."]
    html = response.content.decode()
    assert "Живой диалог" in html and "Больше парной работы" in html
    assert Review.objects.get(submission=lesson).status == Review.Status.IN_PROGRESS


def test_points_out_of_range_are_refused(client, world, page):
    response = client.post(page, full(world, **{f"points_{world.method.pk}": "7"}, action="submit"))
    assert response.status_code == 200
    assert response.context["form"].errors[f"points_{world.method.pk}"] == ["Выберите балл из предложенных."]


@pytest.mark.parametrize(
    "text, message",
    [
        ("12:75 — поздно", "Строка 1: время «12:75» записано неверно"),
        ("хорошо\n12.40 — точка", "Строка 2: время пишется через двоеточие"),
        ("1:02:03", "Строка 1: после времени напишите сам комментарий."),
    ],
)
def test_bad_time_codes_get_a_russian_error_at_the_field(client, world, lesson, page, text, message):
    response = client.post(page, full(world, comments=text, action="draft"))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["comments"])
    assert text.split("\n")[0] in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_submit_scores_with_weights_and_stays_hidden_until_released(client, world, lesson, page):
    response = client.post(page, full(world, action="submit"))
    assert response.status_code == 302 and response["Location"] == reverse("review_queue")
    review = Review.objects.get(submission=lesson)
    assert review.status == Review.Status.SUBMITTED and review.submitted_at is not None
    assert review.total_score == Decimal("6.50")  # 3 × 1.5 + 2 × 1
    html = client.get(page).content.decode()
    # The rubric's maximum beside the total and beside every criterion, written as people write it (no «6,50»).
    assert "Итого: 6,5 из 6,5 баллов" in html
    assert f"{world.goal.title}: 3 из 3" in html and "Методы и приёмы: 2 из 2" in html
    assert not ReviewLock.objects.filter(submission=lesson).exists()
    lesson.refresh_from_db()
    assert lesson.status == Submission.Status.IN_REVIEW
    client.force_login(lesson.enrollment.person.user)
    html = client.get(reverse("video_assignment", args=[lesson.assignment_id])).content.decode()
    assert "Отзыв экспертов" not in html and "Живой диалог" not in html


def test_release_on_submit_shows_the_feedback_and_recomputes_the_rating(
    client, world, lesson, page, django_capture_on_commit_callbacks
):
    world.season.review_release = ReviewRelease.ON_SUBMIT
    world.season.save()
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            client.post(page, full(world, action="submit"))
    finally:
        celery_app.conf.task_always_eager = eager
    # The rating recomputation and the wake-up of the e-mail sender for the teacher's letter (the KPI cache's
    # version bump is reports' own after-commit work).
    queued = [c for c in callbacks if c is not kpi_data_changed]
    assert len(queued) == 2
    assert sum(getattr(c, "__qualname__", "").startswith("_deliver_on_commit") for c in queued) == 1
    review = Review.objects.get(submission=lesson)
    assert review.status == Review.Status.RELEASED and review.released_at and review.released_by is None
    lesson.refresh_from_db()
    assert lesson.status == Submission.Status.REVIEWED
    # Full marks (6.5 of 6.5): the lesson earns the season's points for a lesson at the maximum (seed 000 §5.8).
    assert ParticipantRating.objects.get(enrollment=lesson.enrollment).video_points == world.season.weight_video_score
    client.force_login(lesson.enrollment.person.user)
    html = client.get(reverse("video_assignment", args=[lesson.assignment_id])).content.decode()
    assert "Отзыв экспертов" in html and "Живой диалог" in html and "Разнообразные приёмы" in html
    assert "Итого: 6,5 из 6,5 баллов" in html


def test_save_and_next_opens_the_next_lesson_the_expert_may_take(client, world, lesson, page):
    later = world.submission(days_ago=0)
    locked = world.submission(days_ago=3)  # older, but another expert holds it
    review_take(submission=locked, expert=world.curator)
    response = client.post(page, full(world, action="next"))
    assert response.status_code == 302 and response["Location"] == reverse("review_page", args=[later.pk])
    assert ReviewLock.objects.get(submission=later).expert == world.methodist
    assert Review.objects.get(submission=lesson).status == Review.Status.SUBMITTED
    response = client.post(response["Location"], full(world, action="next"), follow=True)
    assert "В очереди больше нет видеоуроков" in response.content.decode()


def test_return_needs_a_reason_then_the_teacher_sees_it_and_can_resubmit(client, world, lesson, page):
    response = client.post(page, full(world, action="return"))
    assert response.status_code == 200
    assert response.context["form"].errors["return_reason"] == [
        "Напишите, что нужно доработать: педагог увидит это в личном кабинете."
    ]
    response = client.post(page, full(world, action="return", return_reason="Нет звука во второй половине"))
    assert response.status_code == 302
    review = Review.objects.get(submission=lesson)
    assert review.status == Review.Status.RETURNED and review.return_reason == "Нет звука во второй половине"
    lesson.refresh_from_db()
    assert lesson.status == Submission.Status.RETURNED
    teacher = lesson.enrollment.person.user
    client.force_login(teacher)
    html = client.get(reverse("video_assignment", args=[lesson.assignment_id])).content.decode()
    assert "Причина возврата:" in html and "Нет звука во второй половине" in html
    second = submission_submit(
        enrollment=lesson.enrollment,
        assignment=lesson.assignment,
        link="https://rutube.ru/video/0123456789abcdef0123456789abcdff/",
        topic="Дроби, новая запись",
        subject=world.subject,
        by=teacher,
    )
    assert second.version == 2 and second.is_current
    assert set(second.review_assignments.values_list("expert_id", flat=True)) == {world.methodist.pk, world.curator.pk}


def test_the_page_is_404_for_everyone_else(client, world, lesson):
    url = reverse("review_page", args=[lesson.pk])
    physics = expert(world.season, ExpertRole.METHODIST)
    other_season = expert(SeasonFactory(), ExpertRole.METHODIST, world.subject)
    for user in [
        physics.person.user,
        other_season.person.user,
        lesson.enrollment.person.user,
        EnrollmentFactory(season=world.season).person.user,
        coordinator(world.season.program.municipality),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "draft"}).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_curator_of_the_group_opens_it_and_may_take_it(client, world, lesson):
    client.force_login(world.curator.person.user)
    html = client.get(reverse("review_page", args=[lesson.pk])).content.decode()
    assert "Взять на проверку" in html and "Выставить оценку" not in html


def _page_with_comments(client, world, video_url: str) -> str:
    lesson = world.submission(video_url=video_url)
    client.force_login(world.methodist.person.user)
    review_take(submission=lesson, expert=world.methodist)
    url = reverse("review_page", args=[lesson.pk])
    client.post(url, full(world, action="draft", comments="1:30 — хороший вопрос классу\nОбщее замечание"))
    return client.get(url).content.decode()


def test_vk_timecodes_reopen_the_player_at_their_moment(client, world):
    html = _page_with_comments(client, world, "https://vk.com/video-12345_67890")
    assert 'data-review-player="vk"' in html
    assert (
        'href="https://vk.com/video-12345_67890?t=1m30s" data-seek="90" '
        'data-seek-url="https://vk.com/video_ext.php?oid=-12345&amp;id=67890&amp;t=1m30s&amp;autoplay=1">1:30</a>'
        in html
    )
    assert "перемотка недоступна" not in html


def test_rutube_timecodes_are_commanded_without_reopening(client, world):
    html = _page_with_comments(client, world, "https://rutube.ru/video/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/")
    assert 'href="https://rutube.ru/video/5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f/?t=90" data-seek="90">1:30</a>' in html
    assert "data-seek-url" not in html
    assert "перемотка недоступна" not in html


def test_a_host_whose_player_cannot_be_moved_links_the_video_and_says_where_to_look(client, world):
    html = _page_with_comments(client, world, "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view")
    assert 'data-review-player="other"' in html
    assert (
        '<a class="review-timecode fw-semibold" href="https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUv/view" '
        'rel="noopener noreferrer" target="_blank">1:30<span class="visually-hidden"> (в новой вкладке)</span></a> — '
        "хороший вопрос классу" in html
    )
    assert "data-seek" not in html.replace("data-seek-label", "")
    assert "перемотка недоступна для этого видеохостинга — откройте видео на отметке 1:30" in html
