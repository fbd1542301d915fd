"""ratings 0006: an existing season keeps the scale of its video points when weight_video_score changes meaning
from «× each review's raw total» to «points of a lesson at the rubric's maximum» (seed 000 §5.8)."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from tests.factories import RubricCriterionFactory, RubricFactory, SeasonFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("ratings.migrations.0006_video_weight_per_lesson")


def test_existing_seasons_get_the_old_weight_times_the_current_rubric_maximum_and_back():
    season = SeasonFactory(weight_video_score=Decimal("0.5"))
    rubric = RubricFactory(program=season.program, version=2, is_current=True)
    RubricCriterionFactory(rubric=rubric, max_points=3, weight=Decimal("1.50"))
    RubricCriterionFactory(rubric=rubric, max_points=2)  # maximum 3 × 1.5 + 2 = 6.5
    old = RubricFactory(program=season.program, version=1, is_current=False)
    RubricCriterionFactory(rubric=old, max_points=50)  # an old version does not decide the scale
    no_rubric = SeasonFactory(weight_video_score=Decimal("2"))
    huge = SeasonFactory(weight_video_score=Decimal("900"))
    RubricCriterionFactory(rubric__program=huge.program, max_points=10)

    migration.forwards(apps, None)
    for s in (season, no_rubric, huge):
        s.refresh_from_db()
    # One review of 6.5 of 6.5 earned 6.5 × 0.5 = 3.25 before; a full lesson earns 3.25 now.
    assert season.weight_video_score == Decimal("3.25")
    assert no_rubric.weight_video_score == Decimal("2")
    assert huge.weight_video_score == Decimal("999.99")  # the field's limit

    migration.backwards(apps, None)
    season.refresh_from_db()
    assert season.weight_video_score == Decimal("0.5")
