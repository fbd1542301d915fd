"""The portal's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import include, path


def _missing(request):
    raise Http404("Нет такой записи")


def _denied(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("Подделанный запрос")


def _boom(request):
    raise RuntimeError("Сбой для проверки страницы 500")


urlpatterns = [
    path("test-errors/missing/", _missing),
    path("test-errors/denied/", _denied),
    path("test-errors/suspicious/", _suspicious),
    path("test-errors/boom/", _boom),
    path("", include("config.urls")),
]
