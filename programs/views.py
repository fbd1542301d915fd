"""Public pages of programs, and the low-vision mode switch every page carries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors
from .accessibility import COOKIE_MAX_AGE, MODE_COOKIE, SETTINGS_COOKIE, settings_changed, settings_from_cookie

A11Y_COOKIE = MODE_COOKIE
A11Y_COOKIE_MAX_AGE = COOKIE_MAX_AGE


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/home.html", {"listing": selectors.home_listing()})


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "programs/program_detail.html", {"page": selectors.program_page(slug=slug)})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
def a11y_toggle(request: HttpRequest) -> HttpResponse:
    """Switch the high-contrast large-font mode («версия для слабовидящих»); a cookie, so no login needed."""
    response = redirect(_safe_next(request))
    if request.POST.get("mode") == "on":
        response.set_cookie(A11Y_COOKIE, "1", max_age=A11Y_COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(A11Y_COOKIE, samesite="Lax")
    return response


@require_POST
def a11y_settings(request: HttpRequest) -> HttpResponse:
    """One setting of the low-vision version (font size, colours, letter spacing, images) from the panel's
    buttons; choosing one also turns the version on. Kept in a cookie for a year, like the mode itself."""
    chosen = settings_changed(settings_from_cookie(request.COOKIES.get(SETTINGS_COOKIE)), request.POST)
    response = redirect(_safe_next(request))
    response.set_cookie(A11Y_COOKIE, "1", max_age=A11Y_COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    response.set_cookie(
        SETTINGS_COOKIE, chosen.cookie_value(), max_age=A11Y_COOKIE_MAX_AGE, samesite="Lax", httponly=True
    )
    return response
