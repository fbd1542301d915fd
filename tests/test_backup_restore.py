"""Backups restore (docs/deploy.md, scripts/backup.sh and scripts/restore.sh): the test database, with a program and
a teacher in it, is dumped by backup.sh, restored by `restore.sh --new-database` into a fresh database, and the
portal — gunicorn, as in production — then serves that database: the home page, the program page, the login and
the teacher's cabinet with their data; `migrate --check` finds nothing to apply.

PostgreSQL only (pg_dump/pg_restore): CI runs the suite on the throwaway PostgreSQL of scripts/test_services.py
and fails when it cannot, so this test runs there; the plain SQLite run skips it.
"""

from __future__ import annotations

import glob
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from participants.models import Enrollment
from programs.models import Program
from tests.conftest import database_url
from tests.factories import PASSWORD, EnrollmentFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)


def pg_tools_dir(server_major: int) -> Path:
    """pg_dump and pg_restore no older than the server: the server's own major version first (Debian installs each
    under /usr/lib/postgresql/<major>/bin), then whatever PATH gives (as scripts/test_services.py finds initdb)."""
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin")]
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    for bindir in candidates:
        if not ((bindir / "pg_dump").exists() and (bindir / "pg_restore").exists() and (bindir / "createdb").exists()):
            continue
        version = subprocess.run([bindir / "pg_dump", "--version"], capture_output=True, text=True).stdout
        found = re.search(r"(\d+)(?:\.\d+)?", version)
        if found and int(found.group(1)) >= server_major:
            return bindir
    pytest.fail(f"no pg_dump/pg_restore/createdb of PostgreSQL {server_major} or newer")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """urllib with cookies, not following redirects: enough to sign in through the real login form."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within 60 s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def world():
    season = SeasonFactory(program__title="Школа молодого педагога", program__slug="school-young-teacher")
    # The gunicorn below runs with the production hashers only, not the tests' fast MD5 (tests/conftest.py).
    user = UserFactory(email="restored.teacher@school.ru")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    person = PersonFactory(user=user, last_name="Восстановленная", first_name="Ольга", email=user.email)
    EnrollmentFactory(person=person, season=season, status=Enrollment.Status.ACTIVE)
    return {"program": season.program, "person": person}


@pytest.fixture
def restored_name():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore need PostgreSQL: run through scripts/test_services.py (CI does)")
    name = f"restored_{os.getpid()}_{int(time.time())}"
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restores_into_a_fresh_database_that_the_portal_serves(restored_name, world, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    db = connection.settings_dict
    tools = pg_tools_dir(server_major)
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
        "PG_EXEC": "",  # the tools run here, against the test run's server, instead of in the compose service
        "MEDIA": "0",
        "PGHOST": db.get("HOST") or "localhost",
        "PGPORT": str(db.get("PORT") or 5432),
        "PGPASSWORD": db.get("PASSWORD") or "",
        "POSTGRES_USER": db["USER"],
        "POSTGRES_DB": db["NAME"],
    }

    backup = subprocess.run(
        ["sh", ROOT / "scripts/backup.sh", tmp_path / "backup"], env=env, capture_output=True, text=True
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.split()[0])
    assert dump.name.startswith("metodportal-") and dump.suffix == ".dump" and dump.stat().st_size > 0
    assert not list((tmp_path / "backup").glob("*.part"))

    # Changed after the backup: the portal must show the backup's data, not the live database's.
    Program.objects.filter(pk=world["program"].pk).update(title="Изменено после резервной копии")

    restore = subprocess.run(
        ["sh", ROOT / "scripts/restore.sh", "--new-database", restored_name, dump],
        env=env,
        capture_output=True,
        text=True,
    )
    assert restore.returncode == 0, restore.stderr
    again = subprocess.run(
        ["sh", ROOT / "scripts/restore.sh", "--new-database", restored_name, dump], env=env, capture_output=True
    )
    assert again.returncode != 0  # never restores over an existing database in this mode

    portal_env = {
        **os.environ,
        "DATABASE_URL": database_url({**db, "NAME": restored_name}),
        "REDIS_URL": "",
        "DEBUG": "on",  # whitenoise serves the static files from the finders: no collectstatic needed
        "VAR_DIR": str(tmp_path / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "on",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=portal_env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr

    port = free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--timeout", "60"],
            cwd=ROOT,
            env=portal_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, server, log)
        browser = Browser(base)

        status, _headers, home = browser.request("/")
        assert status == 200 and "Школа молодого педагога" in home
        assert "Изменено после резервной копии" not in home
        status, _headers, page = browser.request("/programs/school-young-teacher/")
        assert status == 200 and "Школа молодого педагога" in page

        status, _headers, login = browser.request("/accounts/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        status, headers, _body = browser.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": "restored.teacher@school.ru", "password": PASSWORD},
        )
        assert status == 302 and headers["Location"] in ("/cabinet/", "/"), _body[-2000:]
        status, _headers, cabinet = browser.request("/cabinet/")
        assert status == 200
        assert "Восстановленная" in cabinet and "Школа молодого педагога" in cabinet
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
