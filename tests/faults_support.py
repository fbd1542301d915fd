"""Real services for the fault tests: a Redis of the test's own (stopped and restarted mid-test, its keys kept on
disk across the restart, as a production Redis with persistence keeps them) and real Celery workers over it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections

from tests.conftest import BASE_DIR, database_url


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """redis-server on a free loopback port; `stop()` and `start()` again on the same port and data."""

    def __init__(self, workdir: Path):
        self.server = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.access(self.server, os.X_OK):
            pytest.skip("redis-server is not installed")
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"]
            + ["--appendfsync", "always", "--dir", str(self.workdir), "--logfile", str(self.workdir / "server.log")],
            stdout=subprocess.DEVNULL,
            cwd=self.workdir,
        )
        deadline = time.monotonic() + 30
        while not self.answers():
            assert self.process.poll() is None, (self.workdir / "server.log").read_text()
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the append-only file is already on disk (appendfsync always)
            self.process.wait(timeout=30)
        assert not self.answers()


@contextmanager
def portal_on(redis: OwnRedis, settings):
    """Point this process's cache and Celery producer at `redis` (the settings production derives from
    REDIS_URL), then back."""
    from config.celery import app

    options = django_settings.CACHES["default"].get("OPTIONS", {})
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis.url, "OPTIONS": options}
    }
    previous = app.conf.broker_url

    app.conf.broker_url = redis.url
    producers_reset()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        producers_reset()


def producers_reset() -> None:
    """Close and forget this process's broker connections and producers, so the next task is sent to the broker
    the settings name now. kombu keeps pools per broker address in a process-wide registry: a pool closed but
    left there is handed out again, closed («Acquire on closed pool»), to the next test that sends a task."""
    from kombu import pools

    from config.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Worker:
    """`celery -A config worker` (solo pool) over `redis_url`, writing to the test database."""

    def __init__(self, redis_url: str, logdir: Path, name: str, **extra_env: str):
        self.log_path = logdir / f"{name}.log"
        self.nodename = f"{name}-{os.getpid()}@{socket.gethostname()}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connections["default"].settings_dict),
            "REDIS_URL": redis_url,
            "VAR_DIR": str(logdir / "var"),
            "PYTHONUNBUFFERED": "1",
            "SITE_URL": "http://testserver",  # a worker refuses to start without it when DEBUG is off
            **extra_env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
        command += ["--hostname", self.nodename, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while "ready." not in self.log():
            assert self.process.poll() is None, f"worker exited:\n{self.log()[-4000:]}"
            assert time.monotonic() < deadline, f"worker not ready:\n{self.log()[-4000:]}"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, the task dies half-way."""
        self.process.kill()
        self.process.wait()


def wait_for(condition, *, timeout: float = 60, what: str = "", worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if worker is not None:
            assert worker.process.poll() is None, f"worker exited:\n{worker.log()[-4000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{worker.log()[-4000:] if worker else ''}"
        time.sleep(0.1)


def needs_real_services():
    """The fault tests run where production's services are: PostgreSQL and Redis (make test, CI)."""
    if not django_settings.REDIS_URL or connections["default"].vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis (scripts/test_services.py starts them)")


def race(*calls, timeout: float = 60) -> list:
    """Run the calls at the same moment, each in its own thread with its own database connection (a
    threading.Barrier lines them up); returns each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as exc:  # returned to the test, which asserts on it
            results[index] = exc
        finally:
            connections.close_all()  # this thread's connection, so that the test database can be flushed

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racing call hangs (a deadlock?)"
    return results


def needs_postgresql():
    """Races need a server database: SQLite's test database lives in one connection's memory, which threads
    cannot share, and SQLite locks the whole file anyway. CI and make test run on PostgreSQL."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("needs PostgreSQL (scripts/test_services.py starts it)")
