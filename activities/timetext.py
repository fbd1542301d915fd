"""Counts of days, hours and minutes, and «how long until» phrases, in the season's time zone.

The counting msgids are Django's own ("%(num)d day"): its Russian catalogue carries all three Russian
plural forms (1 день, 2 дня, 5 дней), which a Russian msgid could not get from ngettext without a Russian
catalogue of ours.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def days_text(n: int) -> str:
    return ngettext("%(num)d day", "%(num)d days", n) % {"num": n}


def hours_text(n: int) -> str:
    return ngettext("%(num)d hour", "%(num)d hours", n) % {"num": n}


def minutes_text(n: int) -> str:
    return ngettext("%(num)d minute", "%(num)d minutes", n) % {"num": n}


def _span(delta: timedelta, *, with_hours: bool) -> str:
    """«2 дня 5 часов», «3 дня», «4 часа», «15 минут»: the two largest units, rounded down."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days_text(days)} {hours_text(hours)}" if hours and with_hours else days_text(days)
    if hours:
        return hours_text(hours)
    return minutes_text(max(minutes, 1))


def time_left(at: datetime, now: datetime, tz: tzinfo) -> str:
    """How far a moment is, as a person says it: «сегодня в 18:00», «завтра в 09:30», «через 2 дня 5 часов»,
    «просрочено на 3 дня». Calendar days (today, tomorrow) are those of `tz`, the season's zone."""
    if at <= now:
        return _("просрочено на %(span)s") % {"span": _span(now - at, with_hours=False)}
    local_at, local_now = timezone.localtime(at, tz), timezone.localtime(now, tz)
    clock = formats.time_format(local_at, "H:i")
    days_apart = (local_at.date() - local_now.date()).days
    if days_apart == 0:
        return _("сегодня в %(time)s") % {"time": clock}
    if days_apart == 1:
        return _("завтра в %(time)s") % {"time": clock}
    return _("через %(span)s") % {"span": _span(at - now, with_hours=True)}
