"""Who may do what with the professional communities «ПРОкомьюнити» (сид 001).

The district coordinator «определяет куратора» and runs the communities of their municipality; management of the
municipality reads; a community's page is its members' and its curator's; the bank and the board belong to everyone
who takes part in a community of the season (сид 001, «горизонтальное обучение»: «равный доступ к образовательным
ресурсам»).
"""

import rules
from django.db.models import Q

from participants.models import User
from participants.roles import MANAGEMENT, user_is_coordinator

from .models import Community


def _municipality_id(season) -> int:
    return season.program.municipality_id


def _person_id(user) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person.pk if person is not None else None


@rules.predicate
def coordinates_communities(user, season) -> bool:
    """A coordinator of the season's municipality (or a superuser)."""
    if season is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user_is_coordinator(user) and user.municipality_id == _municipality_id(season)


@rules.predicate
def oversees_communities(user, season) -> bool:
    """The coordinator, or the management of the season's municipality (read-only)."""
    if coordinates_communities(user, season):
        return True
    if season is None or not user_is_management(user):
        return False
    return user.municipality_id == _municipality_id(season)


def user_is_management(user) -> bool:
    """Management of an education department: by role or by the «Руководство» group, bound to a municipality."""
    if not user.is_authenticated or not user.is_active or not user.municipality_id:
        return False
    return user.role == User.Role.MANAGEMENT or user.groups.filter(name=MANAGEMENT).exists()


@rules.predicate
def takes_part_in_season_communities(user, season) -> bool:
    """A member (present or past) of any community of the season, or a curator of one."""
    person_id = _person_id(user)
    if season is None or person_id is None:
        return False
    return Community.objects.filter(season=season).filter(member_or_curator_q(person_id)).exists()


def member_or_curator_q(person_id: int) -> Q:
    """Communities a person belongs to (present or past member) or curates."""
    return Q(members__enrollment__person_id=person_id) | Q(curator__person_id=person_id)


@rules.predicate
def belongs_to_community(user, community) -> bool:
    """A member (present or past) of this very community, or its curator."""
    person_id = _person_id(user)
    if community is None or person_id is None:
        return False
    if community.curator_id and community.curator.person_id == person_id:
        return True
    return community.members.filter(enrollment__person_id=person_id).exists()


@rules.predicate
def manages_community(user, community) -> bool:
    return community is not None and coordinates_communities(user, community.season)


@rules.predicate
def oversees_community(user, community) -> bool:
    return community is not None and oversees_communities(user, community.season)


@rules.predicate
def directs_community_school(user, community) -> bool:
    """The director of the school an informal mentor community works in (сид 001, «Траектория развития»)."""
    from .rules_school_pairs import director_school_id

    return (
        community is not None
        and community.organisation_id is not None
        and (director_school_id(user) == community.organisation_id)
    )


can_view_community = oversees_community | belongs_to_community | directs_community_school
can_view_season_communities = oversees_communities | takes_part_in_season_communities

rules.add_perm("projects.manage_communities", coordinates_communities)
rules.add_perm("projects.view_season_communities", can_view_season_communities)
rules.add_perm("projects.manage_community", manages_community)
rules.add_perm("projects.view_community", can_view_community)
