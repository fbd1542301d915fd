"""Reads of achievements shared by the expert page, the admin, the services and the leaderboard."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from experts.models import ExpertAssignment
from participants.models import Consent, Enrollment

from .models import Achievement
from .rules_achievements import EXPERT_GROUP_ROLES, user_is_coordinator


def expert_group_season_ids(user) -> QuerySet:
    """The seasons where the user is an active member of the expert group (a subquery, not evaluated)."""
    return ExpertAssignment.objects.filter(person__user_id=user.pk, is_active=True, role__in=EXPERT_GROUP_ROLES).values(
        "season_id"
    )


def achievements_decidable_by(user) -> QuerySet[Achievement]:
    """Achievements the user may confirm or reject: of their expert-group seasons, of their municipality as a
    coordinator, or all for a superuser. Nothing for anyone else."""
    qs = Achievement.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    scope = Q(enrollment__season_id__in=expert_group_season_ids(user))
    if user_is_coordinator(user):
        scope |= Q(enrollment__season__program__municipality_id=user.municipality_id)
    return qs.filter(scope)


def pending_achievements_for(user) -> QuerySet[Achievement]:
    """The queue: pending achievements the user may decide, oldest first, with what a row shows."""
    return (
        achievements_decidable_by(user)
        .filter(status=Achievement.Status.PENDING)
        .select_related("enrollment__person__organisation", "enrollment__season__program")
        .order_by("created_at", "pk")
    )


def rating_name_published() -> Exists:
    """Annotation for rating rows: the participant's rating-publication consent is in force."""
    return Exists(
        Consent.objects.filter(
            person_id=OuterRef("enrollment__person_id"),
            kind=Consent.Kind.RATING_PUBLICATION,
            withdrawn_at__isnull=True,
        )
    )


LEADERBOARD_VIEWER_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED)
