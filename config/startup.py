"""Checks the serving processes make before they start (not at settings import, so that commands which build
no link — migrate, check, collectstatic in the Docker build — and the tests still run without them)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SITE_URL_MISSING = (
    "Настройка SITE_URL: обязательна при DEBUG=off — укажите публичный адрес портала "
    "(например, https://metodportal.example.ru): по нему строятся ссылки в письмах и QR-код сертификатов"
)


def require_site_url() -> None:
    """With DEBUG off a link to http://localhost:8000 would reach people (and stored certificate PDFs): refuse."""
    if not settings.DEBUG and not settings.SITE_URL_GIVEN:
        raise ImproperlyConfigured(SITE_URL_MISSING)
