"""Months and quarters of a season with their due dates (programs.periods)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from programs.models import Season, VisitPeriod
from programs.periods import due_periods, period_of, season_day, visit_months


def season(starts_on, ends_on, tz="Asia/Vladivostok"):
    return Season(starts_on=starts_on, ends_on=ends_on, time_zone=tz)


def test_months_and_quarters_cross_the_year():
    assert period_of(date(2024, 12, 31), 1).key == (2024, 12)
    assert period_of(date(2024, 12, 31), 1).ends_on == date(2024, 12, 31)
    assert period_of(date(2025, 2, 10), 1).ends_on == date(2025, 2, 28)
    q = period_of(date(2024, 11, 5), 3)
    assert (q.starts_on, q.ends_on, q.key) == (date(2024, 10, 1), date(2024, 12, 31), (2024, 4))
    assert str(q) == "4 квартал 2024" and str(period_of(date(2024, 11, 5), 1)) == "ноябрь 2024"


def test_due_date_is_cut_to_the_seasons_end_and_overdue_the_next_day():
    s = season(date(2024, 9, 10), date(2025, 6, 15))
    june = period_of(date(2025, 6, 1), 1, season=s)
    assert june.due_on == date(2025, 6, 15)
    assert not june.overdue(date(2025, 6, 15)) and june.overdue(date(2025, 6, 16))


def test_due_periods_from_the_start_to_today_within_the_season():
    s = season(date(2024, 9, 10), date(2025, 6, 15))
    keys = [p.key for p in due_periods(s, 1, since=None, until=date(2024, 11, 1))]
    assert keys == [(2024, 9), (2024, 10), (2024, 11)]
    assert [p.key for p in due_periods(s, 1, since=date(2024, 11, 15), until=date(2024, 11, 20))] == [(2024, 11)]
    assert len(due_periods(s, 1, since=None, until=date(2030, 1, 1))) == 10
    assert due_periods(s, 3, since=None, until=date(2024, 1, 1)) == []
    assert due_periods(s, 1, since=date(2025, 7, 1), until=date(2025, 8, 1)) == []


@pytest.mark.parametrize(
    ("period", "months"), [(VisitPeriod.MONTHLY, 1), (VisitPeriod.QUARTERLY, 3), (VisitPeriod.NONE, None)]
)
def test_visit_months(period, months):
    s = season(date(2024, 9, 1), date(2025, 5, 31))
    s.visit_period = period
    assert visit_months(s) == months


def test_season_day_is_the_seasons_calendar_day():
    s = season(date(2024, 9, 1), date(2025, 5, 31))
    moment = datetime(2024, 12, 31, 15, 0, tzinfo=ZoneInfo("UTC"))  # 1 January 01:00 in Vladivostok
    assert season_day(s, moment) == date(2025, 1, 1)
