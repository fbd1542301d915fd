"""The cabinet section «Посещения уроков и консультации»: a teacher sees the lessons the curator or methodist
visited with their recommendations (the notes stay internal), and that consultations took place — date, kind,
the specialist's role — never their content."""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section

from .selectors import person_consultations, person_visits


def _visits_context(ctx: CabinetContext) -> dict | None:
    if not ctx.enrollments:
        return None
    visits = person_visits(ctx.person, enrollments=ctx.enrollments)
    consultations = person_consultations(ctx.person)
    if not visits and not consultations:
        return None
    return {"visits": visits, "consultations": consultations}


def register() -> None:
    """The lesson visits' cabinet section (participants.cabinet)."""
    register_section(
        Section(key="experts.visits", template="experts/cabinet/_visits.html", context=_visits_context, order=65)
    )
