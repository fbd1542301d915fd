"""A small project office for the tests: a municipality (Moscow time) with one project, its stages and events."""

from __future__ import annotations

from datetime import date

from participants.models import User
from projects.models.office import (
    Direction,
    Project,
    ProjectDirection,
    ProjectEvent,
    ProjectStage,
    StageKind,
    WorkingGroupMember,
)
from tests.factories import MunicipalityFactory, UserFactory


def office_municipality(name="Московский район"):
    return MunicipalityFactory(name=name, region="Санкт-Петербург", time_zone="Europe/Moscow")


def coordinator_of(municipality, **kwargs):
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=municipality, **kwargs)


def management_of(municipality):
    return UserFactory(role=User.Role.MANAGEMENT, municipality=municipality)


def project_in(municipality, n: int = 1, *, today: date = date(2026, 12, 7)) -> Project:
    project = Project.objects.create(
        municipality=municipality,
        slug=f"proekt-{n}",
        title=f"Траектория развития {n}",
        goal="Цель проекта",
        position=n,
    )
    ProjectDirection.objects.create(project=project, direction=Direction.MODERN_SCHOOL)
    stage = ProjectStage.objects.create(
        project=project,
        order=1,
        kind=StageKind.MAIN,
        starts_on=date(today.year, 9, 1),
        ends_on=date(today.year + 3, 10, 31),
    )
    ProjectEvent.objects.create(
        project=project,
        stage=stage,
        number="2",
        title="Семинар «Внедрение целевой модели наставничества в Московском районе»",
        schedule="30.09.2021",
        starts_on=date(today.year, 9, 30),
        ends_on=date(today.year, 9, 30),
    )
    ProjectEvent.objects.create(
        project=project,
        stage=stage,
        number="9",
        title="Цикл итоговых мероприятий",
        starts_on=date(today.year + 3, 11, 1),
        ends_on=date(today.year + 3, 12, 31),
    )
    WorkingGroupMember.objects.create(
        project=project, order=1, full_name="Лужецкая Ирина Геннадьевна", position="директор ИМЦ", is_head=True
    )
    return project
