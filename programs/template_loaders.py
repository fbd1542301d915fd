"""What `load_programs` runs after the program templates: the steps of apps above programs (the project office's
registry, projects.office_templates), registered from their AppConfig.ready — programs imports none of them.

A loader takes `today` and a Counter of CREATED / UPDATED / UNCHANGED records and returns one line of output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

TemplateLoader = Callable[..., str]

LOADERS: list[TemplateLoader] = []


def register_template_loader(loader: TemplateLoader) -> None:
    if loader not in LOADERS:
        LOADERS.append(loader)


def template_loaders_run(*, today: date, changes: Counter) -> list[str]:
    return [loader(today=today, changes=changes) for loader in LOADERS]
