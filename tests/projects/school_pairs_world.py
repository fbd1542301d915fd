"""A municipality running «Школа – Школе» (сид 001): the project's program and season, a leader school and two
schools of low results, another municipality, and every kind of visitor."""

from __future__ import annotations

from datetime import date

from participants.models import User
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    SubjectFactory,
    UserFactory,
)


def coordinator(municipality):
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=municipality)


def management(municipality):
    return UserFactory(role=User.Role.MANAGEMENT, municipality=municipality)


def director(school):
    return PersonFactory(organisation=school, is_manager=True, user=UserFactory(role=User.Role.DIRECTOR)).user


def build_world() -> dict:
    home = MunicipalityFactory(name="Московский район", region="Санкт-Петербург", time_zone="Europe/Moscow")
    other = MunicipalityFactory(name="Чужой район")
    program = ProgramFactory(slug="shkola-shkole", title="Школа – Школе", code="ШШ", municipality=home)
    season = SeasonFactory(
        program=program,
        title="2025–2026",
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 9, 30),
        time_zone="Europe/Moscow",
    )
    leader = OrganisationFactory(municipality=home, short_name="ГБОУ школа № 358")
    weak = OrganisationFactory(municipality=home, short_name="ГБОУ школа № 500", low_results=True)
    weak2 = OrganisationFactory(municipality=home, short_name="ГБОУ школа № 501", low_results=True)
    far = OrganisationFactory(municipality=other, short_name="МБОУ СОШ № 9", low_results=True)
    math = SubjectFactory(name="Математика")
    russian = SubjectFactory(name="Русский язык")
    world = {
        "home": home,
        "other": other,
        "program": program,
        "season": season,
        "leader": leader,
        "weak": weak,
        "weak2": weak2,
        "far": far,
        "math": math,
        "russian": russian,
    }
    world["users"] = {
        "coordinator": coordinator(home),
        "management": management(home),
        "director": director(weak),
        "director_leader": director(leader),
        "director_other_school": director(weak2),
        "coordinator_other": coordinator(other),
        "management_other": management(other),
        "director_other": director(far),
        "teacher": PersonFactory(organisation=weak, user=UserFactory()).user,
        "superuser": UserFactory(is_superuser=True, is_staff=True, municipality=home),
    }
    return world


def teachers(season, school, n: int):
    """`n` teachers of `school` taking part in `season`."""
    return [EnrollmentFactory(season=season, person=PersonFactory(organisation=school)) for _ in range(n)]
