"""A ПРОкомьюнити world for the communities' tests: a program `prokommyuniti` of a municipality, its season, its
coordinator and teachers, a community with members (сид 001)."""

from __future__ import annotations

from datetime import date

from participants.models import User
from projects.models import Community, CommunityMember, CommunityRole
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

JOINED = date(2024, 9, 10)


def season_of(municipality=None, slug: str = "prokommyuniti"):
    municipality = municipality or MunicipalityFactory(name="Московский район", time_zone="Europe/Moscow")
    program = ProgramFactory(slug=slug, title="ПРОкомьюнити в мире VUCA", municipality=municipality)
    return SeasonFactory(program=program, time_zone="Europe/Moscow")


def coordinator_of(season) -> User:
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=season.program.municipality)


def management_of(season) -> User:
    return UserFactory(role=User.Role.MANAGEMENT, municipality=season.program.municipality)


def community_with(season, n: int = 5, *, name: str = "Сообщество учителей математики", leader: bool = True):
    """A community with `n` active members; the first is its leader «лидер изменений»."""
    community = Community.objects.create(season=season, name=name, goals="Цели", tasks="Задачи")
    members = []
    for i in range(n):
        enrollment = EnrollmentFactory(season=season)
        role = CommunityRole.CHANGE_LEADER if i == 0 else CommunityRole.MEMBER
        members.append(
            CommunityMember.objects.create(community=community, enrollment=enrollment, role=role, joined_on=JOINED)
        )
    if leader and members:
        community.leader = members[0].enrollment
        community.save(update_fields=["leader"])
    return community, members
