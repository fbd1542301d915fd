"""The ratings app's section of the teacher's cabinet: my points, my rank and the breakdown."""

from __future__ import annotations

from django.db.models import Count

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment

from .models import ParticipantRating

SHOWN_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})


def rating_context(ctx: CabinetContext) -> dict | None:
    """Two queries: my rating rows, and how many are ranked in each of their seasons."""
    enrollments = [e for e in ctx.enrollments if e.status in SHOWN_STATUSES]
    if not enrollments:
        return None
    ratings = {r.enrollment_id: r for r in ParticipantRating.objects.filter(enrollment__in=enrollments)}
    ranked = dict(
        ParticipantRating.objects.filter(season_id__in={e.season_id for e in enrollments}, rank__isnull=False)
        .order_by()  # the model's ordering would join the program into the grouping
        .values("season_id")
        .annotate(n=Count("pk"))
        .values_list("season_id", "n")
    )
    rows = [{"enrollment": e, "rating": ratings.get(e.pk), "ranked": ranked.get(e.season_id, 0)} for e in enrollments]
    return {"rows": rows}


def register() -> None:
    register_section(Section(key="rating", template="ratings/cabinet/_rating.html", context=rating_context, order=60))
