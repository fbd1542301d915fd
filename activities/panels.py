"""Panels that higher apps add to the teacher's video-assignment page, and the reasons they give for a return.

activities must not import ratings (CONVENTIONS: activities ← ratings), yet the page shows the experts'
released feedback and the cabinet says why a video lesson came back. ratings registers its callables here from
its AppConfig.ready(); activities only calls them. Each callable takes the submissions already loaded and must
run a constant number of queries whatever their number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .models import Submission


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SubmissionPanel:
    key: str
    # Takes every version of one teacher's submissions for one assignment; returns a Panel or None to stay out.
    render: Callable[[Sequence[Submission]], Panel | None]
    order: int = 100


_panels: dict[str, SubmissionPanel] = {}
_return_reasons: dict[str, Callable[[Sequence[Submission]], Mapping[int, str]]] = {}


def register_panel(panel: SubmissionPanel) -> None:
    """Register (or replace, on autoreload) a panel of the assignment page."""
    _panels[panel.key] = panel


def render_panels(submissions: Sequence[Submission]) -> list[Panel]:
    rendered = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        result = panel.render(submissions)
        if result is not None:
            rendered.append(result)
    return rendered


def register_return_reasons(key: str, provider: Callable[[Sequence[Submission]], Mapping[int, str]]) -> None:
    """Register a callable telling, for returned submissions, why each came back ({submission id: text})."""
    _return_reasons[key] = provider


def return_reasons(submissions: Sequence[Submission]) -> dict[int, str]:
    """Why each returned submission came back; asks nobody when none was returned."""
    returned = [s for s in submissions if s.status == Submission.Status.RETURNED]
    reasons: dict[int, str] = {}
    if not returned:
        return reasons
    for key in sorted(_return_reasons):
        for pk, text in _return_reasons[key](returned).items():
            reasons.setdefault(pk, text)
    return reasons
