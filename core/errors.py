"""The portal's own error pages: the CSRF failure page and, with DEBUG on, the portal's 404 and 400 instead of
Django's English technical pages (which list every URL pattern). DEBUG_TECHNICAL_404=on brings those back."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Russian page that says what to do (reload the form), not Django's English one."""
    no_cookie = reason == "CSRF cookie not set."
    return render(request, "errors/403_csrf.html", {"no_cookie": no_cookie}, status=403)


def _portal_pages_in_debug() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_404", False)


class PortalErrorPagesMiddleware:
    """With DEBUG on, a missing page is answered with the portal's 404 (and a bad request with its 400).

    Django's handler shows its technical pages whenever DEBUG is on; a view's Http404 is caught here first, and
    an address no URL pattern matched (the resolver fails before any view runs) is recognised by the request
    having no resolver match. With DEBUG off this does nothing: Django already renders 404.html and 400.html."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and _portal_pages_in_debug()
        ):
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _portal_pages_in_debug():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, SuspiciousOperation):
            return defaults.bad_request(request, exception)
        return None
