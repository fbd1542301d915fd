from django.conf import settings


def portal(request):
    """Settings every page shows: the portal's name and whether demo logins are displayed."""
    return {"PORTAL_NAME": settings.PORTAL_NAME, "DEMO_MODE": settings.DEMO_MODE}
