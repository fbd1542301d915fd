"""In-portal notifications with an e-mail outbox.

Every app tells people things through `notifications_create`: the rows are the durable record (the list
and the unread badge), and a row with an e-mail template is also an outbox entry that
`notifications_deliver` sends after the commit. A killed sender loses nothing: unsent rows stay pending
and the next run picks them up.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .emails import email_message, greeting
from .models import Notification

logger = logging.getLogger(__name__)

# Tried at most this many times; then the row stays «не отправлено», with the reason, for an operator to look at.
MAX_EMAIL_ATTEMPTS = 5
# The pause before the next try after 1, 2, 3, 4 failures (a mail server down for the night is covered).
EMAIL_RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
DELIVER_CHUNK = 200
# The embedded SQLite has one writer: a chunk holds the write lock while its letters go out, so it stays short there
# and sign-ins and cabinet pages get their turn between two chunks.
DELIVER_CHUNK_SQLITE = 20


def _deliver_chunk() -> int:
    return DELIVER_CHUNK_SQLITE if db_connection.vendor == "sqlite" else DELIVER_CHUNK


@dataclass
class NotificationDraft:
    """What to tell one user. `dedupe_key` makes the message once-only per user (a job may run again)."""

    user_id: int
    title: str
    kind: str = Notification.Kind.INFO
    body: str = ""
    url: str = ""
    dedupe_key: str = ""
    # A triplet under templates/emails/<email_template>/; its context must be JSON-serialisable.
    email_template: str = ""
    email_context: dict = field(default_factory=dict)


def unread_recount(user_ids: Iterable[int]) -> None:
    """Set the users' unread counters from their rows: one UPDATE whatever the number of users."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return
    unread = (
        Notification.objects.filter(user_id=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    get_user_model().objects.filter(pk__in=user_ids).update(unread_notifications=Coalesce(Subquery(unread), Value(0)))


def notifications_create(*, drafts: Iterable[NotificationDraft], now: datetime | None = None) -> int:
    """Store the notifications (a repeated dedupe key is skipped, even in a race) and queue their e-mails.

    Returns how many were new. A fixed number of queries for any number of drafts (bulk writes in chunks).
    """
    drafts = list(drafts)
    if not drafts:
        return 0
    now = now or timezone.now()
    keyed = {(d.user_id, d.dedupe_key) for d in drafts if d.dedupe_key}
    existing: set[tuple[int, str]] = set()
    if keyed:
        existing = set(
            Notification.objects.filter(
                user_id__in={user_id for user_id, _ in keyed}, dedupe_key__in={key for _, key in keyed}
            ).values_list("user_id", "dedupe_key")
        )
    rows, seen = [], set()
    for draft in drafts:
        if draft.dedupe_key:
            key = (draft.user_id, draft.dedupe_key)
            if key in existing or key in seen:
                continue
            seen.add(key)
        rows.append(
            Notification(
                user_id=draft.user_id,
                kind=draft.kind,
                title=draft.title[:300],
                body=draft.body,
                url=draft.url[:500],
                created_at=now,
                dedupe_key=draft.dedupe_key[:200],
                email_template=draft.email_template,
                email_context=draft.email_context,
                email_status=Notification.EmailStatus.PENDING if draft.email_template else "",
            )
        )
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    unread_recount(row.user_id for row in rows)
    if any(row.email_template for row in rows):
        _deliver_on_commit()
    return len(rows)


def _deliver_on_commit() -> None:
    """Wake the sender after the commit. The notification rows are themselves the durable outbox (the
    scheduled run sends whatever is pending), so this needs no core.TaskOutbox row: a publish that
    fails (the broker is down) is only logged, and fails fast (retry=False) so the request never waits."""

    def queue() -> None:
        from .tasks import notifications_deliver_task

        try:
            notifications_deliver_task.apply_async(retry=False)
        except Exception:  # the broker is down: the outbox keeps the rows, the next scheduled run sends them
            logger.warning("Could not queue the notification e-mails; they stay in the outbox", exc_info=True)

    transaction.on_commit(queue)


def _message(notification: Notification) -> EmailMultiAlternatives | None:
    user = notification.user
    if not user.email or not user.is_active:
        return None
    context = {
        "site_url": settings.SITE_URL.rstrip("/"),
        "notification": notification,
        "user": user,
        **(notification.email_context or {}),
        # The recipient is greeted, whoever the letter is about.
        "greeting": greeting(getattr(user, "person", None)),
    }
    return email_message(notification.email_template, user.email, context)


def email_retry_delay(attempts: int) -> timedelta:
    """The pause after the given number of failed tries: 1, 5, 15 minutes, then an hour."""
    return EMAIL_RETRY_DELAYS[min(max(attempts, 1), len(EMAIL_RETRY_DELAYS)) - 1]


def _permanent(exc: Exception) -> bool:
    """A 5xx answer (RFC 5321: a permanent failure — no such mailbox, refused) is not worth another try."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{to}: {code} {_decode(msg)}" for to, (code, msg) in exc.recipients.items())
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text[:2000]


def _decode(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _connection_lost(exc: Exception) -> bool:
    """No answer from the mail server at all (refused, timed out, dropped): the rest of the chunk would fail too."""
    return isinstance(exc, (OSError, smtplib.SMTPServerDisconnected)) and not isinstance(
        exc, smtplib.SMTPResponseException
    )


def _outbox_select_related() -> list[str]:
    """The recipient, and their person record when the user model has one (the letter's greeting names them)."""
    user_model = get_user_model()
    related = ["user"]
    if any(f.name == "person" and f.one_to_one for f in user_model._meta.get_fields()):
        related.append("user__person")
    return related


@dataclass(frozen=True)
class Outbox:
    """One e-mail outbox table as the shared sender sees it: its rows' field names, what a row's letter is, and
    what else to write when a row is sent or given up (a secret letter's data is emptied)."""

    model: type[models.Model]
    message: Callable[[models.Model], EmailMultiAlternatives | None]
    status: str
    attempts: str
    next_attempt_at: str
    error: str
    sent_at: str
    select_related: Callable[[], list[str]] = list
    # Update arguments for a row that was skipped (no address), sent or given up.
    skipped_update: Callable[[], dict] = dict
    done_update: Callable[[], dict] = dict
    pending: str = "pending"
    sent: str = "sent"
    failed: str = "failed"


def outbox_deliver(
    outbox: Outbox, *, limit: int | None = None, now: datetime | None = None, only: Q | None = None
) -> dict[str, int]:
    """Send an outbox's due e-mails in chunks over one connection, each chunk locked so two senders never share rows.

    A failed send stays pending with its attempt count, the mail server's answer and the time of its next try
    (email_retry_delay); a permanent refusal (5xx) or the MAX_EMAIL_ATTEMPTS-th failure marks it failed with
    that answer. Returns {"sent": n, "failed": n, "skipped": n}: skipped rows have no letter to send (no address
    or an inactive user); failed counts the failed tries, whether they wait for another or were given up.
    `only` narrows the rows (the immediate attempt at the letters a request has just queued).
    """
    f = outbox
    result = {"sent": 0, "failed": 0, "skipped": 0}
    due = Q(**{f"{f.next_attempt_at}__isnull": True}) | Q(**{f"{f.next_attempt_at}__lte": now or timezone.now()})
    if only is not None:
        due &= only
    while limit is None or result["sent"] + result["failed"] + result["skipped"] < limit:
        with transaction.atomic():
            chunk = list(
                f.model.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(*f.select_related())
                .filter(due, **{f.status: f.pending})
                .order_by("created_at", "pk")[: _deliver_chunk()]
            )
            if not chunk:
                break
            current = now or timezone.now()
            sent, failed, skipped = [], [], []
            connection = get_connection()
            for row in chunk:
                try:
                    message = f.message(row)
                    if message is None:
                        skipped.append(row.pk)
                        continue
                    message.connection = connection
                    message.send()
                    sent.append(row.pk)
                except Exception as exc:
                    logger.warning("Could not send %s %s: %s", f.model._meta.model_name, row.pk, exc, exc_info=True)
                    failed.append((row, exc))
                    if _connection_lost(exc):
                        break  # the rest of the chunk stays as it was: tried on the next run
            try:
                connection.close()
            except Exception:
                logger.warning("Could not close the mail connection", exc_info=True)
            if sent:
                f.model.objects.filter(pk__in=sent).update(
                    **{f.status: f.sent, f.sent_at: current, f.error: ""}, **f.done_update()
                )
            if skipped:
                f.model.objects.filter(pk__in=skipped).update(**f.skipped_update())
            for row, exc in failed:
                attempts = getattr(row, f.attempts) + 1
                given_up = _permanent(exc) or attempts >= MAX_EMAIL_ATTEMPTS
                f.model.objects.filter(pk=row.pk).update(
                    **{
                        f.attempts: attempts,
                        f.error: _reason(exc),
                        f.status: f.failed if given_up else f.pending,
                        f.next_attempt_at: None if given_up else current + email_retry_delay(attempts),
                    },
                    **(f.done_update() if given_up else {}),
                )
            result["sent"] += len(sent)
            result["failed"] += len(failed)
            result["skipped"] += len(skipped)
            if failed and not sent:
                break  # the mail server is down: try again on the next run rather than spin
    return result


NOTIFICATION_OUTBOX = Outbox(
    model=Notification,
    message=_message,
    status="email_status",
    attempts="email_attempts",
    next_attempt_at="email_next_attempt_at",
    error="email_error",
    sent_at="email_sent_at",
    select_related=_outbox_select_related,
    skipped_update=lambda: {"email_status": ""},
)


def notifications_deliver(*, limit: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Send the notifications' due e-mails (outbox_deliver): sent, failed tries, and skipped rows (no address or
    an inactive user, which then carry no letter)."""
    return outbox_deliver(NOTIFICATION_OUTBOX, limit=limit, now=now)


def notification_read(*, user: AbstractBaseUser, notification_id: int, now: datetime | None = None) -> bool:
    """Mark one of the user's notifications read; another person's id changes nothing (False)."""
    changed = Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    if changed:
        unread_recount([user.pk])
    return bool(changed)


def notifications_read_all(*, user: AbstractBaseUser, now: datetime | None = None) -> int:
    changed = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now or timezone.now())
    get_user_model().objects.filter(pk=user.pk).update(unread_notifications=0)
    return changed
