"""The cabinet section «Мои запросы»: a Subscription teacher's individual requests and their status."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section
from programs.models import Program

from .selectors import person_requests


def _requests_context(ctx: CabinetContext) -> dict | None:
    subscription = [e for e in ctx.enrollments if e.season.program.kind == Program.Kind.SUBSCRIPTION]
    if not subscription:
        return None
    return {"requests": person_requests(ctx.person), "can_request": [e for e in subscription if e.is_current]}


def register() -> None:
    """The expert team's cabinet section (participants.cabinet)."""
    register_section(
        Section(key="my_requests", template="experts/cabinet/_requests.html", context=_requests_context, order=60)
    )
