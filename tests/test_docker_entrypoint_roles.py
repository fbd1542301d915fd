"""The three roles of scripts/docker-entrypoint.sh as docker-compose.yml runs them (docs/deploy.md): `web`
(migrate, then gunicorn), `worker` and `beat`, real subprocesses with the production settings (DEBUG off, a
SECRET_KEY, SITE_URL https://…, ALLOWED_HOSTS) over the test run's throwaway PostgreSQL and Redis.

A coordinator signs in through the login form as nginx passes it on (X-Forwarded-Proto: https), asks for the KPI
workbook, and the job is followed from its message in Redis through the worker to the download, an XLSX that
openpyxl opens. The compose healthchecks (scripts/healthcheck.py) must call all three roles healthy.

The image collects the static files at build time (Dockerfile); here the same manifest is written without
the compressed copies, which take minutes and change nothing a page renders.

PostgreSQL and Redis only, as deployed: scripts/test_services.py provides them (CI always does); the plain
SQLite run skips this test.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
import requests
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from openpyxl import load_workbook

from core.models import BackgroundJob
from participants.models import User
from reports.workbooks import KIND
from tests.conftest import database_url
from tests.factories import (
    PASSWORD,
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
HOST = "metodportal.example.ru"
ENTRYPOINT = ROOT / "scripts" / "docker-entrypoint.sh"
# A bound for a stuck stack, not a timing: the run takes 20–35 s on a busy two-core machine.
DEADLINE_SECONDS = 90

# The build step of the Dockerfile, with the manifest storage whitenoise's reads (no .gz/.br copies).
COLLECT_STATIC = """
import django
from django.conf import settings

django.setup()
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
from django.core.management import call_command

call_command("collectstatic", interactive=False, verbosity=0)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spare_redis_url() -> str:
    """The last database of the test run's Redis: the tests' own database (and a session's test worker on it)
    never sees this stack's messages, and this stack's worker takes no one else's."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    last = int(client.config_get("databases")["databases"]) - 1
    client.close()
    return urlsplit(settings.REDIS_URL)._replace(path=f"/{last}").geturl()


class Proxied:
    """A browser behind nginx: every request carries Host and X-Forwarded-Proto: https, as the TLS-terminating
    proxy sends them. Cookies are kept by hand: they are Secure, and the hop to gunicorn is plain HTTP."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.secure_cookies: set[str] = set()

    def request(self, method: str, path: str, data: dict | None = None) -> requests.Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False, timeout=30
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
            if cookie.secure:
                self.secure_cookies.add(cookie.name)
        return response


class Role:
    """One role of the entrypoint in its own process group, its output in a log file."""

    def __init__(self, name: str, env: dict, logdir: Path, *args: str):
        self.name = name
        self.log = logdir / f"{name}.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                ["sh", str(ENTRYPOINT), name, *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def tail(self) -> str:
        return f"--- {self.name} ---\n" + self.log.read_text(errors="replace")[-3000:]

    def assert_running(self) -> None:
        assert self.process.poll() is None, f"{self.name} exited with {self.process.returncode}\n{self.tail()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # exec'd: gunicorn's and celery's own graceful shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # this role's group only: its prefork children
                self.process.wait()


def poll(what: str, check, roles: list[Role], deadline: float):
    while True:
        value = check()
        if value:
            return value
        for role in roles:
            role.assert_running()
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE_SECONDS} s\n" + "\n".join(
            role.tail() for role in roles
        )
        time.sleep(0.2)


def healthy(role: str, env: dict) -> bool:
    check = subprocess.run(
        [sys.executable, "scripts/healthcheck.py", role], cwd=ROOT, env=env, capture_output=True, timeout=30
    )
    return check.returncode == 0


@pytest.fixture
def stack_env(tmp_path):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("the roles run on PostgreSQL and Redis: run through scripts/test_services.py (CI does)")
    redis_url = spare_redis_url()
    redis.Redis.from_url(redis_url).flushdb()
    venv_bin = str(Path(sys.executable).parent)  # `python`, `gunicorn` and `celery` as the image's PATH gives them
    env = {
        "PATH": f"{venv_bin}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "off",
        "SECRET_KEY": "vR3m-Qe8Lz1Wt6Yp0Kb5Nc9Xd2Hf7Js4Ga-Uo8Ei3Ar6Ty1Pl5Mk9Nb2Vc7Xz4Qw0Sd",
        "SITE_URL": f"https://{HOST}",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),  # compose mounts one media volume into web and worker
        "STATIC_ROOT": str(tmp_path / "static"),
        "SENDFILE_MODE": "python",
        "BIND_HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
    }
    (tmp_path / "var").mkdir()
    yield env
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture
def district():
    home = MunicipalityFactory(name="Октябрьский")
    school = OrganisationFactory(municipality=home, short_name="Школа № 1")
    season = SeasonFactory(program__municipality=home, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    session = SessionFactory(activity__season=season)
    for last_name in ("Иванова", "Петрова"):
        enrollment = EnrollmentFactory(season=season, person__organisation=school, person__last_name=last_name)
        AttendanceFactory(session=session, enrollment=enrollment)
    coordinator = UserFactory(
        email="coordinator@oktyabrsky.ru", role=User.Role.COORDINATOR, municipality=home, is_staff=True
    )
    # gunicorn runs the production hashers only, not the tests' fast MD5 (tests/conftest.py).
    coordinator.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    coordinator.save(update_fields=["password"])
    return {"home": home, "coordinator": coordinator}


def test_web_worker_and_beat_serve_a_coordinator_their_kpi_workbook(stack_env, district, tmp_path):
    deadline = time.monotonic() + DEADLINE_SECONDS
    collected = subprocess.run(
        [sys.executable, "-c", COLLECT_STATIC], cwd=ROOT, env=stack_env, capture_output=True, text=True, timeout=60
    )
    assert collected.returncode == 0, collected.stderr[-3000:]

    roles: list[Role] = []
    try:
        web = Role("web", stack_env, tmp_path)
        beat = Role("beat", stack_env, tmp_path)
        roles += [web, beat]
        poll("web healthy", lambda: healthy("web", stack_env), roles, deadline)
        assert "No migrations to apply." in web.log.read_text()

        browser = Proxied(int(stack_env["PORT"]))
        plain = requests.get(f"{browser.base}/accounts/login/", headers={"Host": HOST}, allow_redirects=False)
        assert plain.status_code == 301 and plain.headers["Location"] == f"https://{HOST}/accounts/login/"

        login = browser.request("GET", "/accounts/login/")
        assert login.status_code == 200 and "csrftoken" in browser.secure_cookies
        signed_in = browser.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                "username": "coordinator@oktyabrsky.ru",
                "password": PASSWORD,
            },
        )
        assert signed_in.status_code == 302, signed_in.text[-2000:]
        assert "sessionid" in browser.secure_cookies
        assert browser.request("GET", "/reports/").status_code == 200

        queued = browser.request(
            "POST", "/reports/download/", {"csrfmiddlewaretoken": browser.cookies["csrftoken"], "year": "2026"}
        )
        assert queued.status_code == 302, queued.text[-2000:]
        job = BackgroundJob.objects.get(started_by=district["coordinator"])
        assert queued.headers["Location"] == f"/jobs/{job.pk}/"
        assert job.status == BackgroundJob.Status.QUEUED and job.kind == f"export:{KIND}"

        # No worker yet: the task waits in Redis, the broker web wrote it to.
        broker = redis.Redis.from_url(stack_env["REDIS_URL"])

        # (beat may have sent a scheduled job of its own by now: the export must be among the waiting messages, once.)
        def exports_waiting() -> int:
            return sum(b"reports.tasks.export_task" in message for message in broker.lrange("celery", 0, -1))

        assert poll("the task in Redis", exports_waiting, roles, deadline) == 1
        page = browser.request("GET", f"/jobs/{job.pk}/")
        assert page.status_code == 200 and job.title in page.text

        worker = Role("worker", stack_env, tmp_path)
        roles.append(worker)
        status = poll(
            "the export finished",
            lambda: (answer := browser.request("GET", f"/jobs/{job.pk}/status.json").json())["finished"] and answer,
            roles,
            deadline,
        )
        assert status["status"] == BackgroundJob.Status.DONE, status
        # Taken off the queue (beat's minute job may be waiting there by now).
        assert not any(b"reports.tasks.export_task" in message for message in broker.lrange("celery", 0, -1))

        download = browser.request("GET", f"/jobs/{job.pk}/result/")
        assert download.status_code == 200
        assert download.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert f"kpi-2026-mun{district['home'].pk}-" in download.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(download.content))
        assert book.sheetnames[0] == "Сводка" and "Участники" in book.sheetnames
        people = book["Участники"]
        cells = {str(cell) for row in people.iter_rows(values_only=True) for cell in row if cell is not None}
        assert any("Иванова" in cell for cell in cells) and any("Петрова" in cell for cell in cells)

        poll("worker healthy", lambda: healthy("worker", stack_env), roles, deadline)
        poll("beat healthy", lambda: healthy("beat", stack_env), roles, deadline)
        assert list((tmp_path / "var").glob("celerybeat-schedule*")), beat.tail()
        for role in roles:
            role.assert_running()
    finally:
        for role in roles:
            role.stop()
