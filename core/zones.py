"""A time zone named the way people in Russia say it: «московское время», «время Екатеринбурга, МСК+2».

Seasons and municipalities carry their own IANA zone (Asia/Yekaterinburg); a teacher does not read «Asia/
Yekaterinburg» or «(UTC+5)» but her own city's time and its distance from Moscow, the way railway and TV
schedules put it. The МСК offset is computed from the zone for the moment in question, so a zone that changed
its offset (Europe/Volgograd in 2020, Europe/Saratov in 2016) reads right for every date. A zone outside the map
(a municipality abroad, UTC) falls back to «UTC+N».
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .date_text import date_text

MOSCOW = ZoneInfo("Europe/Moscow")

# The Russian zones of the tz database, each with its city in the genitive: «время <кого/чего>».
ZONE_CITIES = {
    "Europe/Kaliningrad": gettext_lazy("Калининграда"),
    "Europe/Kirov": gettext_lazy("Кирова"),
    "Europe/Volgograd": gettext_lazy("Волгограда"),
    "Europe/Astrakhan": gettext_lazy("Астрахани"),
    "Europe/Saratov": gettext_lazy("Саратова"),
    "Europe/Ulyanovsk": gettext_lazy("Ульяновска"),
    "Europe/Samara": gettext_lazy("Самары"),
    "Asia/Yekaterinburg": gettext_lazy("Екатеринбурга"),
    "Asia/Omsk": gettext_lazy("Омска"),
    "Asia/Novosibirsk": gettext_lazy("Новосибирска"),
    "Asia/Barnaul": gettext_lazy("Барнаула"),
    "Asia/Tomsk": gettext_lazy("Томска"),
    "Asia/Novokuznetsk": gettext_lazy("Новокузнецка"),
    "Asia/Krasnoyarsk": gettext_lazy("Красноярска"),
    "Asia/Irkutsk": gettext_lazy("Иркутска"),
    "Asia/Chita": gettext_lazy("Читы"),
    "Asia/Yakutsk": gettext_lazy("Якутска"),
    "Asia/Khandyga": gettext_lazy("Хандыги"),
    "Asia/Vladivostok": gettext_lazy("Владивостока"),
    "Asia/Ust-Nera": gettext_lazy("Усть-Неры"),
    "Asia/Magadan": gettext_lazy("Магадана"),
    "Asia/Sakhalin": gettext_lazy("Южно-Сахалинска"),
    "Asia/Srednekolymsk": gettext_lazy("Среднеколымска"),
    "Asia/Kamchatka": gettext_lazy("Петропавловска-Камчатского"),
    "Asia/Anadyr": gettext_lazy("Анадыря"),
}
# The tz database's old name for Moscow time, still accepted by ZoneInfo.
_ALIASES = {"W-SU": "Europe/Moscow"}


def as_zone(zone: tzinfo | str | None) -> tzinfo:
    """A zone from its name or itself; no zone (or a name the tz database does not know) is the portal's."""
    if isinstance(zone, tzinfo):
        return zone
    if zone:
        try:
            return ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def _zone_key(zone: tzinfo) -> str:
    key = getattr(zone, "key", "") or ""
    return _ALIASES.get(key, key)


def _signed(delta: timedelta) -> str:
    """+2, −1, +3:30 (the typographic minus, as on a timetable); empty for zero."""
    minutes = int(delta.total_seconds() // 60)
    if minutes == 0:
        return ""
    hours, rest = divmod(abs(minutes), 60)
    return ("+" if minutes > 0 else "−") + f"{hours}" + (f":{rest:02d}" if rest else "")


def utc_words(zone: tzinfo | str | None, at: datetime | None = None) -> str:
    """«UTC+5», «UTC−3», «UTC» for the zone at that moment."""
    local = timezone.localtime(at or timezone.now(), as_zone(zone))
    return f"UTC{_signed(local.utcoffset() or timedelta(0))}"


def zone_words(zone: tzinfo | str | None, at: datetime | None = None) -> str:
    """The zone as people say it, at the moment `at` (now by default): «московское время», «время Екатеринбурга,
    МСК+2», «время Калининграда, МСК−1»; a zone of another country «UTC+N»."""
    tz = as_zone(zone)
    key = _zone_key(tz)
    moment = at or timezone.now()
    if key == "Europe/Moscow":
        return gettext("московское время")
    city = ZONE_CITIES.get(key)
    if city is None:
        return utc_words(tz, moment)
    local = timezone.localtime(moment, tz)
    moscow = timezone.localtime(moment, MOSCOW)
    offset = (local.utcoffset() or timedelta(0)) - (moscow.utcoffset() or timedelta(0))
    return gettext("время %(city)s, МСК%(offset)s") % {"city": city, "offset": _signed(offset)}


def moment_text(at: datetime | None, zone: tzinfo | str | None, fmt: str = "j E Y, H:i") -> str:
    """A moment on the zone's clock and saying whose: «12 октября 2025, 18:00 (время Екатеринбурга, МСК+2)»; no
    zone is the portal's (TIME_ZONE) and says so («московское время»). The one way a page, a letter, an admin
    readout or a `__str__` shows a time (tests/test_time_zone_words.py keeps it so); empty for no moment."""
    if at is None:
        return ""
    tz = as_zone(zone)
    return f"{date_text(timezone.localtime(at, tz), fmt)} ({zone_words(tz, at)})"
