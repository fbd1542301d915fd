"""Celery tasks of the programs app."""

from celery import shared_task

from programs.models import Subject


@shared_task
def ping(name: str) -> None:
    """Prove a worker is alive end to end: leave a row the sender can see. Safe to run twice."""
    Subject.objects.get_or_create(name=name[:120])
