"""participants.jobs.job_run: the run log of scheduled jobs, its lock and its failure record."""

import pytest
from django.core.cache import cache

from participants.jobs import job_last_runs, job_run
from participants.models import JobRun

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
