"""Reads of reviews used by more than one place."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch

from activities.models import Submission

from .models import Review, ReviewScore


def released_reviews(submissions: Sequence[Submission]) -> list[Review]:
    """The released reviews of these submissions, newest first, with rubric and scored criteria: two queries.

    Only released reviews: a review in progress or scored but not yet released is nobody's business but the
    experts' and the coordinator's.
    """
    if not submissions:
        return []
    return list(
        Review.objects.filter(submission__in=[s.pk for s in submissions], status=Review.Status.RELEASED)
        .select_related("rubric")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=ReviewScore.objects.select_related("criterion").order_by("criterion__order", "criterion__pk"),
            )
        )
        .order_by("-released_at", "-pk")
    )


def released_recommendations(submissions: Sequence[Submission]) -> dict[int, str]:
    """{submission id: why it came back} — the return reason of its latest returned review, else the
    recommendations of its latest released one."""
    if not submissions:
        return {}
    rows = (
        Review.objects.filter(
            submission__in=[s.pk for s in submissions], status__in=[Review.Status.RETURNED, Review.Status.RELEASED]
        )
        .order_by("submission_id", "-released_at", "-pk")
        .values_list("submission_id", "return_reason", "recommendations")
    )
    reasons: dict[int, str] = {}
    for submission_id, return_reason, recommendations in rows:
        text = return_reason or recommendations
        if text:
            reasons.setdefault(submission_id, text)
    return reasons
