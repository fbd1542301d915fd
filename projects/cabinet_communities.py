"""The cabinet section «Профессиональные сообщества» (сид 001): the teacher's communities and roles, their points
and level, the cascade-training sessions they led («провёл занятие»). A few queries whatever the number of rows,
and none for a teacher in no community once the cache knows it (most teachers: the cabinet's budget stays)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment

from .models import CommunityMember
from .selectors_communities import my_points, my_trainings


def _flag_key(person_id: int) -> str:
    return f"projects:community-member:{person_id}"


def _forget_flag(sender, instance, **kwargs) -> None:
    """A membership added or removed: the person's cached «in no community» is dropped (cache invalidation only)."""
    person_id = Enrollment.objects.filter(pk=instance.enrollment_id).values_list("person_id", flat=True).first()
    if person_id is not None:
        cache.delete(_flag_key(person_id))


def _communities_context(ctx: CabinetContext) -> dict | None:
    ids = [e.pk for e in ctx.enrollments]
    if not ids or cache.get(_flag_key(ctx.person.pk)) is False:
        return None
    memberships = list(
        CommunityMember.objects.filter(enrollment_id__in=ids)
        .select_related("community", "enrollment")
        .order_by("-enrollment__season__starts_on", "community__name", "pk")
    )
    if not memberships:
        cache.set(_flag_key(ctx.person.pk), False, 3600)
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
    post_save.connect(_forget_flag, sender=CommunityMember, dispatch_uid="projects.community_member_saved")
    post_delete.connect(_forget_flag, sender=CommunityMember, dispatch_uid="projects.community_member_deleted")
    register_section(
        Section(
            key="projects.communities",
            template="projects/communities/cabinet/_section.html",
            context=_communities_context,
            order=75,
        )
    )
