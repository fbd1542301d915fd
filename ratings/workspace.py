"""The expert's workspace panel of video-lesson review: per season what waits, what is overdue, what is
in progress, with a link to the queue. Two queries whatever the number of lessons (selectors.review_workload)."""

from __future__ import annotations

from experts.models import ExpertRole
from experts.workspace import Panel, WorkspaceContext, register_panel

from .selectors import review_workload


def reviews_panel(ctx: WorkspaceContext) -> dict | None:
    if not ctx.assignments:
        return None
    counts = review_workload(ctx.assignments, now=ctx.now)
    seasons = {a.season_id: a.season for a in ctx.assignments}
    rows = [
        {"season": seasons[pk], **numbers}
        for pk, numbers in counts.items()
        if any(numbers.values()) or _reviews_in(pk, ctx)
    ]
    if not rows:
        return None
    return {"rows": rows}


def _reviews_in(season_id: int, ctx: WorkspaceContext) -> bool:
    """Methodists and curators see the panel for their season even when nothing waits."""
    return any(
        a.season_id == season_id and a.role in (ExpertRole.METHODIST, ExpertRole.CURATOR) for a in ctx.assignments
    )


def register() -> None:
    register_panel(
        Panel(key="ratings.reviews", template="ratings/workspace/_reviews.html", context=reviews_panel, order=20)
    )
