"""Celery tasks of the ratings app."""

from celery import shared_task

from programs.models import Season

from .services import rating_recompute


@shared_task
def rating_recompute_task(season_id: int) -> None:
    """Recompute a season's rating; a season deleted meanwhile is no error. Safe to run twice."""
    season = Season.objects.filter(pk=season_id).first()
    if season is None:
        return
    rating_recompute(season=season)
