"""Celery tasks of the participants app: thin wrappers over services, safe to run twice."""

from celery import shared_task

from .jobs import job_run
from .notifications import notifications_deliver


@shared_task
def notifications_deliver_task() -> None:
    """Send the e-mails waiting in the notification outbox (queued after a commit and on a schedule)."""
    with job_run("deliver_notifications") as run:
        if run.skipped:
            return
        result = notifications_deliver()
        for name, n in result.items():
            run.count(name, n)
