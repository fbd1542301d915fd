"""The ratings app's section of the teacher's cabinet: my points, my rank and the breakdown."""

from __future__ import annotations

from django.db.models import Count

from participants.cabinet import CabinetContext, Section, register_section
from participants.consents import RATING_PUBLICATION
from participants.models import Consent, Enrollment

from .models import ParticipantRating

SHOWN_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})


def rating_context(ctx: CabinetContext) -> dict | None:
    """Three queries: my rating rows, how many are ranked in each of their seasons, and whether my name may
    be shown in the rating (the consent the section lets me give or withdraw)."""
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
    consent = (
        Consent.objects.filter(person=ctx.person, kind=Consent.Kind.RATING_PUBLICATION, withdrawn_at__isnull=True)
        .order_by()
        .first()
    )
    return {"rows": rows, "consent": consent, "consent_text": RATING_PUBLICATION}


def register() -> None:
    register_section(Section(key="rating", template="ratings/cabinet/_rating.html", context=rating_context, order=60))
