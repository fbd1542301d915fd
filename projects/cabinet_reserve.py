"""The cabinet section «Моя траектория»: a member of the personnel reserve sees their individual trajectory and
writes a report on each item (сид 001, «Школа Лидеров образования», 2.7).

A teacher who is not in the leaders' school costs the cabinet no query: the section looks only if one of the
person's enrollments (already fetched for the cabinet) is in a «Школа Лидеров образования» season.
"""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section

from .selectors_reserve import person_memberships
from .services_reserve import LEADERS_SCHOOL_SLUG, municipality_today


def _reserve_context(ctx: CabinetContext) -> dict | None:
    if not any(e.season.program.slug == LEADERS_SCHOOL_SLUG for e in ctx.enrollments):
        return None
    memberships = person_memberships(ctx.person)
    if not memberships:
        return None
    for member in memberships:
        today = municipality_today(member.municipality, now=ctx.now)
        for item in member.trajectory_items.all():
            item.overdue = item.is_overdue(today)
    return {"memberships": memberships}


def register() -> None:
    register_section(
        Section(key="projects.reserve", template="projects/reserve/_cabinet.html", context=_reserve_context, order=67)
    )
