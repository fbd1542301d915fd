"""Celery tasks of the participants app: thin wrappers over services, safe to run twice.

The scheduled jobs are also run by hand through management commands; both go through the functions
below so that every run lands in the job log (JobRun) with its trigger (schedule, command or manual: the
coordinator's «Запустить сейчас» passes it).
"""

from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.cache_versions import bump_versions

from .imports import stashed_tables_prune
from .jobs import JobRecorder, background_jobs_sweep, job_run, job_runs_close_orphans, job_runs_prune
from .models import JobRun
from .notifications import notifications_deliver
from .reminders import reminders_send, reminders_summary
from .task_outbox import task_outbox_flush, task_outbox_pending, task_outbox_prune

# Sent rows of the task outbox are kept this long (to look into a duplicate or a lost task); unsent ones stay.
TASK_OUTBOX_KEEP_DAYS = 14


def deliver_notifications_job(*, trigger: str = JobRun.Trigger.SCHEDULE) -> JobRecorder:
    """Send the outbox under the job log; the recorder says what was done (or that another run holds it)."""
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
    return run


def send_reminders_job(*, trigger: str = JobRun.Trigger.SCHEDULE, now: datetime | None = None) -> JobRecorder:
    """Send the reminders due now under the job log, counted by source (video, review…)."""
    with job_run("send_reminders", trigger=trigger) as run:
        if run.skipped:
            return run
        sent = reminders_send(now=now or timezone.now())
        for name, n in sent.items():
            run.count(name, n)
        run.say(reminders_summary(sent))
    return run


@shared_task
def notifications_deliver_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Send the e-mails waiting in the notification outbox (queued after a commit and on a schedule)."""
    deliver_notifications_job(trigger=trigger)


@shared_task
def send_reminders_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Hourly: reminders before due dates to teachers (video lessons) and experts (reviews)."""
    send_reminders_job(trigger=trigger)


@shared_task
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
    """Queue again the long jobs whose worker died (participants.jobs.background_jobs_sweep), then re-publish
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


@shared_task
def flush_task_outbox_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Every minute: resume the long jobs whose worker died and send the queued tasks the broker could not take
    when they were queued."""
    flush_task_outbox_job(trigger=trigger)


@shared_task
def cache_versions_bump_task(keys: list[str]) -> None:
    """Bump the data versions whose bump a cache outage swallowed (programs.cache_versions). Safe to run twice."""
    bump_versions(keys)


def personal_data_retention_job(*, trigger: str = JobRun.Trigger.SCHEDULE, now: datetime | None = None) -> JobRecorder:
    """Destroy the personal data the portal may no longer keep (participants.retention), under the job log."""
    from .retention import personal_data_retention_run

    with job_run("personal_data_retention", trigger=trigger) as run:
        if run.skipped:
            return run
        outcome = personal_data_retention_run(now=now or timezone.now())
        run.count("withdrawn_consent", len(outcome.withdrawn))
        run.count("retention_expired", len(outcome.expired))
        run.count("consent_renewed", len(outcome.consent_renewed))
        run.say(
            _(
                "Обезличено после отзыва согласия: %(withdrawn)d, по истечении срока хранения: %(expired)d; "
                "запросов закрыто без удаления (согласие дано снова): %(renewed)d."
            )
            % {
                "withdrawn": len(outcome.withdrawn),
                "expired": len(outcome.expired),
                "renewed": len(outcome.consent_renewed),
            }
        )
    return run


@shared_task
def personal_data_retention_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Nightly: erasures after a withdrawn consent, and anonymisation of applicants past PERSONAL_DATA_RETENTION_DAYS."""
    personal_data_retention_job(trigger=trigger)


@shared_task
def import_job_task(job_id: int) -> None:
    """Check (and, when confirmed, import) a large spreadsheet import; a finished job is left alone."""
    from .import_jobs import import_job_run

    import_job_run(job_id=job_id)
