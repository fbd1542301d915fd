"""What the reserve's tests share: a municipality in Moscow time with two schools, its coordinator, the
leaders' school («shkola-liderov») with a season and its psychologist, and a helper to list a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from experts.models import ExpertRole
from participants.models import User
from projects.models.reserve import ReserveMember, ReserveSource, ReserveStatus
from projects.services_reserve import LEADERS_SCHOOL_SLUG, reserve_member_add
from tests.factories import (
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)


@dataclass
class ReserveWorld:
    municipality: object
    school: object
    other_school: object
    coordinator: User
    season: object
    psychologist: object  # ExpertAssignment


def coordinator_of(municipality) -> User:
    return UserFactory(role=User.Role.COORDINATOR, municipality=municipality, is_staff=True)


def reserve_world(name: str = "Московский район") -> ReserveWorld:
    municipality = MunicipalityFactory(name=name, region="Санкт-Петербург", time_zone="Europe/Moscow")
    school = OrganisationFactory(municipality=municipality, short_name=f"ГБОУ школа № 376 ({name})")
    other = OrganisationFactory(municipality=municipality, short_name=f"ГБОУ школа № 544 ({name})")
    slug = LEADERS_SCHOOL_SLUG if name == "Московский район" else f"{LEADERS_SCHOOL_SLUG}-{municipality.pk}"
    season = SeasonFactory(
        program=ProgramFactory(slug=slug, municipality=municipality, title="Школа Лидеров образования"),
        time_zone="Europe/Moscow",
    )
    psychologist = ExpertAssignmentFactory(
        season=season, role=ExpertRole.PSYCHOLOGIST, person__organisation=school, person__last_name="Психологова"
    )
    return ReserveWorld(municipality, school, other, coordinator_of(municipality), season, psychologist)


def member_in(
    world: ReserveWorld,
    *,
    status: str = ReserveStatus.IN_RESERVE,
    source: str = ReserveSource.CONTEST,
    listed_on: date = date(2025, 3, 1),
    school=None,
    **person,
) -> ReserveMember:
    return reserve_member_add(
        municipality=world.municipality,
        person=PersonFactory(organisation=school or world.school, **person),
        source=source,
        listed_on=listed_on,
        status=status,
        decision="Распоряжение администрации района от 01.03.2025 № 100" if status == ReserveStatus.IN_RESERVE else "",
    )
