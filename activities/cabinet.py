"""The activities app's sections of the teacher's cabinet: risks, deadlines, the roadmap, certificates.

The first of them to run loads the activities of the current enrollments once (three queries: the
person's marks, submissions and extensions come joined) and leaves them in ctx.shared for the others, so
the sections together stay at three queries whatever the number of enrollments, modules, activities,
sessions and assignments.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment

from .cabinet_route import shared_routes
from .models import ExclusionCase
from .selectors import (
    DeadlineKind,
    EnrollmentActivities,
    enrollment_activities,
    enrollment_deadlines,
    enrollment_risks,
    enrollment_roadmaps,
    person_certificates,
)
from .timetext import days_text, time_left
from .titles import joined_title

SHARED_KEY = "activities.enrollment_activities"
# The cabinet shows the nearest few; the calendar feed has them all.
DEADLINES_SHOWN = 8


def shared_activities(ctx: CabinetContext) -> EnrollmentActivities:
    """The activities of the current enrollments, loaded by whichever section asks first."""
    if SHARED_KEY not in ctx.shared:
        ctx.shared[SHARED_KEY] = enrollment_activities(ctx.current, one_person=True)
    return ctx.shared[SHARED_KEY]


def risks_context(ctx: CabinetContext) -> dict | None:
    if not ctx.current:
        return None
    risks = enrollment_risks(ctx.current, now=ctx.now, data=shared_activities(ctx))
    groups = [(e, risks[e.pk]) for e in ctx.current if risks[e.pk]]
    if not groups:
        return None
    return {"groups": groups}


def _deadline_label(deadline) -> str:
    if deadline.kind == DeadlineKind.ROUTE_STEP:
        step = deadline.route_step
        title = step.title or _("Шаг маршрута")
        if step.form_label:
            return _("Шаг маршрута: %(step)s (%(form)s)") % {"step": title, "form": step.form_label}
        return _("Шаг маршрута: %(step)s") % {"step": title}
    title = deadline.activity.title
    if deadline.kind == DeadlineKind.SESSION:
        return joined_title(title, deadline.session.title)
    if deadline.kind == DeadlineKind.VIDEO_DUE:
        return _("Срок сдачи видеоурока «%(activity)s»") % {"activity": title}
    if deadline.extended:
        return _("Продлённый для вас срок сдачи видеоурока «%(activity)s»") % {"activity": title}
    return _("Окончательный срок сдачи видеоурока «%(activity)s»") % {"activity": title}


def _day_left(deadline, now) -> str:
    """For a step planned for a day: «сегодня», «завтра», «через 5 дней» (calendar days of the season's zone)."""
    days = (deadline.at.date() - timezone.localtime(now, deadline.season.tz).date()).days
    if days <= 0:
        return _("сегодня")
    if days == 1:
        return _("завтра")
    return _("через %(span)s") % {"span": days_text(days)}


def deadlines_context(ctx: CabinetContext) -> dict | None:
    if not ctx.current:
        return None
    deadlines = enrollment_deadlines(ctx.current, now=ctx.now, data=shared_activities(ctx), routes=shared_routes(ctx))[
        :DEADLINES_SHOWN
    ]
    items = [
        {
            "deadline": d,
            "label": _deadline_label(d),
            "left": _day_left(d, ctx.now) if d.all_day else time_left(d.at, ctx.now, d.season.tz),
        }
        for d in deadlines
    ]
    show_program = len({e.season_id for e in ctx.current}) > 1
    return {"items": items, "show_program": show_program}


def roadmap_context(ctx: CabinetContext) -> dict | None:
    if not ctx.current:
        return None
    return {"roadmaps": enrollment_roadmaps(ctx.current, now=ctx.now, data=shared_activities(ctx))}


def certificates_context(ctx: CabinetContext) -> dict | None:
    """My certificates, and each of my seasons' certificate rules with the season's own source for them."""
    if not ctx.enrollments:
        return None
    seasons = list({e.season_id: e.season for e in ctx.enrollments}.values())
    rules = [
        {
            "season": season,
            "source": season.rule_source("certificates")[0],
            "final": season.issue_final_certificate,
            "final_source": season.rule_source("issue_final_certificate")[0],
        }
        for season in seasons
    ]
    return {"certificates": person_certificates(ctx.person, enrollments=ctx.enrollments), "rules": rules}


def exclusions_context(ctx: CabinetContext) -> dict | None:
    """Each exclusion of the teacher with its reasons and the decision: one query, none when nobody is excluded.

    Grounds still awaiting a coordinator need no section: the risk banner already shows every breached rule.
    """
    excluded = {e.pk: e for e in ctx.enrollments if e.status == Enrollment.Status.EXCLUDED}
    if not excluded:
        return None
    latest: dict[int, ExclusionCase] = {}
    cases = ExclusionCase.objects.filter(
        enrollment_id__in=list(excluded), status=ExclusionCase.Status.EXCLUDED
    ).order_by("-opened_at", "-pk")
    for case in cases:
        if case.enrollment_id not in latest:
            case.enrollment = excluded[case.enrollment_id]
            latest[case.enrollment_id] = case
    items = [latest[e.pk] for e in ctx.enrollments if e.pk in latest]
    if not items:
        return None
    return {"cases": items}


def register() -> None:
    register_section(
        Section(key="exclusions", template="activities/cabinet/_exclusions.html", context=exclusions_context, order=11)
    )
    # The banner opens the cabinet, before «Мои программы» (order 10).
    register_section(Section(key="risks", template="activities/cabinet/_risks.html", context=risks_context, order=1))
    register_section(
        Section(key="deadlines", template="activities/cabinet/_deadlines.html", context=deadlines_context, order=20)
    )
    register_section(
        Section(key="roadmap", template="activities/cabinet/_roadmap.html", context=roadmap_context, order=30)
    )
    register_section(
        Section(
            key="certificates",
            template="activities/cabinet/_certificates.html",
            context=certificates_context,
            order=70,
        )
    )
