"""Rubrics are versioned: a used version never changes, so past scores keep their meaning."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ratings.models import Review, ReviewScore, Rubric
from ratings.services import ScoreInput, review_save, review_take, rubric_revise

from .conftest import coordinator

pytestmark = pytest.mark.django_db


def scored_review(world):
    review = review_take(submission=world.submission(), expert=world.methodist)
    return review_save(
        review=review,
        expert=world.methodist,
        scores={world.goal.pk: ScoreInput(points=2), world.method.pk: ScoreInput(points=1, comment="Есть")},
        final=True,
    )


def test_an_unused_rubric_changes_in_place(world):
    revised = rubric_revise(
        rubric=world.rubric, title="Новая рубрика", criteria=[{"order": 1, "title": "Один", "max_points": 4}]
    )
    assert revised.pk == world.rubric.pk and revised.version == 1 and revised.title == "Новая рубрика"
    assert list(revised.criteria.values_list("title", "max_points")) == [("Один", 4)]


def test_a_used_rubric_gets_a_new_current_version_and_old_scores_stay(world):
    review = scored_review(world)
    assert review.total_score == Decimal("4.00")  # 2 × 1.5 + 1 × 1
    revised = rubric_revise(rubric=world.rubric)
    world.rubric.refresh_from_db()
    assert revised.pk != world.rubric.pk and revised.version == 2 and revised.is_current
    assert not world.rubric.is_current
    assert list(revised.criteria.values_list("title", "max_points", "weight", "comment_required", "levels")) == list(
        world.rubric.criteria.values_list("title", "max_points", "weight", "comment_required", "levels")
    )
    # Changing the new version leaves the old one and its scores alone.
    revised.criteria.filter(order=1).update(max_points=10, weight=5)
    world.goal.refresh_from_db()
    assert (world.goal.max_points, world.goal.weight) == (3, Decimal("1.50"))
    assert set(ReviewScore.objects.filter(review=review).values_list("criterion__rubric_id", flat=True)) == {
        world.rubric.pk
    }
    review.refresh_from_db()
    assert review.rubric_id == world.rubric.pk and review.total_score == Decimal("4.00")
    # A new review is scored against the new version.
    assert review_take(submission=world.submission(), expert=world.methodist).rubric_id == revised.pk


def test_given_criteria_make_the_new_version(world):
    scored_review(world)
    revised = rubric_revise(rubric=world.rubric, title="Версия 2", criteria=[{"order": 1, "title": "Только один"}])
    assert revised.title == "Версия 2" and list(revised.criteria.values_list("title", flat=True)) == ["Только один"]
    assert Rubric.objects.filter(program=world.season.program, is_current=True).get() == revised


def test_admin_shows_the_version_and_keeps_used_criteria_read_only(client, world):
    scored_review(world)
    client.force_login(coordinator(world.season.program.municipality))
    url = reverse("admin:ratings_rubric_change", args=[world.rubric.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "уже выставлены оценки" in html
    assert 'name="criteria-0-title"' not in html and "Постановка цели урока" in html
    response = client.post(
        reverse("admin:ratings_rubric_changelist"),
        {"action": "new_version", "_selected_action": [world.rubric.pk]},
        follow=True,
    )
    assert "Создана версия 2" in response.content.decode()
    new = Rubric.objects.get(program=world.season.program, is_current=True)
    html = client.get(reverse("admin:ratings_rubric_change", args=[new.pk])).content.decode()
    assert 'name="criteria-0-title"' in html
    assert Review.objects.get().rubric_id == world.rubric.pk


def test_a_second_rubric_for_the_program_is_refused_with_a_russian_message(client, world):
    # The add form left version and is_current to their defaults (1, current): the database's uniqueness refused
    # the row after the form had passed, a 500.
    client.force_login(coordinator(world.season.program.municipality))
    data = {"program": world.season.program.pk, "title": "Вторая", "criteria-TOTAL_FORMS": "0"}
    data["criteria-INITIAL_FORMS"] = "0"

    response = client.post(reverse("admin:ratings_rubric_add"), data)

    assert response.status_code == 200
    assert "Создать новую версию критериев" in str(response.context_data["errors"])
    assert Rubric.objects.filter(program=world.season.program).count() == 1
