"""The one renderer of the portal's e-mails: a subject / text / html triplet under templates/emails/<name>/."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_message(name: str, to: str, context: dict) -> EmailMultiAlternatives:
    """One message from the triplet under templates/emails/<name>/, with the portal's name in its context."""
    context = {"site_name": settings.PORTAL_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"emails/{name}/body.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"emails/{name}/body.html", context), "text/html")
    return message
