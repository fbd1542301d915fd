"""The audit trail (django-simple-history) of the rows coordinators answer for: enrollments, attendance,
reviews, certificates and exclusion cases.

Who changed a row comes from the request (simple_history's HistoryRequestMiddleware). A service or job running
without one names its actor and reason with `history_context`; set-based writes (queryset.update, bulk_create,
bulk_update) record their history in one insert per batch with `history_bulk_record`, never a query per row.
"""

from __future__ import annotations

import contextvars
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

REASON_MAX_LENGTH = 100  # simple_history's history_change_reason column

_context: contextvars.ContextVar[tuple[object | None, str]] = contextvars.ContextVar(
    "history_context", default=(None, "")
)


@contextmanager
def history_context(*, user=None, reason="") -> Iterator[None]:
    """Writes inside the block are recorded as made by `user` (when given) with `reason` (when given).

    Nested blocks inherit what they do not set, so a job's reason stays on the writes of the services it calls.
    """
    outer_user, outer_reason = _context.get()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    token = _context.set((user or outer_user, str(reason)[:REASON_MAX_LENGTH] if reason else outer_reason))
    try:
        yield
    finally:
        _context.reset(token)


def history_user():
    return _context.get()[0]


def history_reason() -> str:
    return _context.get()[1]


def _get_user(request=None, **kwargs):
    # An actor named by the service wins over the request's user (a background job run for a coordinator).
    actor = history_user()
    if actor is not None:
        return actor
    return getattr(request, "user", None)


class AuditHistory(HistoricalRecords):
    """HistoricalRecords whose user and reason also come from `history_context`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("get_user", _get_user)
        super().__init__(**kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        return super().get_change_reason_for_object(instance, history_type, using) or history_reason() or None


def history_bulk_record(
    model: type[models.Model],
    objs: Iterable[models.Model],
    *,
    created: bool | Collection[int] = False,
    batch_size: int = 1000,
) -> None:
    """History rows for objects written set-based, one INSERT per batch; `objs` must hold the values written.

    `created` is True when every object is new, or the primary keys of those that are (an upsert mixes both).
    """
    objs = list(objs)
    if not objs:
        return
    history_model = model.history.model
    user, reason, now = history_user(), history_reason(), timezone.now()
    if user is None:
        user = history_model.get_default_history_user(objs[0])  # the request's user, or nobody
    fields = [field.attname for field in history_model.tracked_fields]
    rows = []
    for obj in objs:
        new = created is True or (not isinstance(created, bool) and obj.pk in created)
        rows.append(
            history_model(
                history_date=now,
                history_user=user,
                history_change_reason=reason or None,
                history_type="+" if new else "~",
                **{name: getattr(obj, name) for name in fields},
            )
        )
    history_model.objects.bulk_create(rows, batch_size=batch_size)
