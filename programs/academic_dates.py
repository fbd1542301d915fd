"""Moving a seed's past dates into the current academic year (docs/decisions/0010, «Даты шаблонов»).

Pure functions of today's date, shared by the cascade's program templates (programs.program_templates) and the
project office's registry (projects.office_templates). A seed's `when` is one of:
- ("dates", first_day, last_day) — the seed's dates, moved by whole years so that the seed's academic year
  becomes the current one;
- ("months", first_month, last_month) — every year («ежегодно, ноябрь-декабрь»): those months of the current
  academic year;
- ("year",) — «в течение года», «регулярно», «непрерывно»: the current academic year.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.utils.translation import gettext as _


def academic_year_start(today: date) -> int:
    """The calendar year in which the current academic year began (it begins on 1 September)."""
    return today.year if today.month >= 9 else today.year - 1


def year_offset(today: date, seed_academic_year: int) -> int:
    """Whole years between the seed's academic year and the current one."""
    return academic_year_start(today) - seed_academic_year


def moved(day: date, offset: int) -> date:
    """The same day and month `offset` years later; 29 February becomes the 28th in a common year."""
    year = day.year + offset
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_in_year(month: int, today: date) -> int:
    """The calendar year of `month` in the current academic year (September–August)."""
    start_year = academic_year_start(today)
    return start_year if month >= 9 else start_year + 1


def dates_of(when: tuple, today: date, seed_academic_year: int) -> tuple[date, date]:
    """The first and last day of a seed's `when` in the current academic year(s)."""
    start_year = academic_year_start(today)
    if when[0] == "dates":
        offset = year_offset(today, seed_academic_year)
        return moved(when[1], offset), moved(when[2], offset)
    if when[0] == "months":
        first, last = when[1], when[2]
        year = month_in_year(first, today)
        return date(year, first, 1), last_day(year if last >= first else year + 1, last)
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def seed_note(when: tuple) -> str:
    """«по сиду: 08.2021 – 01.2022» for the seed's own dates; "" for a yearly `when`."""
    if when[0] != "dates":
        return ""
    first, last = when[1], when[2]
    if (first.day, last.day) == (1, calendar.monthrange(last.year, last.month)[1]):
        text = (
            f"{first:%m.%Y}"
            if (first.year, first.month) == (last.year, last.month)
            else f"{first:%m.%Y} – {last:%m.%Y}"
        )
    else:
        text = f"{first:%d.%m.%Y}" if first == last else f"{first:%d.%m.%Y} – {last:%d.%m.%Y}"
    return _("по сиду: %(dates)s") % {"dates": text}
