"""A municipality running «Траектория развития» (сид 001): the project's program and season (school years 2024/25
and 2025/26), two schools, an informal mentor community of five inside one of them, another municipality, and every
kind of visitor."""

from __future__ import annotations

from datetime import date

from participants.models import User
from projects.models import Community, CommunityMember, CommunityRole
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

JOINED = date(2025, 1, 15)
POSITIONS = (
    CommunityRole.PED_MENTOR,
    CommunityRole.PED_METHODIST,
    CommunityRole.PED_TUTOR,
    CommunityRole.PED_RESEARCHER,
    CommunityRole.PED_INNOVATOR,
)


def coordinator(municipality):
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=municipality)


def director(school):
    return PersonFactory(organisation=school, is_manager=True, user=UserFactory(role=User.Role.DIRECTOR)).user


def trajectory_season(municipality, *, starts_on=date(2025, 1, 10), ends_on=date(2026, 6, 30)):
    program = ProgramFactory(slug="traektoriya-razvitiya", title="Траектория развития", municipality=municipality)
    return SeasonFactory(
        program=program, title="2025–2026", starts_on=starts_on, ends_on=ends_on, time_zone="Europe/Moscow"
    )


def mentor_community(season, school, *, name="Сообщество педагогов-наставников школы № 358"):
    """An informal mentor community inside `school` with five members in the seed's new positions."""
    community = Community.objects.create(
        season=season, name=name, kind=Community.Kind.SCHOOL_MENTORS, organisation=school
    )
    members = []
    for role in POSITIONS:
        person = PersonFactory(organisation=school, user=UserFactory())
        enrollment = EnrollmentFactory(season=season, person=person)
        members.append(
            CommunityMember.objects.create(community=community, enrollment=enrollment, role=role, joined_on=JOINED)
        )
    community.leader = members[0].enrollment
    community.save(update_fields=["leader"])
    return community, members


def build_world() -> dict:
    home = MunicipalityFactory(name="Московский район", region="Санкт-Петербург", time_zone="Europe/Moscow")
    other = MunicipalityFactory(name="Чужой район")
    season = trajectory_season(home)
    school = OrganisationFactory(municipality=home, short_name="ГБОУ школа № 358")
    school2 = OrganisationFactory(municipality=home, short_name="ГБОУ школа № 376")
    far = OrganisationFactory(municipality=other, short_name="МБОУ СОШ № 9")
    community, members = mentor_community(season, school)
    world = {
        "home": home,
        "other": other,
        "season": season,
        "school": school,
        "school2": school2,
        "far": far,
        "community": community,
        "members": members,
    }
    world["users"] = {
        "coordinator": coordinator(home),
        "management": UserFactory(role=User.Role.MANAGEMENT, municipality=home),
        "director": director(school),
        "director2": director(school2),
        "coordinator_other": coordinator(other),
        "director_other": director(far),
        "member": members[1].enrollment.person.user,
        "teacher": PersonFactory(organisation=school2, user=UserFactory()).user,
    }
    return world
