"""A tiny municipality for the dashboard page tests, with one known answer worked out next to the data.

Октябрьский район has schools «Школа № 1» (teachers a, b; the director's account) and «Школа № 2» (teachers c, d)
and «Школа № 3» (no teachers). Only a finished a Federal-Registry course chosen by diagnostics, so the KPI
«dpo-federal-registry-diagnostics» is 1 of 4 teachers = 25 % for the municipality (target: at least 20 % → met),
1 of 2 = 50 % for school 1 and 0 of 2 = 0 % for school 2. The neighbouring district's teacher trained too and
must never be counted. The teachers are the staff rosters of the year (the KPIs' denominators).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from participants.models import ProfessionalDevelopment, User
from reports.models import KpiTarget
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory, roster_of

FR_DIAG = "dpo-federal-registry-diagnostics"


def pd(person, ends_on: date, **flags):
    return ProfessionalDevelopment.objects.create(
        person=person, course_title="Курс", provider="Академия", hours=36, ends_on=ends_on, **flags
    )


def build_world() -> dict:
    year = timezone.localdate().year
    home, other = MunicipalityFactory(name="Октябрьский район"), MunicipalityFactory(name="Заречный район")
    s1, s2, s3 = (OrganisationFactory(municipality=home, short_name=f"Школа № {n}") for n in (1, 2, 3))
    far = OrganisationFactory(municipality=other, short_name="Заречная школа")
    teachers = {
        "a": PersonFactory(organisation=s1),
        "b": PersonFactory(organisation=s1),
        "c": PersonFactory(organisation=s2),
        "d": PersonFactory(organisation=s2),
        "far": PersonFactory(organisation=far),
    }
    for teacher in teachers.values():
        roster_of(teacher, year)
    pd(teachers["a"], date(year, 3, 1), in_federal_registry=True, based_on_diagnostics=True)
    pd(teachers["c"], date(year, 4, 1), in_federal_registry=True)  # not chosen by diagnostics
    pd(teachers["far"], date(year, 3, 1), in_federal_registry=True, based_on_diagnostics=True)
    for municipality in (home, other):
        KpiTarget.objects.create(
            code=FR_DIAG, title="Доля педагогов", municipality=municipality, year=year, value=20, source="Приказ"
        )
    return {
        "year": year,
        "home": home,
        "other": other,
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "far": far,
        "teachers": teachers,
    }


def management(municipality):
    return UserFactory(role=User.Role.MANAGEMENT, municipality=municipality)


def coordinator(municipality):
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=municipality)


def director(school):
    return PersonFactory(organisation=school, is_manager=True, user=UserFactory(role=User.Role.DIRECTOR)).user
