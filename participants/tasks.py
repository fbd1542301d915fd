"""Celery tasks of the participants app: thin wrappers over services, safe to run twice.

Scheduled tasks take `trigger` (schedule, command or manual): the coordinator's «Запустить сейчас» passes it.
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .jobs import job_run, job_runs_prune
from .models import JobRun
from .notifications import notifications_deliver


@shared_task
def notifications_deliver_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Send the e-mails waiting in the notification outbox (queued after a commit and on a schedule)."""
    with job_run("deliver_notifications", trigger=trigger) as run:
        if run.skipped:
            return
        result = notifications_deliver()
        for name, n in result.items():
            run.count(name, n)


@shared_task
def job_runs_prune_task(trigger: str = JobRun.Trigger.SCHEDULE) -> None:
    """Keep the job log short: runs older than JOB_RUNS_KEEP_DAYS go, the last run of every job stays."""
    with job_run("prune_job_runs", trigger=trigger) as run:
        if run.skipped:
            return
        keep_days = settings.JOB_RUNS_KEEP_DAYS
        deleted = job_runs_prune(now=timezone.now(), keep_days=keep_days)
        run.count("deleted", deleted)
        run.say(_("Удалено записей журнала старше %(days)s дн.: %(n)s") % {"days": keep_days, "n": deleted})
