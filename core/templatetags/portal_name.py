"""{% portal_name %}: the portal's name straight from settings, for pages rendered without context processors
(the 500 page must need neither a request nor the database)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_name() -> str:
    return str(settings.PORTAL_NAME)
