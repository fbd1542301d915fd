"""The cabinet section «Индивидуальный образовательный маршрут» of a Methodical Subscription teacher."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment
from programs.models import Program

from .selectors_route import CANCELLED, DONE, enrollment_routes

SHOWN = {Enrollment.Status.APPLIED, Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED}


def _route_context(ctx: CabinetContext) -> dict | None:
    enrollments = [
        e for e in ctx.enrollments if e.season.program.kind == Program.Kind.SUBSCRIPTION and e.status in SHOWN
    ]
    if not enrollments:
        return None
    routes = enrollment_routes(enrollments)
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


register_section(
    Section(key="route", template="activities/route/_cabinet_route.html", context=_route_context, order=55)
)
