"""The expert workspace's panel of achievements waiting for the expert group's decision."""

from __future__ import annotations

from django.db.models import Count, Min

from experts.workspace import Panel, WorkspaceContext, register_panel

from .models import Achievement
from .rules_achievements import EXPERT_GROUP_ROLES


def achievements_panel_context(ctx: WorkspaceContext) -> dict | None:
    """One query: pending achievements per season of the expert group and the oldest one's date."""
    seasons = {}
    for assignment in ctx.with_role(*EXPERT_GROUP_ROLES):
        seasons.setdefault(assignment.season_id, assignment.season)
    if not seasons:
        return None
    waiting = {
        row["enrollment__season_id"]: row
        for row in Achievement.objects.filter(status=Achievement.Status.PENDING, enrollment__season_id__in=seasons)
        .order_by()
        .values("enrollment__season_id")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
    }
    rows = []
    for season_id, season in seasons.items():
        row = waiting.get(season_id)
        oldest = row["oldest"] if row else None
        rows.append(
            {
                "season": season,
                "pending": row["n"] if row else 0,
                "oldest_days": (ctx.now - oldest).days if oldest else None,
            }
        )
    return {"rows": rows, "total": sum(r["pending"] for r in rows)}


def register() -> None:
    register_panel(
        Panel(
            key="achievements",
            template="ratings/achievements/_workspace_panel.html",
            context=achievements_panel_context,
            order=70,
        )
    )
