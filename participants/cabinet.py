"""The teacher's cabinet is assembled from sections that each app contributes.

Lower apps cannot import higher ones (CONVENTIONS: programs ← participants ← experts, activities ← ratings),
yet the cabinet shows roadmap statuses, submissions, feedback and the rating. Each app registers its
sections in its AppConfig.ready(); the cabinet view only asks every section for its context.
A section's context function must run a constant number of queries whatever the number of items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpRequest

from .models import Enrollment, Person


@dataclass
class CabinetContext:
    request: HttpRequest
    person: Person
    # Every enrollment of the person, newest season first, with season and program selected
    # (selectors.cabinet_person_enrollments: each also carries `feedback_latest`, the person `rating_consent_at`).
    enrollments: list[Enrollment]
    now: datetime
    # Sections may leave data here for sections after them (e.g. the assignments a later section reuses).
    shared: dict = field(default_factory=dict)

    @property
    def current(self) -> list[Enrollment]:
        """The enrollments a teacher is working in: applied or active."""
        return [e for e in self.enrollments if e.is_current]


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    # Returns the template context, or None to leave the section out.
    context: Callable[[CabinetContext], dict | None]
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Register (or replace, on autoreload) a cabinet section."""
    _sections[section.key] = section


def registered_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def cabinet_sections(ctx: CabinetContext) -> list[tuple[Section, dict]]:
    rendered = []
    for section in registered_sections():
        context = section.context(ctx)
        if context is not None:
            rendered.append((section, context))
    return rendered


def _programs_context(ctx: CabinetContext) -> dict:
    return {"enrollments": ctx.enrollments}


def register() -> None:
    """This app's own cabinet sections (participants.cabinet)."""
    register_section(
        Section(key="programs", template="participants/cabinet/_programs.html", context=_programs_context, order=10)
    )
