"""The expert's workspace (/expert/) is assembled from panels each app contributes.

The curator's group, the methodist's review queue, the psychologist's consultations, the tutor's requests
and routes, the mentor's pairs and the attendance to take live in different apps (experts, activities,
ratings), and a lower app cannot import a higher one. Each app registers its panels from its
AppConfig.ready(); the view asks every panel for its context. A panel's context function must run a
constant number of queries whatever the number of items, and return None to stay hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpRequest

from participants.models import Person

from .models import ExpertAssignment


@dataclass
class WorkspaceContext:
    request: HttpRequest
    person: Person
    # The person's active assignments in seasons that have not ended, with season and program selected.
    assignments: list[ExpertAssignment]
    now: datetime
    shared: dict = field(default_factory=dict)

    def roles(self) -> set[str]:
        return {a.role for a in self.assignments}

    def with_role(self, *roles: str) -> list[ExpertAssignment]:
        return [a for a in self.assignments if a.role in roles]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # Returns the template context, or None to leave the panel out.
    context: Callable[[WorkspaceContext], dict | None]
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Register (or replace, on autoreload) a workspace panel."""
    _panels[panel.key] = panel


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def workspace_panels(ctx: WorkspaceContext) -> list[tuple[Panel, dict]]:
    rendered = []
    for panel in registered_panels():
        context = panel.context(ctx)
        if context is not None:
            rendered.append((panel, context))
    return rendered
