"""config.urls plus `/bench/bare/`, a plain Django view running one indexed query (bench/settings.py only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as production_urlpatterns
from participants.models import Person


def bare(request: HttpRequest) -> HttpResponse:
    """One query by primary key (`?pk=`, default 1), a tiny plain-text answer: no template, no session, no user."""
    try:
        pk = int(request.GET.get("pk", "1"))
    except ValueError:
        pk = 1
    name = Person.objects.filter(pk=pk).values_list("last_name", flat=True).first()
    return HttpResponse(name or "-", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    *production_urlpatterns,
]
