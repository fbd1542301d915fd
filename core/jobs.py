"""Bookkeeping of background work: the run log of scheduled jobs and the progress of long jobs.

Scheduled jobs (deadlines, reminders, certificates, the KPI snapshot) wrap their service in `job_run`, so
a coordinator sees when each last ran and what it did. Long jobs a person starts (a certificate batch, a
large export) are `BackgroundJob` rows whose progress the status page polls; the starter is notified
when one ends.

A long job holds a lease while it runs: its task claims it (`background_job_claim`), every progress report
renews the heartbeat, and the minute sweeper (`background_jobs_sweep`) takes a job whose heartbeat is older
than BACKGROUND_JOB_LEASE_SECONDS for one whose worker died — the embedded broker loses the message with
the worker, Redis hands it back only after its visibility timeout — marks it interrupted and queues its task
again, at most BACKGROUND_JOB_MAX_ATTEMPTS runs in all; then the job fails with a message saying so.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.db.models import DateTimeField, F, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_context

from .models import BackgroundJob, JobRun, Notification

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


def job_runs_close_orphans(*, now: datetime | None = None) -> int:
    """Close the scheduled runs still marked running whose process is gone, so the log stops saying
    «Выполняется» before the job's next run (which redoes the work). Returns how many.

    Only on PostgreSQL, where a free advisory lock proves nobody runs the job; the embedded default's lock is
    a per-process cache key that proves nothing about another process, so its next run closes them."""
    if connection.vendor != "postgresql":
        return 0
    closed = 0
    for job in sorted(set(JobRun.objects.filter(status=JobRun.Status.RUNNING).values_list("job", flat=True))):
        if not _lock_acquire(job):
            continue  # it runs
        try:
            closed += JobRun.objects.filter(job=job, status=JobRun.Status.RUNNING).update(
                status=JobRun.Status.FAILED,
                finished_at=now or timezone.now(),
                error=_("Прервано: процесс остановлен до окончания; следующий запуск по расписанию продолжит работу."),
            )
        finally:
            _lock_release(job)
    return closed


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


UNFINISHED = (BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING, BackgroundJob.Status.INTERRUPTED)


def background_job_create(
    *,
    kind: str,
    title: str,
    by: AbstractBaseUser | None,
    params: dict | None = None,
    total: int = 0,
    task: str = "",
    now: datetime | None = None,
) -> BackgroundJob:
    """A queued long job; queue its task in the same transaction with core.task_outbox.task_enqueue.

    `task` is the dotted name of that task (called with {"job_id": pk}): the sweeper queues it again when the
    worker running the job dies. A job without one cannot be resumed; the sweeper fails it instead."""
    return BackgroundJob.objects.create(
        kind=kind,
        title=title[:300],
        started_by=by,
        params=params or {},
        total=total,
        task=task,
        heartbeat_at=now or timezone.now(),
    )


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _worker_gone(worker: str) -> bool:
    """Whether the process that holds a job is known to be dead: only a process of this host can be asked
    (a pool child killed, a worker restarted); anyone else's lease is trusted until it lapses."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, under another user
        return False
    return False


def background_job_claim(*, job_id: int, kind: str | None = None, now: datetime | None = None) -> BackgroundJob | None:
    """Begin or resume a job in the task that was handed it; None when the job is gone, finished, or running
    in a live worker (a second delivery of its task must not run it twice at once).

    A job still marked running whose lease lapsed, or whose worker on this host is dead, is resumed here
    without waiting for the sweeper (Redis hands a killed worker's task back). Counts the attempt."""
    now = now or timezone.now()
    jobs = BackgroundJob.objects.filter(pk=job_id)
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    job = jobs.first()
    if job is None or job.is_finished:
        return None
    if job.status == BackgroundJob.Status.RUNNING:
        lapsed = _lapsed(job, now)
        if not lapsed and not _worker_gone(job.worker):
            return None
        if job.attempts >= settings.BACKGROUND_JOB_MAX_ATTEMPTS:
            return None  # the sweeper fails it and says why
    attempt = job.attempts + 1
    message = job.message
    if job.status != BackgroundJob.Status.QUEUED or job.attempts:
        message = _("Продолжается после остановки обработчика (попытка %(attempt)s из %(max)s).") % {
            "attempt": attempt,
            "max": settings.BACKGROUND_JOB_MAX_ATTEMPTS,
        }
    # Taken only if nobody took it meanwhile (the same status and count as read): no lock needed on SQLite.
    claimed = BackgroundJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
        status=BackgroundJob.Status.RUNNING,
        attempts=attempt,
        heartbeat_at=now,
        worker=_this_worker(),
        started_at=Coalesce(F("started_at"), Value(now, output_field=DateTimeField())),
        message=message,
    )
    if not claimed:
        return None
    return BackgroundJob.objects.select_related("started_by").get(pk=job.pk)


def _lapsed(job: BackgroundJob, now: datetime) -> bool:
    beat = job.heartbeat_at or job.started_at or job.created_at
    return beat < now - timedelta(seconds=settings.BACKGROUND_JOB_LEASE_SECONDS)


def background_job_progress(
    *, job_id: int, done: int, total: int | None = None, message: str | None = None, now: datetime | None = None
) -> None:
    """Report progress (outside any transaction of the job, so the status page sees it at once); renews the
    job's lease. A job that has ended (or was failed by the sweeper) is left as it is."""
    now = now or timezone.now()
    fields: dict = {"done": done, "status": BackgroundJob.Status.RUNNING, "heartbeat_at": now}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message
    unfinished = BackgroundJob.objects.filter(pk=job_id, status__in=UNFINISHED)
    updated = unfinished.filter(started_at__isnull=True).update(started_at=now, **fields)
    if not updated:
        unfinished.update(**fields)


def background_job_params_set(*, job_id: int, values: dict) -> None:
    """Keep `values` in the job's parameters (what a resumed attempt must know of the first one)."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is not None:
            job.params = {**job.params, **values}
            job.save(update_fields=["params"])


def background_job_heartbeat(*, job_id: int, now: datetime | None = None) -> None:
    """Renew the lease of a running job between progress reports (a long step with nothing to count)."""
    BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.RUNNING).update(
        heartbeat_at=now or timezone.now()
    )


def background_jobs_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Find the long jobs whose worker died and act: queue each again, marked interrupted, or fail it once
    its attempts are spent (or it names no task to queue). Returns {"requeued": n, "failed": n}.

    Dead means: running with a heartbeat older than BACKGROUND_JOB_LEASE_SECONDS, or queued (first or again)
    and untaken for BACKGROUND_JOB_QUEUE_SECONDS — its message went with a worker. A queued run never taken
    counts as an attempt too, so a job with no worker at all ends in a failure that says so."""
    from .task_outbox import task_enqueue  # it imports the Celery app

    now = now or timezone.now()
    lease = timedelta(seconds=settings.BACKGROUND_JOB_LEASE_SECONDS)
    queue_wait = timedelta(seconds=settings.BACKGROUND_JOB_QUEUE_SECONDS)
    most = settings.BACKGROUND_JOB_MAX_ATTEMPTS
    waiting = (BackgroundJob.Status.QUEUED, BackgroundJob.Status.INTERRUPTED)
    stale = list(
        BackgroundJob.objects.annotate(beat=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(
            Q(status=BackgroundJob.Status.RUNNING, beat__lt=now - lease)
            | Q(status__in=waiting, beat__lt=now - queue_wait)
        )
        .order_by("pk")
    )
    result = {"requeued": 0, "failed": 0}
    for job in stale:
        running = job.status == BackgroundJob.Status.RUNNING
        # A run begun was counted when it began; a queued run that no worker took is counted now.
        attempts = job.attempts if running else job.attempts + 1
        if not job.task or attempts >= most:
            if not job.task:
                message = _("Не выполнено: обработчик остановился. Запустите операцию ещё раз.")
            elif running or job.started_at:
                message = _(
                    "Не выполнено: обработчик останавливался, попыток: %(attempts)s. Запустите операцию ещё раз."
                ) % {"attempts": attempts}
            else:
                message = _("Не выполнено: ни один обработчик не взял задание. Запустите операцию ещё раз.")
            with transaction.atomic():
                # Only if no worker reported or took it since it was read.
                if _still(job).update(attempts=attempts):
                    background_job_finish(job_id=job.pk, failed=True, message=message)
                    result["failed"] += 1
            continue
        status = BackgroundJob.Status.INTERRUPTED if running or job.started_at else BackgroundJob.Status.QUEUED
        if status == BackgroundJob.Status.INTERRUPTED:
            message = _(
                "Прервано: обработчик остановился; задание будет продолжено автоматически "
                "(попытка %(attempt)s из %(max)s)."
            ) % {"attempt": attempts + 1, "max": most}
        else:
            message = _(
                "Задание не было взято в работу; оно поставлено в очередь ещё раз (попытка %(attempt)s из %(max)s)."
            ) % {"attempt": attempts + 1, "max": most}
        with transaction.atomic():
            if _still(job).update(status=status, attempts=attempts, heartbeat_at=now, message=message):
                task_enqueue(job.task, {"job_id": job.pk})
                result["requeued"] += 1
                logger.warning("Background job %s (%s): worker lost, queued again", job.pk, job.kind)
    return result


def _still(job: BackgroundJob):
    """The job's row as long as nobody changed its state since `job` was read."""
    return BackgroundJob.objects.filter(
        pk=job.pk, status=job.status, attempts=job.attempts, heartbeat_at=job.heartbeat_at
    )


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
