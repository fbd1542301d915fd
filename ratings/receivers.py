"""Ratings' part of loading a program template, and the reviewers of a video lesson just submitted.

Season cloning needs no receiver here: rubrics belong to the program, so the new season already uses them.
"""

from collections import Counter

from django.dispatch import receiver

from activities.models import Submission
from activities.signals import submission_submitted
from programs.models import Season
from programs.signals import season_template_applied
from programs.templates_service import upsert

from .models import Rubric, RubricCriterion
from .services import review_assign


@receiver(submission_submitted, sender=Submission, dispatch_uid="ratings_assign_reviewers")
def assign_reviewers(sender, *, submission, previous=None, **kwargs) -> int:
    """A new version goes to its season's reviewers and to those of the version it replaces."""
    return review_assign(submissions=Submission.objects.filter(pk=submission.pk))


@receiver(season_template_applied, sender=Season, dispatch_uid="ratings_template_applied")
def load_rubric(sender, *, season, template, **kwargs) -> Counter:
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
