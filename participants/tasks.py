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

from .imports import stashed_tables_prune
from .jobs import JobRecorder, job_run, job_runs_prune
from .models import JobRun
from .notifications import notifications_deliver
from .reminders import reminders_send, reminders_summary


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
    """Nightly: erasures after a withdrawn consent, and anonymisation of applicants past PD_RETENTION_DAYS."""
    personal_data_retention_job(trigger=trigger)
