"""Celery tasks of the infrastructure: the e-mail outbox, the job log's pruning, the task outbox and the long
jobs' sweeper, the replay of lost cache-version bumps. Thin wrappers over core's services, safe to run twice.

The tasks were the participants app's: each keeps its registered name (`name=`), so messages already queued
and the beat schedule (settings.CELERY_BEAT_SCHEDULE) find them after an upgrade.
"""

from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .cache_versions import bump_versions
from .jobs import JobRecorder, background_jobs_sweep, job_run, job_runs_close_orphans, job_runs_prune
from .models import JobRun
from .notifications import notifications_deliver
from .outgoing_emails import outgoing_emails_deliver
from .tables import stashed_tables_prune
from .task_outbox import task_outbox_flush, task_outbox_pending, task_outbox_prune

# Sent rows of the task outbox are kept this long (to look into a duplicate or a lost task); unsent ones stay.
TASK_OUTBOX_KEEP_DAYS = 14


def deliver_notifications_job(*, trigger: str = JobRun.Trigger.SCHEDULE) -> JobRecorder:
    """Send both e-mail outboxes (the notifications' and the letters to addresses) under the job log; the recorder says what was done (or that another run holds it)."""
    with job_run("deliver_notifications", trigger=trigger) as run:
        if run.skipped:
            return run
        result = notifications_deliver()
        for name, n in result.items():
            run.count(name, n)
        run.say(
            _("Писем отправлено: %(sent)d, с ошибкой: %(failed)d, без адреса: %(skipped)d.")
            % {"sent": result["sent"], "failed": result["failed"], "skipped": result["skipped"]}
        )
        # The letters to addresses (confirmations, invitations, status letters, password resets).
        letters = outgoing_emails_deliver()
        run.count("letters_sent", letters["sent"])
        run.count("letters_failed", letters["failed"])
        run.say(
            _("Писем на адреса отправлено: %(sent)d, с ошибкой: %(failed)d.")
            % {"sent": letters["sent"], "failed": letters["failed"]}
        )
    return run


@shared_task(name="participants.tasks.notifications_deliver_task")
def notifications_deliver_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Send the e-mails waiting in the notification outbox and the letters outbox (queued after a commit and on a
    schedule)."""
    deliver_notifications_job(trigger=trigger)


@shared_task(name="participants.tasks.job_runs_prune_task")
def job_runs_prune_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Keep the job log short (runs older than JOB_RUNS_KEEP_DAYS go, the last run of every job stays) and remove
    the files of imports nobody finished."""
    with job_run("prune_job_runs", trigger=trigger) as run:
        if run.skipped:
            return
        keep_days = settings.JOB_RUNS_KEEP_DAYS
        deleted = job_runs_prune(now=timezone.now(), keep_days=keep_days)
        run.count("deleted", deleted)
        run.say(_("Удалено записей журнала старше %(days)s дн.: %(n)s") % {"days": keep_days, "n": deleted})
        previews = stashed_tables_prune(now=timezone.now())
        run.count("import_previews", previews)
        run.say(_("Удалено файлов незавершённых импортов: %(n)s") % {"n": previews})
        outbox = task_outbox_prune(now=timezone.now(), keep_days=TASK_OUTBOX_KEEP_DAYS)
        run.count("task_outbox", outbox)
        run.say(_("Удалено отправленных задач из очереди отправки: %(n)s") % {"n": outbox})


def flush_task_outbox_job(*, trigger: str = JobRun.Trigger.SCHEDULE, now: datetime | None = None) -> JobRecorder | None:
    """Queue again the long jobs whose worker died (core.jobs.background_jobs_sweep), then re-publish
    the tasks a broker outage kept in the outbox. Logged only when there was something to do: a run every
    minute with nothing to do would drown the job log."""
    # Outside the job's lock: a sweep changes a job only if nobody touched it since it was read.
    swept = background_jobs_sweep(now=now)
    swept["runs_closed"] = job_runs_close_orphans(now=now)
    if trigger == JobRun.Trigger.SCHEDULE and not task_outbox_pending() and not any(swept.values()):
        return None
    with job_run("flush_task_outbox", trigger=trigger) as run:
        if run.skipped:
            return run
        if swept["requeued"] or swept["failed"]:
            run.count("jobs_requeued", swept["requeued"])
            run.count("jobs_failed", swept["failed"])
            run.say(
                _("Длительных операций, чей обработчик остановился: продолжено %(requeued)d, прекращено %(failed)d.")
                % swept
            )
        if swept["runs_closed"]:
            run.count("runs_closed", swept["runs_closed"])
            run.say(_("Закрыто запусков, прерванных остановкой процесса: %(n)d.") % {"n": swept["runs_closed"]})
        result = task_outbox_flush()
        run.count("sent", result["sent"])
        run.count("failed", result["failed"])
        run.say(
            _("Передано в очередь задач: %(sent)d, ждут брокера: %(failed)d.")
            % {"sent": result["sent"], "failed": result["failed"]}
        )
    return run


@shared_task(name="participants.tasks.flush_task_outbox_task")
def flush_task_outbox_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Every minute: resume the long jobs whose worker died and send the queued tasks the broker could not take
    when they were queued."""
    flush_task_outbox_job(trigger=trigger)


@shared_task(name="participants.tasks.cache_versions_bump_task")
def cache_versions_bump_task(keys: list[str]) -> None:
    """Bump the data versions whose bump a cache outage swallowed (core.cache_versions). Safe to run twice."""
    bump_versions(keys)
