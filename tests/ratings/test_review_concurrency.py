"""The same expert taking and saving the same video lesson from two tabs at the same moment: one review (the
constraint review_one_per_expert holds; the submission's row lock lines the requests up), and a second final
save gets a clear Russian message, never a server error."""

import pytest
from django.core.exceptions import ValidationError

from ratings.models import Review
from ratings.services import ScoreInput, review_save, review_take
from tests.faults_support import needs_postgresql, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_takes_at_once_make_one_review(world):
    needs_postgresql()
    lesson = world.submission()
    results = race(*(lambda: review_take(submission=lesson, expert=world.methodist) for _ in range(3)))
    assert all(isinstance(r, Review) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Review.objects.filter(submission=lesson, expert=world.methodist).count() == 1


def test_two_final_saves_at_once_submit_one_review(world):
    needs_postgresql()
    lesson = world.submission()
    review = review_take(submission=lesson, expert=world.methodist)
    scores = {world.goal.pk: ScoreInput(points=3), world.method.pk: ScoreInput(points=2, comment="Хорошо")}

    def save():
        return review_save(review=review, expert=world.methodist, scores=scores, strengths="Ясная цель", final=True)

    results = race(save, save)
    saved = [r for r in results if isinstance(r, Review)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert "Рецензия уже закрыта" in refused[0].messages[0]
    assert Review.objects.filter(submission=lesson, expert=world.methodist).count() == 1
    assert Review.objects.get(pk=review.pk).status != Review.Status.IN_PROGRESS
