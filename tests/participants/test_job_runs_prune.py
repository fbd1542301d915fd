"""job_runs_prune and its task: old runs go, the last run of each job stays whatever its age."""

import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from core.jobs import job_runs_prune
from core.models import JobRun, TaskOutbox
from core.tables import Table, table_stash
from core.tasks import job_runs_prune_task

pytestmark = pytest.mark.django_db


def _run(job: str, days_ago: int) -> JobRun:
    return JobRun.objects.create(
        job=job, status=JobRun.Status.SUCCESS, started_at=timezone.now() - timedelta(days=days_ago)
    )


def test_old_runs_go_and_the_last_of_each_job_stays():
    now = timezone.now()
    very_old = _run("check_deadlines", 400)
    old = _run("check_deadlines", 200)
    recent = _run("check_deadlines", 10)
    lone_old = _run("issue_certificates", 365)  # the only run of its job: kept however old
    old_reminder, last_reminder = _run("send_reminders", 300), _run("send_reminders", 190)

    assert job_runs_prune(now=now, keep_days=180) == 3
    assert set(JobRun.objects.values_list("pk", flat=True)) == {recent.pk, lone_old.pk, last_reminder.pk}
    assert not JobRun.objects.filter(pk__in=[very_old.pk, old.pk, old_reminder.pk]).exists()
    # Safe to run twice: nothing more to delete.
    assert job_runs_prune(now=now, keep_days=180) == 0


def test_task_logs_its_own_run(settings, tmp_path):
    settings.JOB_RUNS_KEEP_DAYS = 30
    settings.MEDIA_ROOT = tmp_path / "media"
    _run("check_deadlines", 40)
    _run("check_deadlines", 1)
    abandoned = table_stash(Table(headers=["ФИО"]))  # an import nobody finished two days ago
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(abandoned), (two_days_ago, two_days_ago))
    # The task outbox: a row sent long ago goes, a row never sent stays however old (it still has to be sent).
    long_ago = timezone.now() - timedelta(days=40)
    TaskOutbox.objects.create(task="t.sent", created_at=long_ago, sent_at=long_ago, attempts=1)
    waiting = TaskOutbox.objects.create(task="t.waiting", created_at=long_ago, attempts=3)
    job_runs_prune_task(trigger=JobRun.Trigger.MANUAL)
    run = JobRun.objects.get(job="prune_job_runs")
    assert run.status == JobRun.Status.SUCCESS and run.trigger == JobRun.Trigger.MANUAL
    assert run.summary == {"deleted": 1, "import_previews": 1, "task_outbox": 1}
    assert list(TaskOutbox.objects.all()) == [waiting]
    assert not default_storage.exists(abandoned)
    assert "30" in run.message and "1" in run.message
    assert JobRun.objects.filter(job="check_deadlines").count() == 1


def test_command_runs_it_as_the_operator(capsys):
    _run("check_deadlines", 400)
    _run("check_deadlines", 2)
    call_command("prune_job_runs")
    run = JobRun.objects.get(job="prune_job_runs")
    assert run.trigger == JobRun.Trigger.COMMAND and run.summary == {
        "deleted": 1,
        "import_previews": 0,
        "task_outbox": 0,
    }
    out = capsys.readouterr().out
    assert "prune_job_runs: Выполнено (deleted=1, import_previews=0, task_outbox=0)" in out
