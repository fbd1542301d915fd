"""The public verification page of a certificate (the QR code on the PDF points here)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Certificate


@never_cache
@require_GET
def certificate_verify(request, code: str):
    """Holder, what for, hours, date, number and whether it is valid; an unknown code gets a 404 page.

    Anyone may open it; it shows nothing personal beyond the holder's name. Two queries at most.
    """
    certificate = (
        Certificate.objects.select_related("enrollment__person", "enrollment__season__program", "activity")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return render(request, "activities/certificate_verify_unknown.html", status=404)
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
