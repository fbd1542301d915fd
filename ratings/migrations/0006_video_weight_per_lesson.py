"""weight_video_score now means the points of a lesson scored at its rubric's maximum (each lesson counts once,
as a share of that maximum — seed 000 §5.8, ratings.services.rating_recompute). Before, it multiplied raw review
totals. An existing season keeps its scale: its weight becomes the old weight × its program's current rubric
maximum, so a lesson reviewed once earns what it earned before."""

from decimal import Decimal

from django.db import migrations
from django.db.models import DecimalField, ExpressionWrapper, F, Sum

LIMIT = Decimal("999.99")  # the field holds five digits, two of them after the point


def _rescale(apps, change):
    Season = apps.get_model("programs", "Season")
    RubricCriterion = apps.get_model("ratings", "RubricCriterion")
    points = ExpressionWrapper(F("max_points") * F("weight"), output_field=DecimalField(max_digits=9, decimal_places=2))
    maxima = dict(
        RubricCriterion.objects.filter(rubric__is_current=True)
        .values("rubric__program_id")
        .annotate(m=Sum(points))
        .values_list("rubric__program_id", "m")
    )
    seasons = []
    for season in Season.objects.filter(program_id__in=[p for p, m in maxima.items() if m]):
        weight = change(season.weight_video_score, maxima[season.program_id])
        season.weight_video_score = min(LIMIT, weight.quantize(Decimal("0.01")))
        seasons.append(season)
    Season.objects.bulk_update(seasons, ["weight_video_score"], batch_size=500)


def forwards(apps, schema_editor):
    _rescale(apps, lambda weight, maximum: weight * maximum)


def backwards(apps, schema_editor):
    _rescale(apps, lambda weight, maximum: weight / maximum)


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0005_review_history"),
        ("programs", "0006_season_video_score_rule"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
