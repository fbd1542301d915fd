"""The outbox of letters to an address (core.OutgoingEmail): registration confirmations, invitations, status
letters, password resets — letters for people who may have no notification list yet.

A letter is a row written in the caller's transaction; right after the commit the portal tries to send it at
once (the happy path stays instant), and a letter the mail server did not take waits for the scheduled
delivery job with the notification outbox's retry policy (core.notifications.outbox_deliver: 1, 5, 15 minutes,
then hourly, MAX_EMAIL_ATTEMPTS tries). The letter is rendered when it is sent, so its context holds JSON only.
A secret letter (a link that lets its holder in) has its context emptied once sent or given up.

A page that must say what became of the letters a request queued collects their ids with `letters_queued()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Case, Count, F, JSONField, Max, Min, Q, Value, When
from django.utils import timezone

from .emails import email_message, greeting
from .models import OutgoingEmail
from .notifications import Outbox, outbox_deliver

logger = logging.getLogger(__name__)

_collected: ContextVar[list[int] | None] = ContextVar("outgoing_emails_collected", default=None)


@dataclass
class Letter:
    """One letter to queue: a triplet under templates/emails/<template>/ and its JSON-serialisable context.

    A context «person» is {"first_name": …, "middle_name": …}: the greeting names them when the letter goes."""

    recipient: str
    template: str
    context: dict = field(default_factory=dict)
    secret: bool = False


@contextmanager
def letters_queued() -> Iterator[list[int]]:
    """Collect the ids of the letters queued inside the block, for the page that reports on them."""
    ids: list[int] = []
    token = _collected.set(ids)
    try:
        yield ids
    finally:
        _collected.reset(token)


def outgoing_emails_queue(*, letters: Iterable[Letter], now: datetime | None = None) -> list[OutgoingEmail]:
    """Write the letters (one INSERT whatever their number) and try to send them once the transaction commits."""
    now = now or timezone.now()
    rows = [
        OutgoingEmail(
            recipient=letter.recipient,
            template=letter.template,
            context=letter.context,
            secret=letter.secret,
            created_at=now,
        )
        for letter in letters
        if letter.recipient
    ]
    if not rows:
        return []
    rows = OutgoingEmail.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    collected = _collected.get()
    if collected is not None:
        collected.extend(ids)
    transaction.on_commit(lambda: outgoing_emails_send_now(ids=ids))
    return rows


def outgoing_emails_send_now(*, ids: list[int]) -> dict[str, int]:
    """The immediate attempt at letters just queued. A failure is the outbox's to retry, never the request's."""
    try:
        return outbox_deliver(OUTGOING_EMAIL_OUTBOX, only=Q(pk__in=ids))
    except Exception:  # e.g. the database went away: the rows wait for the scheduled job
        logger.exception("Could not attempt the letters %s; the delivery job sends them", ids)
        return {"sent": 0, "failed": 0, "skipped": 0}


def outgoing_emails_deliver(*, limit: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Send every due letter of the outbox (the scheduled delivery job)."""
    return outbox_deliver(OUTGOING_EMAIL_OUTBOX, limit=limit, now=now)


def outgoing_emails_retry(*, ids: Iterable[int], now: datetime | None = None) -> int:
    """An operator's «Отправить снова» for letters given up: they wait again, with a fresh count of tries.
    A secret letter whose link was already emptied cannot be rebuilt, so it stays as it is."""
    return (
        OutgoingEmail.objects.filter(pk__in=list(ids), status=OutgoingEmail.Status.FAILED)
        .exclude(secret=True, context={})
        .update(status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=now or timezone.now())
    )


def _message(row: OutgoingEmail) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL.rstrip("/"), **(row.context or {})}
    person = context.get("person")
    context["greeting"] = greeting(SimpleNamespace(**person) if isinstance(person, dict) else None)
    return email_message(row.template, row.recipient, context)


def _done_update() -> dict:
    """A secret letter sent or given up keeps its recipient, template and state, not its link."""
    return {"context": Case(When(secret=True, then=Value({}, output_field=JSONField())), default=F("context"))}


OUTGOING_EMAIL_OUTBOX = Outbox(
    model=OutgoingEmail,
    message=_message,
    status="status",
    attempts="attempts",
    next_attempt_at="next_attempt_at",
    error="error",
    sent_at="sent_at",
    done_update=_done_update,
)


@dataclass(frozen=True)
class LettersState:
    """What became of a set of letters, for the page or the admin message that reports on them."""

    total: int = 0
    sent: int = 0
    pending: int = 0
    failed: int = 0
    recipient: str = ""


def letters_state(ids: Iterable, *, recipient: str | None = None) -> LettersState:
    """Count the letters by state and name the recipient when they all went to one address: one query.

    `recipient` narrows them to one address: a page reports only on letters to the address it was given."""
    ids = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
    if not ids:
        return LettersState()
    S = OutgoingEmail.Status
    rows = OutgoingEmail.objects.filter(pk__in=ids)
    if recipient is not None:
        rows = rows.filter(recipient__iexact=recipient)
    counts = rows.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=S.SENT)),
        pending=Count("pk", filter=Q(status=S.PENDING)),
        failed=Count("pk", filter=Q(status=S.FAILED)),
        first=Min("recipient"),
        last=Max("recipient"),
    )
    first, last = counts.pop("first"), counts.pop("last")
    return LettersState(**counts, recipient=first if first == last and first else "")


def masked_address(address: str) -> str:
    """«a***@mail.ru»: enough for the person to recognise their address, not enough for a passer-by to read it."""
    local, at, domain = address.partition("@")
    if not at:
        return ""
    return f"{local[:1]}***@{domain}"
