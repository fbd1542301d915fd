"""{{ season.time_zone|zone_words:session.starts_at }} → «время Екатеринбурга, МСК+2» (core.zones); without an
argument, the zone's words for the current moment."""

from django import template

from core.zones import zone_words as _zone_words

register = template.Library()


@register.filter(is_safe=False)
def zone_words(zone, at=None):
    return _zone_words(zone, at if hasattr(at, "tzinfo") else None)
