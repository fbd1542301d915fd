"""The cabinet section «Профессиональные сообщества» (сид 001): the teacher's communities and roles, their points
and level, the cascade-training sessions they led («провёл занятие»). One query for a teacher in no community, a few
more for a member, whatever the number of rows; nothing cached, so no write can leave the section stale."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section

from .models import CommunityMember
from .selectors_communities import my_points, my_trainings

SHARED_MEMBERSHIPS = "projects.community_memberships"


def community_memberships(ctx: CabinetContext) -> list[CommunityMember]:
    """The teacher's memberships of every community, newest season first: one query per cabinet, kept in ctx.shared
    for every section that asks (this one and «Траектория развития», cabinet_trajectory), none without
    enrollments."""
    if SHARED_MEMBERSHIPS not in ctx.shared:
        ids = [e.pk for e in ctx.enrollments]
        ctx.shared[SHARED_MEMBERSHIPS] = (
            list(
                CommunityMember.objects.filter(enrollment_id__in=ids)
                .select_related("community__organisation", "enrollment")
                .order_by("-enrollment__season__starts_on", "community__name", "pk")
            )
            if ids
            else []
        )
    return ctx.shared[SHARED_MEMBERSHIPS]


def _communities_context(ctx: CabinetContext) -> dict | None:
    memberships = community_memberships(ctx)
    if not memberships:
        return None
    # The latest season the teacher belongs to a community of: its points and its trainings.
    enrollment = next(e for e in ctx.enrollments if e.pk == memberships[0].enrollment_id)
    row, scale = my_points(enrollment, now=ctx.now)
    return {
        "memberships": [m for m in memberships if m.enrollment_id == enrollment.pk],
        "enrollment": enrollment,
        "points": row,
        "level": scale.level(row.points) if row is not None else "",
        "scale": scale,
        "trainings": list(my_trainings(enrollment)),
    }


def register() -> None:
    register_section(
        Section(
            key="projects.communities",
            template="projects/communities/cabinet/_section.html",
            context=_communities_context,
            order=75,
        )
    )
