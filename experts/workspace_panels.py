"""Workspace panels of the experts app: the curator's groups (who is not yet visited this quarter), the visits and
feedback due or overdue, and the psychologist's consultations this month. Each runs a constant number of queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from participants.models import Enrollment
from programs.periods import visit_months

from .models import Consultation, ExpertGroup, ExpertRole, GroupMember
from .selectors import OVERDUE_SHARE, current_quarter, season_today
from .selectors_obligations import active_enrollments, expert_feedback_dues, visit_dues
from .workspace import Panel, WorkspaceContext, register_panel


def _groups_context(ctx: WorkspaceContext) -> dict | None:
    curators = ctx.with_role(ExpertRole.CURATOR)
    if not curators:
        return None
    groups = list(
        ExpertGroup.objects.filter(curator__in=curators).select_related("season__program").order_by("name", "pk")
    )
    members = (
        GroupMember.objects.filter(group__in=groups, enrollment__status=Enrollment.Status.ACTIVE)
        .annotate(last_visit=Max("enrollment__lesson_visits__visited_on"))
        .values_list("group_id", "last_visit")
    )
    last_visits: dict[int, list] = {g.pk: [] for g in groups}
    for group_id, last_visit in members if groups else []:
        last_visits[group_id].append(last_visit)
    rows = []
    for group in groups:
        quarter = current_quarter(group.season, ctx.now)
        dates = last_visits[group.pk]
        not_visited = sum(1 for d in dates if d is None or d < quarter.starts_on)
        late = quarter.elapsed(season_today(group.season, ctx.now)) > OVERDUE_SHARE
        rows.append(
            {
                "group": group,
                "members": len(dates),
                "not_visited": not_visited,
                "overdue": not_visited if late else 0,
                "quarter": quarter,
            }
        )
    return {"rows": rows}


def _month_start(season, now: datetime) -> datetime:
    local = timezone.localtime(now, season.tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _consultations_context(ctx: WorkspaceContext) -> dict | None:
    psychologists = ctx.with_role(ExpertRole.PSYCHOLOGIST)
    if not psychologists:
        return None
    month = Q()
    for a in psychologists:
        month |= Q(expert=a, held_at__gte=_month_start(a.season, ctx.now))
    counts = Consultation.objects.filter(expert__in=psychologists).aggregate(
        total=Count("pk"),
        this_month=Count("pk", filter=month),
        individual=Count("pk", filter=month & Q(kind=Consultation.Kind.INDIVIDUAL)),
        group=Count("pk", filter=month & Q(kind=Consultation.Kind.GROUP)),
    )
    return {"counts": counts, "assignments": psychologists}


def _chat_context(ctx: WorkspaceContext) -> dict | None:
    """The technical specialist's seasons with how many participants wait for their chat membership to be
    confirmed (seed 000 §4.4). One query."""
    specialists = ctx.with_role(ExpertRole.TECH_SPECIALIST)
    if not specialists:
        return None
    seasons = {a.season_id: a.season for a in specialists}
    counts = {
        row["season_id"]: row
        for row in Enrollment.objects.filter(season_id__in=list(seasons), status=Enrollment.Status.ACTIVE)
        .values("season_id")
        .order_by()
        .annotate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(chat_joined_at__isnull=True, chat_join_claimed_at__isnull=False)),
            confirmed=Count("pk", filter=Q(chat_joined_at__isnull=False)),
        )
    }
    rows = [
        {"season": season, **counts.get(pk, {"total": 0, "waiting": 0, "confirmed": 0})}
        for pk, season in sorted(seasons.items())
    ]
    return {"rows": rows}


def _obligations_context(ctx: WorkspaceContext) -> dict | None:
    """«Посещения и обратная связь»: the curator's participants not visited this month (or quarter) or with overdue
    months (seed 000 §1.4, §2.2), and the expert's own quarterly feedback, due or overdue. Four queries at most; one for an expert of seasons that ask neither."""
    # Only seasons that require visits are read (Season.visit_period); the others cost no query.
    curators = [a for a in ctx.with_role(ExpertRole.CURATOR) if visit_months(a.season)]
    visits = []
    if curators:
        enrollments = active_enrollments(group_membership__group__curator__in=curators)
        visits = visit_dues(enrollments, ctx.now)
    feedback = expert_feedback_dues(ctx.assignments, ctx.now)
    if not visits and not feedback:
        return None
    pending = [v for v in visits if v.overdue or (v.current and not v.current_visited)]
    return {
        "visits": pending,
        "visits_total": len(visits),
        "visits_overdue": sum(1 for v in visits if v.overdue),
        "feedback": feedback,
    }


def register() -> None:
    """The workspace panels: group, psychologist and the rest (experts.workspace)."""
    register_panel(
        Panel(key="experts.groups", template="experts/workspace/_groups.html", context=_groups_context, order=20)
    )
    register_panel(
        Panel(
            key="experts.consultations",
            template="experts/consultations/_workspace_panel.html",
            context=_consultations_context,
            order=40,
        )
    )
    register_panel(
        Panel(key="experts.chat", template="experts/chat/_workspace_panel.html", context=_chat_context, order=45)
    )
    register_panel(
        Panel(
            key="experts.obligations",
            template="experts/workspace/_obligations.html",
            context=_obligations_context,
            order=25,
        )
    )
