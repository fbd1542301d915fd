"""config.urls plus `/bench/bare/`, a plain Django view running one indexed query, and `/bench/cabinet-uncached/`, the
teacher's cabinet with its cache turned off (bench/settings.py only)."""

from django.http import HttpRequest, HttpResponse
from django.test.utils import override_settings
from django.urls import path

from config.urls import urlpatterns as production_urlpatterns
from participants.models import Person
from participants.views import cabinet


def bare(request: HttpRequest) -> HttpResponse:
    """One query by primary key (`?pk=`, default 1), a tiny plain-text answer: no template, no session, no user."""
    try:
        pk = int(request.GET.get("pk", "1"))
    except ValueError:
        pk = 1
    name = Person.objects.filter(pk=pk).values_list("last_name", flat=True).first()
    return HttpResponse(name or "-", content_type="text/plain; charset=utf-8")


# The cabinet as a reader meets it first after a change of their data: rendered afresh on every request.
cabinet_uncached = override_settings(CABINET_CACHE_SECONDS=0)(cabinet)

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/cabinet-uncached/", cabinet_uncached, name="bench_cabinet_uncached"),
    *production_urlpatterns,
]
