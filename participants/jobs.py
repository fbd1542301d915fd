"""Bookkeeping of background work: the run log of scheduled jobs and the progress of long jobs.

Scheduled jobs (deadlines, reminders, certificates, the KPI snapshot) wrap their service in `job_run`, so
a coordinator sees when each last ran and what it did. Long jobs a person starts (a certificate batch, a
large export) are `BackgroundJob` rows whose progress the status page polls; the starter is notified
when one ends.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.db.models import Max, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.history import history_context

from .models import BackgroundJob, JobRun, Notification, User

logger = logging.getLogger(__name__)

# Without PostgreSQL (the embedded default) the lock is a cache key; a killed run's key lapses after this.
JOB_LOCK_SECONDS = 30 * 60
# Job names whose PostgreSQL advisory lock this process holds: the lock is re-entrant per connection,
# so a nested run in the same process must be refused here.
_held_advisory: set[str] = set()
_held_guard = threading.Lock()


def _advisory_key(job: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_lock."""
    return int.from_bytes(hashlib.sha256(f"job-run:{job}".encode()).digest()[:8], "big", signed=True)


def _lock_acquire(job: str) -> bool:
    """One run of a job at a time across every worker and command.

    On PostgreSQL a session advisory lock: it dies with the process, so a worker killed mid-run does not
    block the restarted one. Elsewhere a cache key with a time limit.
    """
    if connection.vendor != "postgresql":
        return cache.add(f"job-run-lock:{job}", "1", JOB_LOCK_SECONDS)
    with _held_guard:
        if job in _held_advisory:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key(job)])
            acquired = bool(cursor.fetchone()[0])
        if acquired:
            _held_advisory.add(job)
        return acquired


def _lock_release(job: str) -> None:
    if connection.vendor != "postgresql":
        cache.delete(f"job-run-lock:{job}")
        return
    with _held_guard:
        _held_advisory.discard(job)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(job)])
        except Exception:  # the connection is gone, and the session lock with it
            logger.warning("Could not release the lock of job %s", job, exc_info=True)


@dataclass
class JobRecorder:
    """What a running job reports: counts by name and a sentence in Russian for the log."""

    run: JobRun | None
    summary: dict = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return self.run is not None and self.run.status == JobRun.Status.SKIPPED

    def count(self, name: str, n: int = 1) -> None:
        self.summary[name] = self.summary.get(name, 0) + n

    def say(self, line: str) -> None:
        self.lines.append(line)


def _job_reason(job: str) -> str:
    from .job_schedule import job_title  # it imports this module (and the Celery app)

    title = job_title(job)
    return _("задача: %(job)s") % {"job": title[:1].lower() + title[1:]}


@contextmanager
def job_run(job: str, *, trigger: str = JobRun.Trigger.SCHEDULE) -> Iterator[JobRecorder]:
    """Log a run of `job`: a row saying it started (committed at once), then how it ended and what it did.

    A second run while one is in progress is logged as skipped and its body must not run: check
    `recorder.skipped`. A failure is logged with its traceback and raised again for Celery to see.
    """
    if not _lock_acquire(job):
        run = JobRun.objects.create(job=job, trigger=trigger, status=JobRun.Status.SKIPPED, finished_at=timezone.now())
        yield JobRecorder(run)
        return
    # Holding the lock, any run still marked as running was killed half-way: say so in the log.
    JobRun.objects.filter(job=job, status=JobRun.Status.RUNNING).update(
        status=JobRun.Status.FAILED,
        finished_at=timezone.now(),
        error=_("Прервано: процесс остановлен до окончания; следующий запуск продолжил работу."),
    )
    run = JobRun.objects.create(job=job, trigger=trigger)
    recorder = JobRecorder(run)
    try:
        # The audit trail names the job as the reason for every change it makes without a person behind it.
        with history_context(reason=_job_reason(job)):
            yield recorder
    except BaseException as exc:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            summary=recorder.summary,
            message="\n".join(recorder.lines),
            error="".join(traceback.format_exception(exc))[-20000:],
        )
        raise
    else:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.SUCCESS,
            finished_at=timezone.now(),
            summary=recorder.summary,
            message="\n".join(recorder.lines),
        )
    finally:
        _lock_release(job)


def job_last_runs() -> dict[str, JobRun]:
    """The latest run of every job that ever ran, by job name: one query."""
    latest = JobRun.objects.values("job").annotate(last=Max("pk")).values("last")
    return {run.job: run for run in JobRun.objects.filter(pk__in=Subquery(latest))}


def job_runs_prune(*, now: datetime, keep_days: int) -> int:
    """Delete runs older than `keep_days`, except the last run of each job whatever its age. Returns how many."""
    latest = JobRun.objects.values("job").annotate(last=Max("pk")).values("last")
    old = JobRun.objects.filter(started_at__lt=now - timedelta(days=keep_days)).exclude(pk__in=Subquery(latest))
    deleted, _by_model = old.delete()
    return deleted


# --- Long jobs a person started ------------------------------------------------------------------------


def background_job_create(
    *, kind: str, title: str, by: User | None, params: dict | None = None, total: int = 0
) -> BackgroundJob:
    """A queued long job; queue its task in the same transaction with participants.task_outbox.task_enqueue."""
    return BackgroundJob.objects.create(kind=kind, title=title[:300], started_by=by, params=params or {}, total=total)


def background_job_progress(
    *, job_id: int, done: int, total: int | None = None, message: str | None = None, now: datetime | None = None
) -> None:
    """Report progress (outside any transaction of the job, so the status page sees it at once)."""
    fields: dict = {"done": done, "status": BackgroundJob.Status.RUNNING}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message
    updated = BackgroundJob.objects.filter(pk=job_id, started_at__isnull=True).update(
        started_at=now or timezone.now(), **fields
    )
    if not updated:
        BackgroundJob.objects.filter(pk=job_id).update(**fields)


def background_job_finish(
    *,
    job_id: int,
    failed: bool = False,
    message: str = "",
    result_name: str = "",
    result_content: bytes | None = None,
    result_file: File | None = None,
    result_url: str = "",
) -> BackgroundJob | None:
    """End a long job, attach its result and notify the person who started it.

    The result is bytes (`result_content`), an open file streamed into storage in chunks (`result_file`, for
    a large export written to a temporary file) or a link in the portal (`result_url`).
    """
    job = BackgroundJob.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None:
        return None
    now = timezone.now()
    job.status = BackgroundJob.Status.FAILED if failed else BackgroundJob.Status.DONE
    job.finished_at = now
    job.started_at = job.started_at or now
    job.message = message
    job.result_url = result_url[:500]
    if not failed and job.total and job.done < job.total:
        job.done = job.total
    if result_content is not None:
        result_file = ContentFile(result_content)
    if result_file is not None:
        job.result_file.save(result_name or f"job-{job.pk}", result_file, save=False)
    job.save()
    if job.started_by_id:
        from .notifications import NotificationDraft, notifications_create

        if failed:
            title = _("Не выполнено: %(title)s") % {"title": job.title}
        else:
            title = _("Готово: %(title)s") % {"title": job.title}
        with transaction.atomic():
            notifications_create(
                drafts=[
                    NotificationDraft(
                        user_id=job.started_by_id,
                        kind=Notification.Kind.JOB,
                        title=title,
                        body=message,
                        url=reverse("background_job", args=[job.pk]),
                        dedupe_key=f"job:{job.pk}",
                    )
                ]
            )
    return job
