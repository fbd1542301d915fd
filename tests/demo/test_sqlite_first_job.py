"""The first hourly jobs after `make run` on the embedded SQLite (a file, WAL, a busy timeout): the certificate job
and the letters' delivery run in another process while a teacher signs in and loads the cabinet again and again —
not one 500 and no «database is locked»."""

import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from activities.models import Certificate
from core.models import Notification
from tests.conftest import BASE_DIR

OWED = 80


def _manage(env, *args, timeout=600):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


def _shell(env, code, **kw):
    return _manage(env, "shell", "-c", code, **kw)


@pytest.fixture
def sqlite_env(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "on",  # as `make run` (scripts/run_dev.py) runs the portal
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    migrated = _manage(env, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    prepared = _shell(env, f"from tests.demo.sqlite_first_job_support import prepare; prepare({OWED})")
    assert prepared.returncode == 0, prepared.stderr
    return env, tmp_path / "portal.sqlite3"


def test_certificate_job_and_delivery_leave_sign_in_and_cabinet_working(sqlite_env, tmp_path):
    env, db = sqlite_env
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # set by the settings' init_command
    stop, report, started = tmp_path / "stop", tmp_path / "report.json", tmp_path / "started"
    browser = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from tests.demo.sqlite_first_job_support import browse; "
            f"browse({str(stop)!r}, {str(report)!r}, {str(started)!r})",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # The jobs start once the browser has signed in and loaded the cabinet once: they overlap its requests.
        deadline = time.monotonic() + 120
        while not started.exists():
            assert browser.poll() is None, browser.stdout.read().decode()
            assert time.monotonic() < deadline, "the browser did not sign in within 120 s"
            time.sleep(0.05)
        issued = _manage(env, "issue_certificates")
        delivered = _manage(env, "deliver_notifications")
    finally:
        stop.touch()
        out, _ = browser.communicate(timeout=120)
    assert issued.returncode == 0, issued.stdout + issued.stderr
    assert delivered.returncode == 0, delivered.stdout + delivered.stderr
    assert browser.returncode == 0, out.decode()
    seen = json.loads(report.read_text())
    assert not seen["errors"], seen["errors"]
    assert len(seen["statuses"]) >= 10, seen
    assert 500 not in seen["statuses"] and set(seen["statuses"]) <= {200, 302}, seen["statuses"]
    with sqlite3.connect(db) as con:
        certificates = con.execute(f"SELECT count(*), sum(pdf = '') FROM {Certificate._meta.db_table}").fetchone()
        pending = con.execute(
            f"SELECT count(*) FROM {Notification._meta.db_table} WHERE email_status = 'pending'"
        ).fetchone()[0]
    assert certificates == (OWED + 1, 0)
    assert pending == 0
