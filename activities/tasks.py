"""Celery tasks of the activities app: thin wrappers over services, safe to run twice."""

from celery import shared_task

from .deadlines import check_deadlines_job


@shared_task(name="activities.tasks.check_deadlines_task")
def check_deadlines_task() -> dict:
    """Every 15 minutes: late submissions, missed video lessons, default marks, then the exclusion rules."""
    run = check_deadlines_job()
    return run.summary
