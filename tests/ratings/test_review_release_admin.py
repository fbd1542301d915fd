"""After-check seasons: a coordinator releases scored reviews of their municipality from the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Submission
from ratings.models import Review
from ratings.services import ScoreInput, review_save, review_take
from reports.kpi_cache import kpi_data_changed
from tests.factories import MunicipalityFactory

from .conftest import coordinator

pytestmark = pytest.mark.django_db


def scored(world, final=True):
    lesson = world.submission()
    review = review_take(submission=lesson, expert=world.methodist)
    if final:
        review = review_save(
            review=review,
            expert=world.methodist,
            scores={world.goal.pk: ScoreInput(points=3), world.method.pk: ScoreInput(points=2, comment="Хорошо")},
            strengths="Работа в группах",
            final=True,
        )
    return review


def release(client, reviews):
    return client.post(
        reverse("admin:ratings_review_changelist"),
        {"action": "release", "_selected_action": [r.pk for r in reviews]},
        follow=True,
    )


def test_coordinator_releases_and_the_teacher_then_sees_it(client, world, django_capture_on_commit_callbacks):
    review, draft = scored(world), scored(world, final=False)
    user = coordinator(world.season.program.municipality)
    client.force_login(user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = release(client, [review, draft])
    html = response.content.decode()
    assert "Опубликована 1 рецензия" in html and "опубликовать можно только выставленную оценку" in html
    # After the commit (besides reports' KPI cache version bump): the season's rating recomputation, and the
    # wake-up of the e-mail sender for the teacher's «оценка опубликована» letter.
    queued = [c for c in callbacks if c is not kpi_data_changed]
    assert len(queued) == 2
    assert sum(getattr(c, "__qualname__", "").startswith("_deliver_on_commit") for c in queued) == 1
    review.refresh_from_db()
    draft.refresh_from_db()
    assert review.status == Review.Status.RELEASED and review.released_by == user and review.released_at
    assert draft.status == Review.Status.IN_PROGRESS
    assert Submission.objects.get(pk=review.submission_id).status == Submission.Status.REVIEWED
    client.force_login(review.submission.enrollment.person.user)
    page = client.get(reverse("video_assignment", args=[review.submission.assignment_id])).content.decode()
    assert "Отзыв экспертов" in page and "Работа в группах" in page


def test_teacher_sees_nothing_before_release(client, world):
    review = scored(world)
    client.force_login(review.submission.enrollment.person.user)
    page = client.get(reverse("video_assignment", args=[review.submission.assignment_id])).content.decode()
    assert "Отзыв экспертов" not in page and "Работа в группах" not in page


def test_coordinator_of_another_municipality_releases_nothing(client, world):
    review = scored(world)
    client.force_login(coordinator(MunicipalityFactory()))
    release(client, [review])
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_overdue_filter_and_flag(client, world):
    late = scored(world, final=False)
    Review.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    on_time = scored(world, final=False)
    client.force_login(coordinator(world.season.program.municipality))
    response = client.get(reverse("admin:ratings_review_changelist"), {"overdue": "yes"})
    assert [r.pk for r in response.context["cl"].result_list] == [late.pk]
    assert "просрочена" in response.content.decode()
    response = client.get(reverse("admin:ratings_review_changelist"), {"overdue": "no"})
    assert [r.pk for r in response.context["cl"].result_list] == [on_time.pk]


def test_the_list_shows_each_score_out_of_its_rubric_maximum(client, world):
    scored(world)  # 3 × 1.5 + 2 × 1 of a rubric whose maximum is the same
    client.force_login(coordinator(world.season.program.municipality))
    html = client.get(reverse("admin:ratings_review_changelist")).content.decode()
    assert "6,5 из 6,5 баллов" in html and "6,50" not in html
