"""The cabinet section «Траектория развития» (сид 001): for a member of an informal mentor community of the project
(«Созданы неформальные профессиональные сообщества педагогов-наставников внутри ОО») or an author of a mentoring
practice (мероприятие 4, «Формирование банка эффективных наставнических практик»): their mentor communities, their
practices with the state of their review, and the next educational intensive (мероприятие 6).

Who is in: the memberships come from the communities section's query (cabinet_communities.community_memberships,
one query shared by both), so a teacher in no community costs this section nothing; a practice is added only by an
active member of its community (services_communities.practice_add), so its author always has a membership there.
A member of the project's communities then costs two queries: their practices and the next intensive.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from activities.models import Session
from participants.cabinet import CabinetContext, Section, register_section

from .cabinet_communities import community_memberships
from .models import Community, Practice
from .selectors_trajectory import INTENSIVE_KINDS, PROGRAM_SLUG

# The author's words for the way of their practice (сид 001, мероприятие 4: «Внесен успешный опыт ОО и рекомендован
# к представлению на конкурсных и иных мероприятиях»).
REVIEW_STATES = {
    Practice.Review.SUBMITTED: _("на рассмотрении"),
    Practice.Review.REVIEWED: _("рассмотрена, внесена в банк"),
    Practice.Review.RECOMMENDED: _("рекомендована к представлению на конкурсных и иных мероприятиях"),
    Practice.Review.RETURNED: _("возвращена на доработку"),
}


def _trajectory_context(ctx: CabinetContext) -> dict | None:
    ours = {e.pk: e for e in ctx.enrollments if e.season.program.slug == PROGRAM_SLUG}
    if not ours:
        return None
    memberships = [m for m in community_memberships(ctx) if m.enrollment_id in ours]
    if not memberships:
        return None
    practices = list(
        Practice.objects.filter(author_id__in=ours, kind=Practice.Kind.MENTORING)
        .select_related("community")
        .order_by("-created_at", "-pk")
    )
    mentors = [m for m in memberships if m.community.kind == Community.Kind.SCHOOL_MENTORS]
    if not mentors and not practices:
        return None
    for practice in practices:
        practice.review_state = REVIEW_STATES.get(practice.review, practice.get_review_display())
    seasons = {m.enrollment.season_id for m in memberships}
    next_intensive = (
        Session.objects.filter(
            activity__season_id__in=seasons, activity__kind__in=INTENSIVE_KINDS, starts_at__gte=ctx.now
        )
        .select_related("activity__season")
        .order_by("starts_at", "pk")
        .first()
    )
    return {
        "memberships": mentors,
        "practices": practices,
        "next_intensive": next_intensive,
        "season": ours[memberships[0].enrollment_id].season,
    }


def register() -> None:
    register_section(
        Section(
            key="projects.trajectory",
            template="projects/trajectory/cabinet/_section.html",
            context=_trajectory_context,
            order=76,
        )
    )
