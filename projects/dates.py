"""Today in a municipality's own time zone: the one day the cascade's parts judge by (overdue items, yearly
windows, half-years, report years), never the server's."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from programs.models import Municipality


def municipality_today(municipality: Municipality, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(municipality.time_zone)).date()
