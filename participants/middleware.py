"""Shows times to a signed-in coordinator in their municipality's zone, read from the session (no query)."""

import zoneinfo

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

SESSION_KEY = "portal_time_zone"


@receiver(user_logged_in, dispatch_uid="participants.remember_time_zone")
def remember_time_zone(sender, request, user, **kwargs):
    municipality = getattr(user, "municipality", None)
    if municipality is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = municipality.time_zone


class TimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
