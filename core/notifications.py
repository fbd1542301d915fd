"""In-portal notifications with an e-mail outbox.

Every app tells people things through `notifications_create`: the rows are the durable record (the list
and the unread badge), and a row with an e-mail template is also an outbox entry that
`notifications_deliver` sends after the commit. A killed sender loses nothing: unsent rows stay pending
and the next run picks them up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .emails import email_message
from .models import Notification

logger = logging.getLogger(__name__)

# Sent at most this many times; then the row stays «не отправлено» for an operator to look at.
MAX_EMAIL_ATTEMPTS = 5
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
    }
    return email_message(notification.email_template, user.email, context)


def notifications_deliver(*, limit: int | None = None) -> dict[str, int]:
    """Send pending e-mails in chunks over one connection, each chunk locked so two senders never share rows.

    Returns {"sent": n, "failed": n, "skipped": n}: skipped rows have no address (or an inactive user).
    """
    result = {"sent": 0, "failed": 0, "skipped": 0}
    while limit is None or sum(result.values()) < limit:
        with transaction.atomic():
            chunk = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(email_status=Notification.EmailStatus.PENDING)
                .order_by("created_at", "pk")[: _deliver_chunk()]
            )
            if not chunk:
                break
            now = timezone.now()
            sent, failed, skipped = [], [], []
            connection = get_connection()
            for notification in chunk:
                try:
                    message = _message(notification)
                    if message is None:
                        skipped.append(notification.pk)
                        continue
                    message.connection = connection
                    message.send()
                    sent.append(notification.pk)
                except Exception:
                    logger.exception("Could not send notification %s", notification.pk)
                    failed.append(notification)
            Notification.objects.filter(pk__in=sent).update(
                email_status=Notification.EmailStatus.SENT, email_sent_at=now
            )
            Notification.objects.filter(pk__in=skipped).update(email_status="")
            given_up = [n.pk for n in failed if n.email_attempts + 1 >= MAX_EMAIL_ATTEMPTS]
            Notification.objects.filter(pk__in=[n.pk for n in failed]).update(email_attempts=F("email_attempts") + 1)
            Notification.objects.filter(pk__in=given_up).update(email_status=Notification.EmailStatus.FAILED)
            result["sent"] += len(sent)
            result["failed"] += len(failed)
            result["skipped"] += len(skipped)
            if failed and not sent:
                break  # the mail server is down: try again on the next run rather than spin
    return result


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
