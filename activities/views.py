"""Views of the activities app."""

# Cabinet: certificates and calendar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from participants.selectors import person_for_user

from .calendar import calendar_token_regenerate, person_calendar, person_for_calendar_token
from .selectors import certificates_visible_to


@login_required
@require_GET
def certificate_download(request, pk: int):
    """The stored PDF of a certificate, for its owner and the coordinators of its municipality; others get 404."""
    certificate = get_object_or_404(
        certificates_visible_to(request.user).select_related("activity", "enrollment__season__program"), pk=pk
    )
    if certificate.revoked_at is not None:
        return render(
            request, "activities/cabinet/certificate_unavailable.html", {"certificate": certificate}, status=410
        )
    if certificate.pdf:
        try:
            file = certificate.pdf.open("rb")
        except FileNotFoundError:
            file = None
        if file is not None:
            response = FileResponse(
                file, as_attachment=True, filename=f"{certificate.number}.pdf", content_type="application/pdf"
            )
            response["Cache-Control"] = "private, no-store"
            return response
    # No stored PDF yet (certificates are generated in the background): say so rather than fail.
    return render(request, "activities/cabinet/certificate_unavailable.html", {"certificate": certificate})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def cabinet_calendar(request):
    """My private calendar feed address, and the button that creates or replaces it."""
    person = person_for_user(request.user)
    if person is None:
        raise Http404("No person record")
    if request.method == "POST":
        had_token = bool(person.calendar_token)
        calendar_token_regenerate(person=person)
        if had_token:
            messages.success(request, _("Создан новый адрес календаря. Прежний адрес больше не работает."))
        else:
            messages.success(request, _("Адрес календаря создан."))
        return redirect("cabinet_calendar")
    feed_url = None
    if person.calendar_token:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[person.calendar_token]))
    return render(request, "activities/cabinet/calendar.html", {"person": person, "feed_url": feed_url})


@require_GET
def calendar_feed(request, token: str):
    """The iCalendar feed behind a secret token: no login, as calendar apps cannot sign in."""
    person = person_for_calendar_token(token)
    if person is None:
        raise Http404("Unknown calendar token")
    response = HttpResponse(
        person_calendar(person=person, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
