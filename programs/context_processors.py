from django.conf import settings


def portal(request):
    """Settings every page shows: the portal's name and whether demo logins are displayed."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "DEMO_MODE": settings.DEMO_MODE}


def accessibility(request):
    """The low-vision mode is read server-side from its cookie, so it works without JavaScript."""
    return {"A11Y_MODE": request.COOKIES.get("a11y") == "1"}
