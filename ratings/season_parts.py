"""Ratings' part of loading a program template: the program's video-lesson rubric.

Season cloning needs no step here: rubrics belong to the program, so the new season already uses them.
"""

from collections import Counter

from programs.season_parts import register_season_part
from programs.templates_service import upsert

from .models import Rubric, RubricCriterion


def load_rubric(*, season, template, **kwargs) -> Counter:
    """The program's video-lesson rubric by program+version, its criteria by rubric+order."""
    changes = Counter()
    data = template.get("rubric")
    if not data:
        return changes
    program = season.program
    version = data.get("version", 1)
    # Only a new rubric becomes current, and only if the program has none: a coordinator's newer version wins.
    has_current = Rubric.objects.filter(program=program, is_current=True).exclude(version=version).exists()
    rubric, what = upsert(
        Rubric,
        lookup={"program": program, "version": version},
        defaults={"title": data["title"]},
        create_only={"is_current": not has_current},
    )
    changes[what] += 1
    for criterion in data.get("criteria", []):
        item = dict(criterion)
        order = item.pop("order")
        _, what = upsert(RubricCriterion, lookup={"rubric": rubric, "order": order}, defaults=item)
        changes[what] += 1
    return changes


def register() -> None:
    register_season_part("ratings", load_template=load_rubric)
