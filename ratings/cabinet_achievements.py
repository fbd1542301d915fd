"""The ratings app's «Мои достижения» section of the teacher's cabinet."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section

from .models import Achievement
from .services import ACHIEVEMENT_ENROLLMENT_STATUSES


def achievements_context(ctx: CabinetContext) -> dict | None:
    """One query (none without enrollments): my achievements with their season; hidden for someone who can add
    none and has none."""
    eligible = [e for e in ctx.enrollments if e.status in ACHIEVEMENT_ENROLLMENT_STATUSES]
    # Every enrollment of the person came with season and program: each achievement shares them.
    by_id = {e.pk: e for e in ctx.enrollments}
    # Newest first, sorted here: without an ORDER BY Django need not hash every selected column while compiling.
    items = sorted(
        Achievement.objects.filter(enrollment_id__in=list(by_id)).order_by(),
        key=lambda item: (item.happened_on, item.pk),
        reverse=True,
    )
    for item in items:
        item.enrollment = by_id[item.enrollment_id]
    if not eligible and not items:
        return None
    return {"items": items, "eligible": eligible}


def register() -> None:
    register_section(
        Section(
            key="achievements",
            template="ratings/cabinet/_achievements.html",
            context=achievements_context,
            order=58,
        )
    )
