from django.conf import settings

from .accessibility import MODE_COOKIE, SETTINGS_COOKIE, settings_from_cookie


def portal(request):
    """Settings every page shows: the portal's name and whether demo logins are displayed."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "DEMO_MODE": settings.DEMO_MODE}


def accessibility(request):
    """The low-vision mode and its settings are read server-side from their cookies, so they work without
    JavaScript; the settings only when the mode is on."""
    if request.COOKIES.get(MODE_COOKIE) != "1":
        return {"A11Y_MODE": False}
    return {"A11Y_MODE": True, "A11Y": settings_from_cookie(request.COOKIES.get(SETTINGS_COOKIE))}
