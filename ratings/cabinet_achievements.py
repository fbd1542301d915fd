"""The ratings app's «Мои достижения» section of the teacher's cabinet."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section

from .models import Achievement
from .services import ACHIEVEMENT_ENROLLMENT_STATUSES


def achievements_context(ctx: CabinetContext) -> dict | None:
    """One query: my achievements with their season; hidden for someone who can add none and has none."""
    eligible = [e for e in ctx.enrollments if e.status in ACHIEVEMENT_ENROLLMENT_STATUSES]
    items = list(
        Achievement.objects.filter(enrollment__person=ctx.person)
        .select_related("enrollment__season__program")
        .order_by("-happened_on", "-pk")
    )
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
