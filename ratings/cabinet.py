"""The ratings app's section of the teacher's cabinet: my points, my rank and the breakdown."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery

from participants.cabinet import CabinetContext, Section, register_section
from participants.consents import RATING_PUBLICATION
from participants.models import Enrollment

from .models import ParticipantRating

SHOWN_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})


def rating_context(ctx: CabinetContext) -> dict | None:
    """One query: my rating rows, each with how many are ranked in its season. Whether my name may be shown
    in the rating (the consent the section lets me give or withdraw) came with the enrollments."""
    enrollments = [e for e in ctx.enrollments if e.status in SHOWN_STATUSES]
    if not enrollments:
        return None
    ranked_in_season = (
        ParticipantRating.objects.filter(season_id=OuterRef("season_id"), rank__isnull=False)
        .order_by()  # the model's ordering would join the program into the grouping
        .values("season_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ratings = {
        r.enrollment_id: r
        for r in ParticipantRating.objects.filter(enrollment__in=enrollments)
        .order_by()
        .annotate(ranked=Subquery(ranked_in_season))
    }
    rows = [
        {
            "enrollment": e,
            "rating": ratings.get(e.pk),
            "ranked": (ratings[e.pk].ranked or 0) if e.pk in ratings else 0,
        }
        for e in enrollments
    ]
    given_at = ctx.person.rating_consent_at
    consent = {"given_at": given_at} if given_at is not None else None
    return {"rows": rows, "consent": consent, "consent_text": RATING_PUBLICATION}


def register() -> None:
    register_section(Section(key="rating", template="ratings/cabinet/_rating.html", context=rating_context, order=60))
