"""Each app's part of a season: what it loads from a program template and what it copies into a relaunch.

A registry, because templates are loaded and seasons cloned from programs (load_programs, the season admin's
«Скопировать сезон»), which cannot import the apps above it. Every app registers its part from its
AppConfig.ready(), so the parts run in INSTALLED_APPS order — the layering order: participants, experts,
activities, ratings, reports — inside the caller's transaction: a failure in any part rolls the season back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

# load_template(*, season, template, module_map) -> Counter of CREATED / UPDATED / UNCHANGED, idempotent;
# module_map is {module order: RoadmapModule}.
TemplateLoader = Callable[..., Counter]
# clone(*, source, target, years, module_map) -> None; module_map is {source module id: target module}.
SeasonCloner = Callable[..., None]


@dataclass(frozen=True)
class SeasonPart:
    app: str
    load_template: TemplateLoader | None = None
    clone: SeasonCloner | None = None


_parts: dict[str, SeasonPart] = {}


def register_season_part(app: str, *, load_template: TemplateLoader | None = None, clone: SeasonCloner | None = None):
    """Register (or replace, on autoreload) the app's part of loading a template and of cloning a season."""
    _parts[app] = SeasonPart(app=app, load_template=load_template, clone=clone)


def season_parts() -> list[SeasonPart]:
    """The registered parts in the order they run."""
    return list(_parts.values())
