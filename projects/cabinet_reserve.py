"""The cabinet section «Моя траектория»: a member of the personnel reserve sees their individual trajectory and
writes a report on each item (сид 001, «Школа Лидеров образования», 2.7).

Membership of the reserve belongs to the person, not to an enrollment: the section asks once for every teacher
(one query when they are not in the reserve), whatever seasons they take part in.
"""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section

from .dates import municipality_today
from .selectors_reserve import person_memberships


def _reserve_context(ctx: CabinetContext) -> dict | None:
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
