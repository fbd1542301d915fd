"""Sign-in throttling with django-axes: whose attempts count together, and the page a locked-out person sees.

A lock-out is for one e-mail from one address (AXES_LOCKOUT_PARAMETERS): a region's schools share a few NAT
addresses, so locking an address would lock a whole school out, and locking an account everywhere would let
anyone lock a colleague out. The settings name these functions by their dotted paths.
"""

import hashlib
import logging
import time
from datetime import datetime

from axes.helpers import get_cool_off
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)
MAIL_WINDOW_SECONDS = 3600


def sign_in_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail the attempt was for, as the user model stores it: «Ivanova@School.RU» and «ivanova@school.ru»
    count together, so changing the letters' case does not buy a guesser more attempts."""
    credentials = credentials or {}
    # authenticate() is called with username=…; Django's user_login_failed signal passes the same key.
    raw = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    if raw is None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get("username") or data.get(get_user_model().USERNAME_FIELD)
    if not raw:
        return None
    return get_user_model().objects.normalize_email(str(raw)).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or, behind TRUSTED_PROXY_COUNT proxies that each append the address
    they saw to X-Forwarded-For, the one the outermost of them saw (what the client wrote itself is ignored)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def sign_in_retry_at(request: HttpRequest) -> datetime:
    """When the lock-out that answered this request ends: each attempt while locked out starts it anew."""
    attempt_time = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempt_time + get_cool_off(request)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The lock-out page (429) for the portal's sign-in and the admin's: when to try again, and the way out
    through password recovery, which lifts the lock-out once the new password is set."""
    retry_at = timezone.localtime(sign_in_retry_at(request))
    minutes = max(1, -(-int((retry_at - timezone.now()).total_seconds()) // 60))
    admin_login = reverse("admin:login")
    context = {
        "retry_at": retry_at,
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "login_url": admin_login if request.path.startswith(admin_login) else reverse("login"),
    }
    response = render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(minutes * 60)
    return response


def sign_in_lockouts_clear(*, user: AbstractBaseUser) -> int:
    """Forget the failed sign-ins for the account, from every address; the number of records removed.

    Setting a new password through the mailed link proves the person owns the address: the lock-out a guesser
    (or their own forgetfulness) caused has no purpose left."""
    return reset(username=user.email.lower())


def _window_count(key: str) -> int:
    """Count one more request under `key` in the current hour; a cache that lost the key (eviction, an outage:
    django-redis then answers None) counts this request as the first."""
    cache.add(key, 0, MAIL_WINDOW_SECONDS)
    try:
        counted = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        counted = None
    return counted or 1


def mail_request_allowed(*, kind: str, email: str, request: HttpRequest) -> bool:
    """Whether a letter asked for by a visitor (password recovery, confirmation link) may go out now: at most
    MAIL_REQUESTS_PER_ADDRESS an hour to one address and MAIL_REQUESTS_PER_CLIENT from one client address.

    Counted whether or not the address belongs to an account, so the limit tells nothing about the accounts.
    """
    window = int(time.time() // MAIL_WINDOW_SECONDS)
    address = hashlib.sha256(get_user_model().objects.normalize_email(email).strip().lower().encode()).hexdigest()[:32]
    ip = client_ip(request) or "unknown"
    per_address = _window_count(f"mail-requests:{kind}:address:{address}:{window}")
    per_client = _window_count(f"mail-requests:{kind}:client:{ip}:{window}")
    allowed = per_address <= settings.MAIL_REQUESTS_PER_ADDRESS and per_client <= settings.MAIL_REQUESTS_PER_CLIENT
    if not allowed:
        logger.warning("Too many %s letters asked for (client %s): this one is not sent", kind, ip)
    return allowed


def client_requests_allowed(*, kind: str, request: HttpRequest, limit: int) -> bool:
    """Whether one more request of this kind from the client's address fits `limit` an hour (counted either way)."""
    window = int(time.time() // MAIL_WINDOW_SECONDS)
    ip = client_ip(request) or "unknown"
    allowed = _window_count(f"client-requests:{kind}:{ip}:{window}") <= limit
    if not allowed:
        logger.warning("Too many %s requests (client %s): this one is refused", kind, ip)
    return allowed
