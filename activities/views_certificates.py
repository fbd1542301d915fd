"""The public verification page of a certificate: by the QR code's link, or by the printed number on /verify/."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.throttling import client_requests_allowed

from .forms import CertificateNumberForm
from .models import Certificate
from .selectors import certificate_by_code, certificate_by_number


def _verification_page(request, certificate: Certificate):
    """The one page a found certificate gets, whichever way it was found; nothing personal beyond the name."""
    replacement = None
    if certificate.revoked_at is not None:
        replacement = Certificate.objects.filter(reissue_of=certificate).only("number", "revoked_at").first()
    return render(
        request,
        "activities/certificate_verify.html",
        {
            "certificate": certificate,
            "person": certificate.enrollment.person,
            "season": certificate.enrollment.season,
            "program": certificate.enrollment.season.program,
            "replacement": replacement,
        },
    )


@never_cache
@require_GET
def certificate_verify(request, code: str):
    """Holder, what for, hours, date, number and whether it is valid; an unknown code gets a 404 page.

    Anyone may open it; it shows nothing personal beyond the holder's name. Two queries at most.
    """
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "activities/certificate_verify_unknown.html", status=404)
    return _verification_page(request, certificate)


@never_cache
@require_GET
def certificate_lookup(request):
    """The check by the printed number: an empty form, the form again with the problem (bad shape 200, no such
    number 404, too many look-ups 429), or the QR link's page for the certificate found.

    The numbers run in sequence, so look-ups are limited per client address (CERTIFICATE_LOOKUPS_PER_CLIENT an
    hour) and a valid number shows exactly what its QR code shows. Two queries at most."""
    if "number" not in request.GET:
        return _lookup_form(request, CertificateNumberForm())
    form = CertificateNumberForm(request.GET)
    if not form.is_valid():
        return _lookup_form(request, form)
    if not client_requests_allowed(
        kind="certificate-lookup", request=request, limit=settings.CERTIFICATE_LOOKUPS_PER_CLIENT
    ):
        response = _lookup_form(request, form, status=429, throttled=True)
        response["Retry-After"] = "3600"
        return response
    candidates = form.cleaned_data["number"]
    certificate = certificate_by_number(candidates)
    if certificate is None:
        return _lookup_form(request, form, status=404, not_found=candidates[0])
    return _verification_page(request, certificate)


def _lookup_form(request, form, *, status=200, throttled=False, not_found=""):
    context = {"form": form, "throttled": throttled, "not_found": not_found}
    return render(request, "activities/certificate_lookup.html", context, status=status)
