"""Public pages of programs, and the low-vision mode switch every page carries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors

A11Y_COOKIE = "a11y"
A11Y_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


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
