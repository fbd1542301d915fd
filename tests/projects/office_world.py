"""A small project office for the tests: a municipality (Moscow time) with one project, its stages and events."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

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


def project_in(municipality, n: int = 1, *, today: date | None = None) -> Project:
    """A project under way: its seminar ended 68 days ago (overdue while planned), its final events are years off."""
    today = today or timezone.localdate()
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
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=1000),
    )
    ProjectEvent.objects.create(
        project=project,
        stage=stage,
        number="2",
        title="Семинар «Внедрение целевой модели наставничества в Московском районе»",
        schedule="30.09.2021",
        starts_on=today - timedelta(days=68),
        ends_on=today - timedelta(days=68),
    )
    ProjectEvent.objects.create(
        project=project,
        stage=stage,
        number="9",
        title="Цикл итоговых мероприятий",
        starts_on=today + timedelta(days=1001),
        ends_on=today + timedelta(days=1060),
    )
    WorkingGroupMember.objects.create(
        project=project, order=1, full_name="Лужецкая Ирина Геннадьевна", position="директор ИМЦ", is_head=True
    )
    return project
