"""The cabinet section «Индивидуальный образовательный маршрут» of a Methodical Subscription teacher."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment
from programs.models import Program

from .selectors_route import CANCELLED, DONE, RouteStep, enrollment_routes

SHOWN = {Enrollment.Status.APPLIED, Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED}
SHARED_KEY = "activities.enrollment_routes"


def _route_enrollments(ctx: CabinetContext) -> list[Enrollment]:
    return [e for e in ctx.enrollments if e.season.program.kind == Program.Kind.SUBSCRIPTION and e.status in SHOWN]


def shared_routes(ctx: CabinetContext) -> dict[int, list[RouteStep]]:
    """The routes of the teacher's Subscription enrollments, loaded once (one query, none without any) for the
    route section and for «Ближайшие сроки», whichever asks first."""
    if SHARED_KEY not in ctx.shared:
        enrollments = _route_enrollments(ctx)
        ctx.shared[SHARED_KEY] = enrollment_routes(enrollments) if enrollments else {}
    return ctx.shared[SHARED_KEY]


def _route_context(ctx: CabinetContext) -> dict | None:
    enrollments = _route_enrollments(ctx)
    if not enrollments:
        return None
    routes = shared_routes(ctx)
    rows = []
    for enrollment in enrollments:
        steps = routes.get(enrollment.pk, [])
        counted = [s for s in steps if s.state != CANCELLED]
        rows.append(
            {
                "enrollment": enrollment,
                "steps": steps,
                "done": sum(1 for s in counted if s.state == DONE),
                "total": len(counted),
            }
        )
    return {"routes": rows}


def register() -> None:
    """The individual route's cabinet section (participants.cabinet)."""
    register_section(
        Section(key="route", template="activities/route/_cabinet_route.html", context=_route_context, order=55)
    )
