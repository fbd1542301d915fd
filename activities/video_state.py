"""Where a teacher stands with a video assignment: window, deadline, state. Pure Python over loaded rows.

Used by the service (is the window open?), the assignment page and the cabinet section, so the three agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.zones import moment_text
from programs.models import Season

from .models import Submission, SubmissionExtension, VideoAssignment

DUE_SOON = timedelta(days=3)
# A replacement is possible until a review starts.
REPLACEABLE = frozenset({Submission.Status.SUBMITTED, Submission.Status.RETURNED})

STATE_LABELS = {
    "not_open": _("Приём ещё не открыт"),
    "open": _("Открыто"),
    "due_soon": _("Скоро срок"),
    "late": _("Срок прошёл — можно сдать с опозданием"),
    "closed": _("Приём закрыт"),
    "submitted": _("Сдан"),
    "late_submitted": _("Сдан с опозданием"),
    "in_review": _("На проверке"),
    "returned": _("Возвращён на доработку"),
    "reviewed": _("Проверен"),
}
PENDING = frozenset({"not_open", "open", "due_soon", "late", "returned"})
# Bootstrap colours; every pair keeps AA contrast (text-bg-* picks the text colour).
STATE_STYLES = {
    "not_open": "secondary",
    "open": "primary",
    "due_soon": "warning",
    "late": "danger",
    "closed": "dark",
    "submitted": "success",
    "late_submitted": "warning",
    "in_review": "info",
    "returned": "danger",
    "reviewed": "success",
}


def format_moment(moment: datetime, season: Season) -> str:
    """A moment as the season's people read it: «12 октября 2025, 18:00 (время Екатеринбурга, МСК+2)»."""
    return moment_text(moment, season.tz)


def effective_cutoff(assignment: VideoAssignment, extension: SubmissionExtension | None) -> datetime:
    """The cut-off for this teacher: the assignment's, or their personal extension when that is later."""
    if extension is not None and extension.until > assignment.cutoff_at:
        return extension.until
    return assignment.cutoff_at


def window_error(
    assignment: VideoAssignment, extension: SubmissionExtension | None, season: Season, now: datetime
) -> str | None:
    """Why nothing can be submitted right now, in Russian; None while the window is open."""
    if now < assignment.opens_at:
        return gettext("Приём работ ещё не открыт: он откроется %(opens)s.") % {
            "opens": format_moment(assignment.opens_at, season)
        }
    cutoff = effective_cutoff(assignment, extension)
    if now >= cutoff:
        if cutoff > assignment.cutoff_at:
            return gettext("Приём работ закрыт: ваше продление действовало до %(until)s.") % {
                "until": format_moment(cutoff, season)
            }
        return gettext(
            "Приём работ закрыт: окончательный срок был %(cutoff)s. Если причина уважительная, "
            "обратитесь к координатору за продлением."
        ) % {"cutoff": format_moment(cutoff, season)}
    return None


@dataclass(frozen=True)
class AssignmentState:
    code: str
    # The next moment that matters (opening, due date or cut-off) and what it is; None when nothing is ahead.
    deadline: datetime | None
    deadline_label: str
    window_open: bool
    can_replace: bool

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.code])

    @property
    def style(self) -> str:
        return STATE_STYLES[self.code]

    @property
    def awaits_teacher(self) -> bool:
        """Nothing accepted is in yet: the deadline still matters to the teacher."""
        return self.code in PENDING

    @property
    def can_submit(self) -> bool:
        return self.window_open and self.can_replace


def assignment_state(
    *,
    assignment: VideoAssignment,
    current: Submission | None,
    extension: SubmissionExtension | None,
    now: datetime,
) -> AssignmentState:
    cutoff = effective_cutoff(assignment, extension)
    window_open = assignment.opens_at <= now < cutoff
    if now < assignment.opens_at:
        deadline, deadline_label = assignment.opens_at, gettext("Приём откроется")
    elif now < assignment.due_at:
        deadline, deadline_label = assignment.due_at, gettext("Срок сдачи")
    elif now < cutoff:
        deadline, deadline_label = cutoff, gettext("Окончательный срок")
    else:
        deadline, deadline_label = None, ""
    can_replace = current is None or current.status in REPLACEABLE
    if current is not None:
        if current.status == Submission.Status.SUBMITTED:
            code = "late_submitted" if current.is_late else "submitted"
        else:
            code = current.status
    elif now < assignment.opens_at:
        code = "not_open"
    elif now >= cutoff:
        code = "closed"
    elif now >= assignment.due_at:
        code = "late"
    elif assignment.due_at - now <= DUE_SOON:
        code = "due_soon"
    else:
        code = "open"
    return AssignmentState(
        code=code,
        deadline=deadline,
        deadline_label=deadline_label,
        window_open=window_open,
        can_replace=can_replace,
    )
