"""The cabinet section «Заявка школы на абонемент»: a school administrator sees their school's applications
to the Methodical Subscription and the seasons the school may still apply to."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from programs.models import Program, Season

from .cabinet import CabinetContext, Section, register_section
from .models import SchoolApplication
from .services import person_is_school_administrator, school_application_window_is_open


def ground_labels(application: SchoolApplication) -> list[str]:
    """The grounds of an application in their display wording, in the seed's order."""
    chosen = set(application.grounds or [])
    return [label for value, label in SchoolApplication.Ground.choices if value in chosen]


def with_ground_labels(applications: list[SchoolApplication]) -> list[SchoolApplication]:
    for application in applications:
        application.ground_labels = ground_labels(application)
    return applications


def _school_application_context(ctx: CabinetContext) -> dict | None:
    person = ctx.person
    if not person_is_school_administrator(person):
        return None
    applications = with_ground_labels(
        list(
            SchoolApplication.objects.filter(organisation_id=person.organisation_id)
            .select_related("season__program", "applicant")
            .order_by("-submitted_at")
        )
    )
    # Coarse bounds in SQL (a day of slack for time zones), the exact window per season's zone in Python.
    today = ctx.now.date()
    candidates = (
        Season.objects.filter(
            program__kind=Program.Kind.SUBSCRIPTION,
            program__is_published=True,
            program__municipality_id=person.organisation.municipality_id,
        )
        .filter(
            Q(registration_opens_at__lte=ctx.now, registration_closes_at__gt=ctx.now)
            | Q(starts_on__lte=today + timedelta(days=1), ends_on__gte=today - timedelta(days=1))
        )
        .select_related("program")
        .order_by("starts_on")
    )
    has_open = {a.season_id for a in applications if a.status != SchoolApplication.Status.REJECTED}
    seasons = [s for s in candidates if s.pk not in has_open and school_application_window_is_open(s, ctx.now)]
    elsewhere = []
    if not applications and not seasons:
        # The school's municipality runs no «Методический абонемент»: say so rather than «приём заявок закрыт»,
        # which would send the director to wait for a window that never opens for the school (seed 004: the
        # municipal project takes the schools of its own municipality).
        programs = Program.objects.filter(kind=Program.Kind.SUBSCRIPTION, is_published=True).select_related(
            "municipality"
        )
        if not any(p.municipality_id == person.organisation.municipality_id for p in programs):
            elsewhere = list(programs)
    return {
        "applications": applications,
        "seasons": seasons,
        "organisation": person.organisation,
        "elsewhere": elsewhere,
        "municipality": person.organisation.municipality if elsewhere else None,
    }


def register() -> None:
    """The subscription's cabinet section (participants.cabinet)."""
    register_section(
        Section(
            key="school_application",
            template="participants/subscription/_cabinet_school_application.html",
            context=_school_application_context,
            order=20,
        )
    )
