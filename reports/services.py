"""Writes of the reports app: KPI snapshots (nightly per season, half-year monitoring per municipality)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import User
from programs.models import Municipality, Season

from .kpi import KPI_BY_CODE, KpiScope, KpiStatus, kpi_report, kpi_values
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


HALF_ENDS = {1: (6, 30), 2: (12, 31)}


def kpi_period_scope(*, municipality: Municipality, year: int, half: int) -> KpiScope:
    """A half-year of a municipality, counted from 1 January to the half's end (30 June or 31 December): the order
    KPIs up to that day, the program KPIs over every season running between 1 January and that day — as the
    dashboard counts a year, so the second half's snapshot holds the year's numbers (a spring season over by
    July included)."""
    if half not in HALF_ENDS:
        raise ValueError(f"half must be 1 or 2, not {half}")
    month, day = HALF_ENDS[half]
    # No season ids: the KPI context takes the seasons overlapping 1 January … `until` (reports.kpi.KpiContext).
    return KpiScope(year=year, municipality_id=municipality.pk, until=date(year, month, day))


def kpi_period_values(*, municipality: Municipality, year: int, half: int, now: datetime) -> dict:
    """Every KPI of a municipality's half-year as a snapshot keeps it: value, numerator, denominator, target,
    status and the order's clause the target comes from — the same numbers kpi_report gives the dashboard."""
    scope = kpi_period_scope(municipality=municipality, year=year, half=half)
    return {
        result.code: {**result.as_json(), "source": result.target_source} for result in kpi_report(scope=scope, now=now)
    }


@transaction.atomic
def kpi_period_snapshot_take(
    *, municipality: Municipality, period_label: str, year: int, half: int, by: User | None, now: datetime
) -> KpiSnapshot:
    """Freeze every KPI of a municipality for a half-year monitoring period by hand (seed 002 §7.3).

    The snapshot keeps value, numerator, denominator, target and status as they are now, so later edits of
    the data or of the targets never change a past monitoring report. The half-year job takes the automatic
    one (reports.monitoring.kpi_half_year_snapshots_take); a hand-taken one may be added for any half.
    """
    values = kpi_period_values(municipality=municipality, year=year, half=half, now=now)
    return KpiSnapshot.objects.create(
        kind=KpiSnapshot.Kind.PERIOD,
        taken_on=timezone.localdate(now, ZoneInfo(municipality.time_zone)),
        taken_at=now,
        period=period_label.strip() or default_period_label(year=year, half=half),
        year=year,
        half=half,
        municipality=municipality,
        values=values,
        taken_by=by,
    )


def default_period_label(*, year: int, half: int) -> str:
    return _("%(half)s-е полугодие %(year)s") % {"half": half, "year": year}


@dataclass
class KpiComparisonRow:
    code: str
    name: str
    unit: str
    value_a: float | int | None
    value_b: float | int | None
    change: float | None
    status_a: str
    status_b: str


def kpi_snapshots_compare(a: KpiSnapshot, b: KpiSnapshot) -> list[KpiComparisonRow]:
    """KPI × (value in a, value in b, change b − a), in definition order; a KPI missing on one side shows "—"."""
    order = {code: index for index, code in enumerate(KPI_BY_CODE)}
    codes = sorted(set(a.values) | set(b.values), key=lambda code: (order.get(code, len(order)), code))
    labels = KpiStatus.LABELS
    rows = []
    for code in codes:
        left, right = a.values.get(code) or {}, b.values.get(code) or {}
        definition = KPI_BY_CODE.get(code)
        name = right.get("name") or left.get("name") or (str(definition.name) if definition else code)
        value_a, value_b = left.get("value"), right.get("value")
        change = None if value_a is None or value_b is None else round(value_b - value_a, 1)
        rows.append(
            KpiComparisonRow(
                code=code,
                name=name,
                unit=right.get("unit") or left.get("unit") or "",
                value_a=value_a,
                value_b=value_b,
                change=change,
                status_a=str(labels.get(left.get("status"), "")),
                status_b=str(labels.get(right.get("status"), "")),
            )
        )
    return rows
