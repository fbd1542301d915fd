"""Celery tasks of the participants app: thin wrappers over services, safe to run twice.

The scheduled jobs are also run by hand through management commands; both go through the functions
below so that every run lands in the job log (JobRun) with its trigger (schedule, command or manual: the
coordinator's «Запустить сейчас» passes it).
"""

from datetime import datetime

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import JobRecorder, job_run
from core.models import JobRun

from .reminders import reminders_send, reminders_summary


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
def send_reminders_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Hourly: reminders before due dates to teachers (video lessons) and experts (reviews)."""
    send_reminders_job(trigger=trigger)


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


@shared_task
def import_job_task(job_id: int) -> None:
    """Check (and, when confirmed, import) a large spreadsheet import; a finished job is left alone."""
    from .import_jobs import import_job_run

    import_job_run(job_id=job_id)
