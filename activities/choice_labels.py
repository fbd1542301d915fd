"""Activities, video assignments and sessions named in the admin's choices with their program, season and dates
(core.admin_choices): the roadmap repeats titles — «Практическая часть» in October and February (положение
«Прогрессивный педагог», п. 3) and again in every relaunched season — so a title alone picks blindly."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin_choices import choice_label_register
from core.zones import moment_text

from .models import Activity, Session, VideoAssignment


def _season(season) -> str:
    return f"{season.program.title} {season.title}"


def activity_choice_label(activity: Activity) -> str:
    """«Практическая часть — Прогрессивный педагог 2025/26, 01.10.2025–31.10.2025» (the module's months)."""
    module = activity.module
    if module is None:
        return f"{activity.title} — {_season(activity.season)}"
    return _("%(title)s — %(season)s, %(starts)s–%(ends)s") % {
        "title": activity.title,
        "season": _season(activity.season),
        "starts": f"{module.starts_on:%d.%m.%Y}",
        "ends": f"{module.ends_on:%d.%m.%Y}",
    }


def assignment_choice_label(assignment: VideoAssignment) -> str:
    """«Практическая часть — Прогрессивный педагог 2025/26, срок 15.03.2026» (the due day in the season's zone)."""
    activity = assignment.activity
    return _("%(title)s — %(season)s, срок %(due)s") % {
        "title": activity.title,
        "season": _season(activity.season),
        "due": f"{timezone.localtime(assignment.due_at, activity.season.tz):%d.%m.%Y}",
    }


def session_choice_label(session: Session) -> str:
    """«Интенсив: занятие 2 — Прогрессивный педагог 2025/26, 15.10.2025 15:00 (время Екатеринбурга, МСК+2)» (in
    the season's zone, saying whose)."""
    activity = session.activity
    title = f"{activity.title}: {session.title}" if session.title else activity.title
    return _("%(title)s — %(season)s, %(starts)s") % {
        "title": title,
        "season": _season(activity.season),
        "starts": moment_text(session.starts_at, activity.season.tz, "d.m.Y H:i"),
    }


def register() -> None:
    choice_label_register("activities.Activity", related=("season__program", "module"), label=activity_choice_label)
    choice_label_register(
        "activities.VideoAssignment", related=("activity__season__program",), label=assignment_choice_label
    )
    choice_label_register("activities.Session", related=("activity__season__program",), label=session_choice_label)
