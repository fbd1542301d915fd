"""The durable queue of Celery tasks: a task queued by a change survives a broker (Redis) that is down.

`task_enqueue` writes a TaskOutbox row in the change's own transaction and publishes it right after the commit,
with a short broker timeout (settings.REDIS_TIMEOUT_SECONDS, no endless retry), so a request never hangs on a
dead Redis; a row whose publish failed stays unsent and the minute job «flush_task_outbox» re-publishes it
once the broker answers. A row is published under its own row lock (SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL), so the commit hook and the minute job never both send it; a publish that reached the broker but
whose mark was lost (a killed process) may still be sent twice, so every task queued here is idempotent (it
checks its BackgroundJob's state, or does set-based work that a second run finds done).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.celery import app as celery_app
from core.commit_hooks import collect_until_commit, pending_work

from .models import TaskOutbox

logger = logging.getLogger(__name__)

FLUSH_CHUNK = 100


def _outbox_key(name: str, kwargs: dict) -> tuple[str, str, str]:
    return ("task_outbox", name, json.dumps(kwargs, sort_keys=True, default=str))


def _publish(row: TaskOutbox) -> None:
    task_outbox_publish(outbox_id=row.pk)


def task_enqueue(name: str, kwargs: dict | None = None, *, using: str | None = None) -> TaskOutbox:
    """Queue the task `name` (its dotted Celery name) with JSON `kwargs` once the current transaction commits
    (at once outside a transaction); kept in the outbox until the broker took it. The same task with the same
    kwargs queued twice in one transaction is queued once (a debounce: thirty marks, one recompute)."""
    kwargs = kwargs or {}
    return collect_until_commit(
        _outbox_key(name, kwargs),
        make=lambda: TaskOutbox.objects.db_manager(using).create(task=name, kwargs=kwargs),
        fill=lambda row: None,
        run=_publish,
        using=using,
    )


def task_enqueued(name: str, kwargs: dict | None = None, *, using: str | None = None) -> bool:
    """Whether the current transaction already queued this task with these kwargs."""
    return pending_work(_outbox_key(name, kwargs or {}), using=using) is not None


def _send(row: TaskOutbox) -> None:
    if celery_app.conf.task_always_eager:  # development without a worker: run it here, as .delay() would
        celery_app.loader.import_default_modules()
        celery_app.tasks[row.task].apply(kwargs=row.kwargs)
        return
    celery_app.send_task(row.task, kwargs=row.kwargs, retry=False)


def _failed(pks: list[int], error: Exception) -> None:
    TaskOutbox.objects.filter(pk__in=pks).update(attempts=F("attempts") + 1, last_error=repr(error)[:2000])


def task_outbox_publish(*, outbox_id: int) -> bool:
    """Publish one unsent row now; False when the broker refused it (the row stays for the minute job) or
    another publisher holds or already sent it. Never raises: it runs in a request's commit hook."""
    try:
        with transaction.atomic():
            row = TaskOutbox.objects.select_for_update(skip_locked=True).filter(pk=outbox_id, sent_at=None).first()
            if row is None:
                return False
            try:
                _send(row)
            except Exception as exc:
                logger.warning("Broker unavailable: task %s stays in the outbox (%s)", row.task, exc)
                _failed([row.pk], exc)
                return False
            TaskOutbox.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
            return True
    except Exception:
        logger.exception("Could not publish outbox row %s; the minute job will", outbox_id)
        return False


def task_outbox_flush(*, limit: int | None = None) -> dict[str, int]:
    """Publish the unsent rows, oldest first, in locked chunks; stop at the first broker failure (it is down:
    the next run tries again). Returns {"sent": n, "failed": n}."""
    result = {"sent": 0, "failed": 0}
    while limit is None or result["sent"] < limit:
        with transaction.atomic():
            chunk = list(
                TaskOutbox.objects.select_for_update(skip_locked=True)
                .filter(sent_at=None)
                .order_by("created_at", "pk")[:FLUSH_CHUNK]
            )
            if not chunk:
                break
            sent, error = [], None
            for row in chunk:
                try:
                    _send(row)
                except Exception as exc:
                    error = exc
                    break
                sent.append(row.pk)
            TaskOutbox.objects.filter(pk__in=sent).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
            result["sent"] += len(sent)
            if error is not None:
                _failed([row.pk for row in chunk if row.pk not in sent], error)
                result["failed"] += len(chunk) - len(sent)
                logger.warning(
                    "Broker unavailable: %s outbox tasks wait for the next run (%s)", result["failed"], error
                )
                break
    return result


def task_outbox_pending() -> bool:
    return TaskOutbox.objects.filter(sent_at=None).exists()


def task_outbox_prune(*, now: datetime, keep_days: int) -> int:
    """Delete rows sent more than `keep_days` ago; unsent rows stay whatever their age. Returns how many."""
    deleted, _by_model = TaskOutbox.objects.filter(sent_at__lt=now - timedelta(days=keep_days)).delete()
    return deleted


def cache_bump_keep(keys: list[str]) -> None:
    """core.cache_versions' lost_bump_handler: a durable task bumps the keys once Redis is back, for the
    processes other than the one that lost the bump (docs/deploy.md, «Отказы»)."""
    task_enqueue("participants.tasks.cache_versions_bump_task", {"keys": sorted(keys)})
