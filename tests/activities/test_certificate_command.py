"""`manage.py issue_certificates`: the operator's command, and a run killed half-way then started again."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from activities.models import Certificate
from core.models import JobRun
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.conftest import BASE_DIR, database_url
from tests.factories import EnrollmentFactory, SeasonFactory


@pytest.mark.django_db
def test_command_issues_and_a_second_run_changes_nothing(capsys):
    season = SeasonFactory()
    one, other = activity_with_sessions(season), activity_with_sessions(season)
    for _ in range(2):
        enrollment = EnrollmentFactory(season=season)
        attend(enrollment, one, 1)
        attend(enrollment, other, 1)

    call_command("issue_certificates", "--activity", str(one.pk), "--batch-size", "1")
    assert Certificate.objects.filter(activity=one).count() == 2 and Certificate.objects.count() == 2
    call_command("issue_certificates", "--season", str(season.pk))
    call_command("issue_certificates")

    assert Certificate.objects.count() == 4
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    assert "Выдано сертификатов: 0 из 0." in capsys.readouterr().out
    run = JobRun.objects.filter(job="issue_certificates").first()
    assert run.trigger == JobRun.Trigger.COMMAND and run.status == JobRun.Status.SUCCESS


@pytest.mark.django_db
def test_command_rejects_unknown_ids():
    with pytest.raises(CommandError, match="не найден"):
        call_command("issue_certificates", "--season", "999999")
    with pytest.raises(CommandError, match="не найдено"):
        call_command("issue_certificates", "--activity", "999999")


OWED = 30
BATCH = 5


@pytest.fixture
def command(settings, tmp_path):
    """command() starts `issue_certificates` in another process, its output to a file (a pipe nobody reads would
    block it once full); (process, log path). Whatever the test's end, no process outlives it: one left holding
    its transaction would block the test database's flush for good."""
    started = []
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connections["default"].settings_dict),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }

    def start():
        log = tmp_path / f"run{len(started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "issue_certificates", "--batch-size", str(BATCH)],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append(process)
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_killed_in_the_middle_then_run_again_leaves_no_duplicate_and_no_gap(command):
    if connections["default"].vendor != "postgresql":
        pytest.skip("a second process writing to the test database needs PostgreSQL")
    season = SeasonFactory()
    activity = activity_with_sessions(season)
    for _ in range(OWED):
        attend(EnrollmentFactory(season=season), activity, 1)

    process, log = command()
    deadline = time.monotonic() + 120
    while Certificate.objects.count() < BATCH:  # the first batch is committed
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the first batch did not commit in time"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = Certificate.objects.count()
    assert killed_at % BATCH == 0, "a batch was committed in part"
    assert killed_at < OWED, "the run finished before it was killed; nothing was tested"
    # The killed run's lock was a PostgreSQL session lock and died with it: the restart goes ahead at once.

    again, log = command()
    again.wait(timeout=300)
    assert again.returncode == 0, log.read_text()

    certificates = list(Certificate.objects.order_by("sequence"))
    assert [c.sequence for c in certificates] == list(range(1, OWED + 1))
    assert len({c.enrollment_id for c in certificates}) == OWED
    for certificate in certificates:
        assert certificate.number.endswith(f"-{certificate.sequence:06d}")
        data = certificate.pdf.open("rb").read()
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
        assert certificate.pdf.name.endswith(f"/{certificate.number}.pdf")
    # The log says the killed run was interrupted and the restart finished the work.
    runs = list(JobRun.objects.filter(job="issue_certificates").order_by("pk").values_list("status", flat=True))
    assert runs == [JobRun.Status.FAILED, JobRun.Status.SUCCESS]
