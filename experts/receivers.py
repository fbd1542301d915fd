"""Experts' part of loading a program template and of cloning a season."""

from collections import Counter

from django.dispatch import receiver

from programs.models import Season
from programs.signals import season_cloned, season_template_applied
from programs.templates_service import upsert

from .models import SeasonExpertRole


@receiver(season_template_applied, sender=Season, dispatch_uid="experts_template_applied")
def load_expert_roles(sender, *, season, template, **kwargs) -> Counter:
    """The team's functional structure, one row per season and role."""
    changes = Counter()
    for item in template.get("expert_roles", []):
        _, what = upsert(
            SeasonExpertRole,
            lookup={"season": season, "role": item["role"]},
            defaults={"functions": item.get("functions", ""), "planned_count": item.get("planned_count", 1)},
        )
        changes[what] += 1
    return changes


@receiver(season_cloned, sender=Season, dispatch_uid="experts_season_cloned")
def clone_expert_roles(sender, *, source, target, **kwargs) -> None:
    """Copy the planned roles; the people are assigned anew for the relaunch."""
    SeasonExpertRole.objects.bulk_create(
        SeasonExpertRole(season=target, role=role.role, functions=role.functions, planned_count=role.planned_count)
        for role in source.expert_roles.order_by("pk")
    )
