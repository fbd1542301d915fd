"""Business rules of the rating: points from attendance, video-lesson scores and achievements, and ranks."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from activities.models import Attendance
from participants.models import Enrollment
from programs.models import Season

from .models import ParticipantRating, Review

CENTS = Decimal("0.01")
# Withdrawn and excluded participants keep their points on record but take no place in the ranking.
RATED_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.WITHDRAWN,
    Enrollment.Status.EXCLUDED,
)
RANKED_STATUSES = frozenset({Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED})


def _competition_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """Ranks by total, highest first, equal totals sharing a place and the next place skipped (1, 1, 3)."""
    ranks: dict[int, int] = {}
    previous_total, previous_rank = None, 0
    for position, (enrollment_id, total) in enumerate(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])), 1):
        rank = previous_rank if total == previous_total else position
        ranks[enrollment_id] = rank
        previous_total, previous_rank = total, rank
    return ranks


@transaction.atomic
def rating_recompute(*, season: Season) -> int:
    """Recompute every participant's points and rank in the season; returns the number of rating rows.

    attendance = (present + late sessions) × weight_attendance; video = the sum of released reviews' total
    scores of current submissions × weight_video_score; achievements come later and count 0. Five queries
    whatever the number of participants. Safe to run twice.
    """
    enrollments = dict(Enrollment.objects.filter(season=season, status__in=RATED_STATUSES).values_list("pk", "status"))
    attended = dict(
        Attendance.objects.filter(
            enrollment_id__in=enrollments,
            session__activity__season=season,
            status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE],
        )
        .values("enrollment_id")
        .annotate(n=Count("session_id", distinct=True))
        .values_list("enrollment_id", "n")
    )
    scores = dict(
        Review.objects.filter(
            status=Review.Status.RELEASED,
            total_score__isnull=False,
            submission__is_current=True,
            submission__enrollment_id__in=enrollments,
            submission__assignment__activity__season=season,
        )
        .values("submission__enrollment_id")
        .annotate(score=Sum("total_score"))
        .values_list("submission__enrollment_id", "score")
    )
    now = timezone.now()
    rows: dict[int, ParticipantRating] = {}
    for enrollment_id in enrollments:
        attendance_points = (Decimal(attended.get(enrollment_id, 0)) * season.weight_attendance).quantize(CENTS)
        video_points = (Decimal(scores.get(enrollment_id) or 0) * season.weight_video_score).quantize(CENTS)
        achievement_points = Decimal("0.00")
        rows[enrollment_id] = ParticipantRating(
            enrollment_id=enrollment_id,
            season=season,
            attendance_points=attendance_points,
            video_points=video_points,
            achievement_points=achievement_points,
            total=attendance_points + video_points + achievement_points,
            rank=None,
            computed_at=now,
        )
    ranks = _competition_ranks({pk: row.total for pk, row in rows.items() if enrollments[pk] in RANKED_STATUSES})
    for enrollment_id, rank in ranks.items():
        rows[enrollment_id].rank = rank
    ParticipantRating.objects.filter(season=season).exclude(enrollment_id__in=enrollments).delete()
    ParticipantRating.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["enrollment"],
        update_fields=[
            "season",
            "attendance_points",
            "video_points",
            "achievement_points",
            "total",
            "rank",
            "computed_at",
        ],
        batch_size=500,
    )
    return len(rows)
