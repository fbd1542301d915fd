"""Reminders before due dates: the registry of sources and the service that sends what is due.

Apps above this one (activities: video lessons; ratings: reviews) register a source from their
AppConfig.ready(); a source answers, for a moment `now`, the reminders due then as notification drafts.
`reminders_send` stores them through `notifications_create`, whose per-user dedupe key makes every
reminder once-only: the key names the item, the deadline (as a UTC timestamp) and the offset, so running
the job again sends nothing twice and a moved deadline gives a new key, re-arming the reminders.

Offsets are the season's (`Season.reminder_offset_hours`, e.g. [168, 48, 3]). An offset is due once
`deadline - offset <= now < deadline`. Only the nearest due offset (the smallest) is keyed and sent:
when the job was down and several offsets passed, the person gets one reminder, not a burst of stale
ones. The earlier offsets need no record: time only moves forward, so for the same deadline they can
never be the nearest again, and a moved deadline has a key of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from core.notifications import NotificationDraft, notifications_create

# A source: fn(now=...) -> the drafts of the reminders due at `now` (a fixed number of queries).
ReminderSourceFn = Callable[..., Iterable[NotificationDraft]]


@dataclass(frozen=True)
class ReminderSource:
    name: str
    # What the job log says it sent, e.g. «видеоуроки»; a lazy translation.
    label: object
    fn: ReminderSourceFn


_sources: dict[str, ReminderSource] = {}


def register_reminder_source(fn: ReminderSourceFn, *, name: str | None = None, label=None) -> None:
    """Register (or replace, on autoreload) a source of reminders; `name` keys the job's counts."""
    name = name or fn.__name__
    _sources[name] = ReminderSource(name=name, label=label or name, fn=fn)


def registered_reminder_sources() -> list[ReminderSource]:
    return [_sources[name] for name in sorted(_sources)]


def reminder_offset_due(deadline: datetime, offsets: Sequence[int], now: datetime) -> int | None:
    """The nearest offset (hours) whose moment has come for this deadline, or None (none yet, or past it)."""
    if now >= deadline:
        return None
    due = [offset for offset in offsets if deadline - timedelta(hours=offset) <= now]
    return min(due) if due else None


def reminder_key(kind: str, item_id: int, deadline: datetime, offset: int) -> str:
    """«reminder:video:12:1760274000:48h» — once per item, deadline and offset (for each person)."""
    return f"reminder:{kind}:{item_id}:{int(deadline.timestamp())}:{offset}h"


def reminders_send(*, now: datetime) -> dict[str, int]:
    """Ask every registered source for the reminders due at `now` and store them (e-mails go after commit).

    Returns {source name: how many new reminders}. One transaction per source, so a failing source keeps
    the others' work; a second run at the same moment sends nothing (the dedupe keys).
    """
    sent: dict[str, int] = {}
    for source in registered_reminder_sources():
        with transaction.atomic():
            sent[source.name] = notifications_create(drafts=source.fn(now=now), now=now)
    return sent


def reminders_summary(sent: dict[str, int]) -> str:
    """The job log's sentence: «Отправлено напоминаний: 3 (video: 2, review: 1).»"""
    labels = {source.name: str(source.label) for source in registered_reminder_sources()}
    total = sum(sent.values())
    if not total:
        return _("Напоминаний к отправке нет.")
    parts = ", ".join(f"{labels.get(name, name)}: {n}" for name, n in sorted(sent.items()) if n)
    return _("Отправлено напоминаний: %(total)d (%(parts)s).") % {"total": total, "parts": parts}
