"""Workspace panels of the tutor («Запросы и маршруты») and of the mentor («Наставнические пары»).

Registered from ExpertsConfig.ready(); each runs a constant number of queries whatever the number of items.
"""

from __future__ import annotations

from .models import ExpertRole
from .selectors_tutor_mentor import QUIET_DAYS, ROUTE_DUE_DAYS, mentor_pairs, tutor_requests, tutor_summary
from .workspace import Panel, WorkspaceContext, register_panel

SHOWN = 5


def tutor_panel(ctx: WorkspaceContext) -> dict | None:
    tutors = ctx.with_role(ExpertRole.TUTOR)
    if not tutors:
        return None
    counts = tutor_summary(tutors, now=ctx.now)
    tutor_ids = {a.pk for a in tutors}
    # The tutor's own open requests first (assigned, then in work, oldest first): one query.
    mine = list(tutor_requests(tutors).filter(tutor_id__in=tutor_ids, status__in=["assigned", "in_work"])[:SHOWN])
    return {"counts": counts, "items": mine, "route_due_days": ROUTE_DUE_DAYS}


def mentor_panel(ctx: WorkspaceContext) -> dict | None:
    mentors = ctx.with_role(ExpertRole.MENTOR)
    if not mentors:
        return None
    pairs = mentor_pairs(mentors, active_only=True, now=ctx.now)
    quiet = [p for p in pairs if p.quiet]
    return {"pairs": pairs[:SHOWN], "total": len(pairs), "quiet": quiet, "quiet_days": QUIET_DAYS}


def register() -> None:
    """The tutor's and the mentor's workspace panels (experts.workspace)."""
    register_panel(Panel(key="tutor_requests", template="experts/workspace/_tutor.html", context=tutor_panel, order=40))
    register_panel(Panel(key="mentor_pairs", template="experts/workspace/_mentor.html", context=mentor_panel, order=45))
