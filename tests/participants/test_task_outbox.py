"""The task outbox (core.task_outbox): a row in the change's transaction, published after the commit,
kept while the broker is down and sent by the minute job once it is back."""

import pytest
from django.db import transaction

from config.celery import app
from core.models import TaskOutbox
from core.task_outbox import task_enqueue, task_outbox_flush, task_outbox_prune
from programs.models import Subject
from tests.faults_support import producers_reset

pytestmark = pytest.mark.django_db
PING = "programs.tasks.ping"
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens there: a broker that is down


def _broker(url: str, options: dict) -> None:
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    producers_reset()


@pytest.fixture
def broker_down(settings):
    """A Redis broker that does not answer, with production's Redis settings (short timeouts, no endless retry)."""
    previous = app.conf.broker_url, app.conf.broker_transport_options
    _broker(NOWHERE, settings.REDIS_BROKER_TRANSPORT_OPTIONS)
    yield
    _broker(*previous)


@pytest.fixture
def eager():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_the_row_is_written_with_the_change_and_published_after_the_commit(eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            row = task_enqueue(PING, {"name": "из очереди"})
            assert TaskOutbox.objects.get().sent_at is None
            assert not Subject.objects.filter(name="из очереди").exists()
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""
    assert Subject.objects.filter(name="из очереди").exists()


def test_a_rolled_back_change_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                task_enqueue(PING, {"name": "отменено"})
                raise RuntimeError
    assert not TaskOutbox.objects.exists() and not callbacks


def test_the_same_task_is_queued_once_per_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            first = task_enqueue(PING, {"name": "a"})
            assert task_enqueue(PING, {"name": "a"}) == first
            task_enqueue(PING, {"name": "b"})
    assert TaskOutbox.objects.count() == 2 and len(callbacks) == 2


def test_with_the_broker_down_the_request_goes_on_and_the_minute_job_sends_it_later(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            task_enqueue(PING, {"name": "позже"})  # the failed publish does not reach the caller
    row = TaskOutbox.objects.get()
    assert row.sent_at is None and row.attempts == 1 and "127.0.0.1:1" in row.last_error

    assert task_outbox_flush() == {"sent": 0, "failed": 1}
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 2

    app.conf.task_always_eager = True  # the broker is back (here: run in-process, as a worker would)
    try:
        assert task_outbox_flush() == {"sent": 1, "failed": 0}
    finally:
        app.conf.task_always_eager = False
    row.refresh_from_db()
    assert row.sent_at is not None and Subject.objects.filter(name="позже").exists()
    assert task_outbox_flush() == {"sent": 0, "failed": 0}  # sent once


def test_prune_keeps_unsent_rows_and_recent_ones():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old_sent = TaskOutbox.objects.create(task=PING, sent_at=now - timedelta(days=30))
    recent = TaskOutbox.objects.create(task=PING, sent_at=now - timedelta(days=1))
    unsent = TaskOutbox.objects.create(task=PING, created_at=now - timedelta(days=90))
    assert task_outbox_prune(now=now, keep_days=14) == 1
    assert set(TaskOutbox.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert not TaskOutbox.objects.filter(pk=old_sent.pk).exists()
