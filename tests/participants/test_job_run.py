"""core.jobs.job_run: the run log of scheduled jobs, its lock and its failure record."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from core.jobs import job_last_runs, job_run, job_runs_close_orphans
from core.models import JobRun
from tests.conftest import database_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_leftover_locks():
    cache.delete_many(["job-run-lock:demo", "job-run-lock:other"])
    yield
    cache.delete_many(["job-run-lock:demo", "job-run-lock:other"])


def test_a_run_records_its_counts_and_message():
    with job_run("demo", trigger=JobRun.Trigger.COMMAND) as run:
        assert not run.skipped
        run.count("late", 2)
        run.count("late")
        run.say("Отмечено с опозданием: 3")

    row = JobRun.objects.get()
    assert row.job == "demo"
    assert row.trigger == JobRun.Trigger.COMMAND
    assert row.status == JobRun.Status.SUCCESS
    assert row.summary == {"late": 3}
    assert row.message == "Отмечено с опозданием: 3"
    assert row.finished_at >= row.started_at


def test_a_failure_is_logged_with_its_traceback_and_raised_again():
    with pytest.raises(ZeroDivisionError), job_run("demo") as run:
        run.count("done")
        1 / 0  # noqa: B018

    row = JobRun.objects.get()
    assert row.status == JobRun.Status.FAILED
    assert row.summary == {"done": 1}
    assert "ZeroDivisionError" in row.error
    # The lock is released: the next run goes ahead.
    with job_run("demo") as run:
        assert not run.skipped


def test_a_second_run_while_one_holds_the_lock_is_logged_as_skipped():
    with job_run("demo") as first:
        assert not first.skipped
        with job_run("demo") as second:
            assert second.skipped
        # Another job is not blocked by this one's lock.
        with job_run("other") as third:
            assert not third.skipped

    statuses = sorted(JobRun.objects.filter(job="demo").values_list("status", flat=True))
    assert statuses == [JobRun.Status.SKIPPED, JobRun.Status.SUCCESS]


def test_last_runs_gives_the_latest_run_of_each_job_in_one_query(django_assert_num_queries):
    for _ in range(3):
        with job_run("demo"):
            pass
    with job_run("other"):
        pass
    latest_demo = JobRun.objects.filter(job="demo").order_by("-pk").first()

    with django_assert_num_queries(1):
        latest = job_last_runs()

    assert set(latest) == {"demo", "other"}
    assert latest["demo"].pk == latest_demo.pk


def test_a_run_left_running_by_a_killed_process_is_closed_by_the_next_run():
    killed = JobRun.objects.create(job="demo")  # the row a killed worker never finished

    with job_run("demo") as run:
        assert not run.skipped

    killed.refresh_from_db()
    assert killed.status == JobRun.Status.FAILED
    assert killed.finished_at is not None
    assert "Прервано" in killed.error
    assert JobRun.objects.filter(job="demo", status=JobRun.Status.SUCCESS).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_lock_of_a_killed_process_does_not_block_the_next_run(tmp_path):
    """On PostgreSQL the lock is a session advisory lock: it dies with the process that held it."""
    if connection.vendor != "postgresql":
        pytest.skip("the cache lock of the embedded default lapses by time instead")
    script = (
        "import django, time; django.setup()\n"
        "from core.jobs import job_run\n"
        "with job_run('demo') as run:\n"
        "    print('holding', flush=True); time.sleep(60)\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    holder = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True, cwd=settings.BASE_DIR
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with job_run("demo") as run:
            assert run.skipped  # the other process holds it
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        time.sleep(0.5)
        with job_run("demo") as run:
            assert not run.skipped
    finally:
        if holder.poll() is None:
            holder.kill()
    statuses = list(JobRun.objects.filter(job="demo").order_by("pk").values_list("status", flat=True))
    assert statuses == [JobRun.Status.FAILED, JobRun.Status.SKIPPED, JobRun.Status.SUCCESS]


def test_the_sweeper_closes_a_run_whose_process_is_gone_and_leaves_a_live_one():
    """On PostgreSQL a free advisory lock proves the run's process is gone; the log stops saying «Выполняется»
    without waiting for the job's next run. Elsewhere it proves nothing, and nothing is closed."""
    killed = JobRun.objects.create(job="demo")
    with job_run("other"):
        live = JobRun.objects.get(job="other", status=JobRun.Status.RUNNING)
        closed = job_runs_close_orphans()
        live.refresh_from_db()
        assert live.status == JobRun.Status.RUNNING
    killed.refresh_from_db()
    if connection.vendor == "postgresql":
        assert closed == 1 and killed.status == JobRun.Status.FAILED and killed.finished_at is not None
        assert killed.error == (
            "Прервано: процесс остановлен до окончания; следующий запуск по расписанию продолжит работу."
        )
    else:
        assert closed == 0 and killed.status == JobRun.Status.RUNNING
