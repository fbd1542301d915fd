"""Experts' part of loading a program template and of cloning a season."""

from collections import Counter

from programs.season_parts import register_season_part
from programs.templates_service import upsert

from .models import SeasonExpertRole


def load_expert_roles(*, season, template, **kwargs) -> Counter:
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


def clone_expert_roles(*, source, target, **kwargs) -> None:
    """Copy the planned roles; the people are assigned anew for the relaunch."""
    SeasonExpertRole.objects.bulk_create(
        SeasonExpertRole(season=target, role=role.role, functions=role.functions, planned_count=role.planned_count)
        for role in source.expert_roles.order_by("pk")
    )


def register() -> None:
    register_season_part("experts", load_template=load_expert_roles, clone=clone_expert_roles)
