"""Calendar months and quarters of a season, with their due dates (seed 000 §1.4: the curator visits monthly;
§2.2: a visit and feedback from participants and experts at least once a quarter).

A period is due on its last day, cut to the season's last day when the season ends inside it; it is overdue
from the next day in the season's time zone. Periods before the person's start (admission, assignment) or
after the season's end are not due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Season, VisitPeriod

MONTHS = {
    1: gettext_lazy("январь"),
    2: gettext_lazy("февраль"),
    3: gettext_lazy("март"),
    4: gettext_lazy("апрель"),
    5: gettext_lazy("май"),
    6: gettext_lazy("июнь"),
    7: gettext_lazy("июль"),
    8: gettext_lazy("август"),
    9: gettext_lazy("сентябрь"),
    10: gettext_lazy("октябрь"),
    11: gettext_lazy("ноябрь"),
    12: gettext_lazy("декабрь"),
}


@dataclass(frozen=True)
class Period:
    """A calendar month (months=1) or quarter (months=3) of a season; `due_on` is its deadline."""

    starts_on: date
    ends_on: date
    due_on: date
    months: int

    @property
    def year(self) -> int:
        return self.starts_on.year

    @property
    def number(self) -> int:
        """The month (1–12) or the quarter (1–4)."""
        return self.starts_on.month if self.months == 1 else (self.starts_on.month - 1) // 3 + 1

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.number)

    def overdue(self, today: date) -> bool:
        return today > self.due_on

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def __str__(self) -> str:
        if self.months == 1:
            return f"{MONTHS[self.starts_on.month]} {self.year}"
        return _("%(q)s квартал %(y)s") % {"q": self.number, "y": self.year}


def _next_start(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def period_of(day: date, months: int, *, season: Season | None = None) -> Period:
    """The month or quarter holding `day`; with a season, its due date is cut to the season's end."""
    first_month = day.month if months == 1 else (day.month - 1) // 3 * 3 + 1
    starts_on = date(day.year, first_month, 1)
    ends_on = _next_start(starts_on, months) - timedelta(days=1)
    due_on = min(ends_on, season.ends_on) if season is not None else ends_on
    return Period(starts_on=starts_on, ends_on=ends_on, due_on=due_on, months=months)


def due_periods(season: Season, months: int, *, since: date | None, until: date) -> list[Period]:
    """The season's months or quarters that have begun by `until` and end on or after `since` (the person's
    start: a participant admitted on 15 November owes nothing for October), oldest first."""
    first = max(season.starts_on, since) if since else season.starts_on
    last = min(season.ends_on, until)
    periods = []
    if first > last:
        return periods
    period = period_of(first, months, season=season)
    while period.starts_on <= last:
        periods.append(period)
        period = period_of(_next_start(period.starts_on, months), months, season=season)
    return periods


def visit_months(season: Season) -> int | None:
    """1 for a monthly visit (§1.4), 3 for a quarterly one (§2.2), None when the season requires none."""
    return {VisitPeriod.MONTHLY: 1, VisitPeriod.QUARTERLY: 3}.get(season.visit_period)


def season_day(season: Season, moment: datetime | None = None) -> date:
    """The calendar day of `moment` (now by default) in the season's time zone."""
    return timezone.localtime(moment or timezone.now(), season.tz).date()
