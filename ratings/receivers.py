"""The receivers that keep the rating fresh (derived data, recomputed after the commit)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from activities.models import Attendance, Submission
from activities.signals import attendance_changed
from participants.models import Enrollment

from .models import Achievement, Review
from .services import rating_recompute_schedule

# --- Keeping the rating fresh ------------------------------------------------------------------------------
# The rating is recomputed when its inputs change, never on a page view: a changed attendance mark, a review
# released to the teacher (or a released one deleted), a confirmed achievement deleted. Each receiver only
# queues the season's recompute after the commit, once per season and transaction (rating_recompute_schedule),
# so marking a whole session's attendance queues one task. Achievement decisions queue it in the service.
# Writes that bypass save()/delete() (queryset.update, bulk_create) send no signals: code doing them must call
# rating_recompute_schedule itself, or the nightly `recompute_ratings` command catches up.


def _schedule(season_id: int | None) -> None:
    if season_id is not None:
        rating_recompute_schedule(season_id=season_id)


def _attendance_season_id(attendance: Attendance) -> int | None:
    enrollment = attendance._state.fields_cache.get("enrollment")
    if enrollment is not None:
        return enrollment.season_id
    return Enrollment.objects.filter(pk=attendance.enrollment_id).values_list("season_id", flat=True).first()


@receiver(post_save, sender=Attendance, dispatch_uid="ratings_attendance_saved")
@receiver(post_delete, sender=Attendance, dispatch_uid="ratings_attendance_deleted")
def attendance_saved_or_deleted(sender, instance: Attendance, raw: bool = False, **kwargs) -> None:
    if raw:  # loading fixtures
        return
    _schedule(_attendance_season_id(instance))


def _review_season_id(review: Review) -> int | None:
    return (
        Submission.objects.filter(pk=review.submission_id)
        .values_list("assignment__activity__season_id", flat=True)
        .first()
    )


@receiver(post_save, sender=Review, dispatch_uid="ratings_review_saved")
@receiver(post_delete, sender=Review, dispatch_uid="ratings_review_deleted")
def review_changed(sender, instance: Review, raw: bool = False, **kwargs) -> None:
    # Only released scores count; a review still in progress or submitted changes nobody's points.
    if raw or instance.status != Review.Status.RELEASED:
        return
    _schedule(_review_season_id(instance))


@receiver(post_delete, sender=Achievement, dispatch_uid="ratings_achievement_deleted")
def achievement_deleted(sender, instance: Achievement, **kwargs) -> None:
    if instance.status != Achievement.Status.CONFIRMED:
        return
    _schedule(Enrollment.objects.filter(pk=instance.enrollment_id).values_list("season_id", flat=True).first())


@receiver(attendance_changed, dispatch_uid="ratings_attendance_changed")
def attendance_marked_in_bulk(sender, *, session, **kwargs) -> None:
    """Marks written in bulk (the attendance page, an import, a check-in) change the season's rating too."""
    rating_recompute_schedule(season_id=session.activity.season_id)
