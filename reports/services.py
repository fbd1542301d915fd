"""Writes of the reports app: KPI snapshots."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from participants.models import User
from programs.models import Season

from .kpi import kpi_values
from .models import KpiSnapshot


def running_seasons(*, now: datetime) -> list[Season]:
    """Seasons running today in their own time zone (one query; the zone check is done on the few candidates)."""
    today = timezone.localdate(now)
    candidates = Season.objects.select_related("program").filter(
        starts_on__lte=today + timedelta(days=1), ends_on__gte=today - timedelta(days=1)
    )
    return [season for season in candidates.order_by("pk") if season.is_running(timezone.localdate(now, season.tz))]


def kpi_snapshot_take(*, now: datetime, kind: str = KpiSnapshot.Kind.NIGHTLY, by: User | None = None) -> int:
    """Freeze every KPI of every running season: one snapshot per season and day (its own zone's day).

    A nightly snapshot taken again the same day replaces that day's values (safe to run twice). The values
    are computed set-based before anything is written; each season's row is written on its own, so a run
    killed half-way leaves whole snapshots only. Returns how many were written.
    """
    seasons = running_seasons(now=now)
    values = kpi_values(seasons=seasons, now=now)
    for season in seasons:
        fields = {
            "taken_at": now,
            "municipality_id": season.program.municipality_id,
            "values": values[season.pk],
            "taken_by": by,
        }
        taken_on = timezone.localdate(now, season.tz)
        # Each write is its own transaction (update_or_create is atomic): a killed run leaves whole rows.
        if kind == KpiSnapshot.Kind.NIGHTLY:
            KpiSnapshot.objects.update_or_create(kind=kind, taken_on=taken_on, season=season, defaults=fields)
        else:
            KpiSnapshot.objects.create(kind=kind, taken_on=taken_on, season=season, **fields)
    return len(seasons)
