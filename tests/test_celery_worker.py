import time
import uuid

import pytest
from django.db import transaction

from programs.models import Subject
from programs.tasks import ping


@pytest.mark.worker
def test_task_sent_after_commit_runs_in_a_real_worker(celery_worker_process, transactional_db):
    name = f"ping-{uuid.uuid4().hex}"
    with transaction.atomic():
        transaction.on_commit(lambda: ping.delay(name))

    deadline = time.monotonic() + 60
    while not Subject.objects.filter(name=name).exists():
        assert celery_worker_process.poll() is None, celery_worker_process.log_tail()
        assert time.monotonic() < deadline, f"no row after 60 s; worker log:\n{celery_worker_process.log_tail()}"
        time.sleep(0.2)
