"""Time zones in words (core.zones).

{{ season.time_zone|zone_words:session.starts_at }} → «время Екатеринбурга, МСК+2»; without an argument, the zone's
words for the current moment.

{{ moment|when:season.time_zone }} → «6 декабря 2026, 14:05 (время Екатеринбурга, МСК+2)»: the moment on the
zone's clock, whatever time zone the page has active; the zone may be a name, a tzinfo, or a row carrying
`time_zone` (a season, a municipality); without one, the page's active zone (a coordinator's municipality, else
the portal's «московское время»). {{ moment|when_time:zone }} is
the same with the hour alone («14:05 (время Екатеринбурга, МСК+2)»), for a moment whose day the line already says.
"""

from django import template
from django.utils import timezone

from core.zones import moment_text
from core.zones import zone_words as _zone_words

register = template.Library()


def _zone(zone):
    # No zone of its own: the page's active one (a coordinator's municipality, participants.middleware, or the
    # {% timezone %} block around it; else the portal's).
    return getattr(zone, "time_zone", zone) or timezone.get_current_timezone()


@register.filter(is_safe=False)
def zone_words(zone, at=None):
    return _zone_words(zone, at if hasattr(at, "tzinfo") else None)


@register.filter(is_safe=False)
def when(moment, zone=None):
    if not hasattr(moment, "tzinfo"):
        return ""
    return moment_text(moment, _zone(zone))


@register.filter(is_safe=False)
def when_time(moment, zone=None):
    if not hasattr(moment, "tzinfo"):
        return ""
    return moment_text(moment, _zone(zone), "H:i")
