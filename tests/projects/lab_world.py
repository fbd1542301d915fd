"""What the lab's tests share: a municipality with the lab's program and season, its themes, kindergartens and
teachers (seed 001, «Лаборатория профессиональных компетенций»)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from participants.models import User
from programs.models import Organisation
from projects.models import CompetenceTheme
from projects.models.competence_lab import LAB_PROGRAM_SLUG
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

TZ = "Europe/Moscow"


def lab_municipality(name="Московский район", *, season=True, starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31)):
    """A municipality; with `season`, the lab's program (its slug is unique: one such municipality a test)."""
    town = MunicipalityFactory(name=name, time_zone=TZ)
    if season:
        program = ProgramFactory(municipality=town, slug=LAB_PROGRAM_SLUG)
        SeasonFactory(program=program, starts_on=starts_on, ends_on=ends_on, time_zone=TZ)
    return town


def kindergarten(town, short_name):
    return OrganisationFactory(municipality=town, short_name=short_name, kind=Organisation.Kind.KINDERGARTEN)


def teacher(organisation, last_name, **kwargs):
    return PersonFactory(organisation=organisation, last_name=last_name, **kwargs)


def theme(town, title="Развивающая предметно-пространственная среда", **kwargs):
    return CompetenceTheme.objects.create(municipality=town, title=title, **kwargs)


def coordinator(town):
    return UserFactory(role=User.Role.COORDINATOR, municipality=town, is_staff=True)


def director(organisation):
    user = UserFactory(role=User.Role.DIRECTOR)
    PersonFactory(user=user, organisation=organisation, last_name="Директорова")
    return user


def now():
    return timezone.now()
