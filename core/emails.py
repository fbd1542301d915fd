"""The one renderer of the portal's e-mails: a subject / text / html triplet under templates/emails/<name>/.

Every letter carries a Message-ID in the sender's domain (DEFAULT_FROM_EMAIL, by default noreply@ the host of
SITE_URL) and marks itself automatic (RFC 3834 Auto-Submitted; X-Auto-Response-Suppress for Exchange), so
out-of-office replies do not answer a no-reply address. The greeting names the person by first name and
patronymic, or is neutral.
"""

from __future__ import annotations

from email import policy
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

AUTOMATIC_HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


class PortalEmailMessage(EmailMultiAlternatives):
    """Written out with the standard library's current header folding: Django 5.2's compat32 generator folds a
    long non-ASCII subject before its first word («Subject:\\n =?utf-8?…»), which readers show as a subject
    starting with a blank."""

    def message(self):
        msg = super().message()
        for part in msg.walk():
            part.policy = policy.default
        return msg


def email_domain() -> str:
    """The domain of the sender's address, else the portal's own host."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or urlsplit(settings.SITE_URL).hostname or "localhost"


def email_subject(text: str) -> str:
    """One line: a template's line breaks, leading blanks and runs of spaces collapsed (a header never folds)."""
    return " ".join(str(text).split())


def greeting(person=None) -> str:
    """«Здравствуйте, Анна Петровна!» by first name and patronymic; «Здравствуйте!» when there is no name."""
    name = " ".join(
        part
        for part in (str(getattr(person, attr, "") or "").strip() for attr in ("first_name", "middle_name"))
        if part
    )
    if not str(getattr(person, "first_name", "") or "").strip():
        return _("Здравствуйте!")
    return _("Здравствуйте, %(name)s!") % {"name": name}


def _addressee(context: dict):
    """The person the letter is for: the context's «person», else the «user»'s person (when the user model has one)."""
    person = context.get("person")
    if not hasattr(person, "first_name") and context.get("user") is not None:
        person = getattr(context["user"], "person", None)
    return person


def email_headers() -> dict[str, str]:
    return {**AUTOMATIC_HEADERS, "Message-ID": make_msgid(domain=email_domain())}


def email_message(name: str, to: str, context: dict) -> EmailMultiAlternatives:
    """One message from the triplet under templates/emails/<name>/, with the portal's name and the greeting in its
    context."""
    context = {"site_name": settings.PORTAL_NAME, **context}
    context.setdefault("greeting", greeting(_addressee(context)))
    subject = email_subject(render_to_string(f"emails/{name}/subject.txt", context))
    message = PortalEmailMessage(
        subject, render_to_string(f"emails/{name}/body.txt", context), to=[to], headers=email_headers()
    )
    message.attach_alternative(render_to_string(f"emails/{name}/body.html", context), "text/html")
    return message
