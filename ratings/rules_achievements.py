"""Who may see an achievement's proof and who may confirm or reject it (django-rules predicates).

The expert group of seed 000 confirms achievements: any active curator, methodist, psychologist, tutor,
mentor or project head of the achievement's season. Technical specialists and administrators are not in it.
Coordinators of the season's municipality decide too (in the admin or on the expert page).
"""

import rules

from experts.models import ExpertRole
from participants.models import Person
from participants.roles import user_is_coordinator

EXPERT_GROUP_ROLES = (
    ExpertRole.CURATOR,
    ExpertRole.METHODIST,
    ExpertRole.PSYCHOLOGIST,
    ExpertRole.TUTOR,
    ExpertRole.MENTOR,
    ExpertRole.PROJECT_HEAD,
)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_achievement_owner(user, achievement) -> bool:
    if achievement is None or not _signed_in(user):
        return False
    return achievement.enrollment.person.user_id == user.pk


@rules.predicate
def is_achievement_season_expert(user, achievement) -> bool:
    """An active member of the expert group in the achievement's season."""
    if achievement is None or not _signed_in(user):
        return False
    return Person.objects.filter(
        user_id=user.pk,
        expert_assignments__season_id=achievement.enrollment.season_id,
        expert_assignments__is_active=True,
        expert_assignments__role__in=EXPERT_GROUP_ROLES,
    ).exists()


@rules.predicate
def is_achievement_season_coordinator(user, achievement) -> bool:
    if achievement is None or not user_is_coordinator(user):
        return False
    return user.municipality_id == achievement.enrollment.season.program.municipality_id


can_view_achievement_proof = (
    is_achievement_owner | rules.is_superuser | is_achievement_season_coordinator | is_achievement_season_expert
)
can_decide_achievement = rules.is_superuser | is_achievement_season_coordinator | is_achievement_season_expert

rules.add_perm("ratings.view_achievement_proof", can_view_achievement_proof)
rules.add_perm("ratings.decide_achievement", can_decide_achievement)
