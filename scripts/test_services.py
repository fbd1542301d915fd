#!/usr/bin/env python3
"""Run pytest against throwaway PostgreSQL and Redis when they are installed, else on SQLite.

    python scripts/test_services.py [pytest arguments...]

PostgreSQL (initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin) and redis-server are started on
free loopback ports in a temporary directory and stopped on exit, whatever happens. As root, the
database runs as an unprivileged system user, because initdb refuses root.
With CI set, a run without both PostgreSQL and Redis fails: CI must test what production runs.
TEST_SERVICES=off forces the SQLite tier (a quick local run).
Only the standard library is used: this runs before anything else is known to work.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_USER = "pgtest"
DB_NAME = "metodportal"


def say(message: str) -> None:
    print(f"[test-services] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_pg_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: PATH first, then Debian's versioned directories."""
    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(os.path.realpath(initdb)).parent
        if (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            return bindir
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0, reverse=True)
    for candidate in candidates:
        bindir = Path(candidate).parent
        if (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            return bindir
    return None


def find_redis_server() -> str | None:
    for candidate in (shutil.which("redis-server"), "/usr/bin/redis-server", "/usr/sbin/redis-server"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def unprivileged_user() -> pwd.struct_passwd:
    """initdb refuses to run as root: use (or create) a system user with no login."""
    try:
        return pwd.getpwnam(PG_USER)
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        return pwd.getpwnam(PG_USER)
    say(f"useradd {PG_USER} failed ({result.stderr.strip()}); using nobody")
    return pwd.getpwnam("nobody")


@dataclass
class Services:
    tmpdir: Path
    env: dict[str, str] = field(default_factory=dict)
    database: str = "SQLite (in-memory test database)"
    broker: str = "none (no Redis: the worker test is skipped)"
    postgres: bool = False
    redis: bool = False
    _pg: tuple[Path, Path, pwd.struct_passwd | None] | None = None
    _redis: subprocess.Popen | None = None

    def start_postgres(self, bindir: Path) -> None:
        root = self.tmpdir / "pg"
        data, sockets = root / "data", root / "sock"
        sockets.mkdir(parents=True)
        user = unprivileged_user() if os.geteuid() == 0 else None
        if user:
            for path in (self.tmpdir, root, sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
        port = free_port()
        subprocess.run(
            [bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.tmpdir,
            **as_user,
        )
        # A throwaway cluster: durability buys nothing here and fsync costs seconds per test run.
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        options += " -c full_page_writes=off -c max_connections=200"
        subprocess.run(
            [bindir / "pg_ctl", "-D", data, "-l", root / "server.log", "-o", options, "-w", "-t", "60", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.tmpdir,
            **as_user,
        )
        self._pg = (bindir, data, user)
        version = subprocess.run([bindir / "postgres", "--version"], capture_output=True, text=True).stdout.strip()
        self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}"
        self.database = f"{version} at 127.0.0.1:{port} (throwaway, tests use test_{DB_NAME})"
        self.postgres = True

    def start_redis(self, server: str) -> None:
        port = free_port()
        workdir = self.tmpdir / "redis"
        workdir.mkdir()
        self._redis = subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(workdir), "--logfile", str(workdir / "server.log")],
            stdout=subprocess.DEVNULL,
            cwd=workdir,
        )
        deadline = time.monotonic() + 30
        while True:
            if self._redis.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self._redis.returncode}, see {workdir / 'server.log'}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not answer PING within 30 s")
            time.sleep(0.1)
        version = subprocess.run([server, "--version"], capture_output=True, text=True).stdout.split()
        version = next((part for part in version if part.startswith("v=")), "v=?")[2:]
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        self.broker = f"Redis {version} at 127.0.0.1:{port} (throwaway)"
        self.redis = True

    def stop(self) -> None:
        if self._redis and self._redis.poll() is None:
            self._redis.terminate()
            try:
                self._redis.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._redis.kill()
        if self._pg:
            bindir, data, user = self._pg
            as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
            subprocess.run(
                [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=self.tmpdir,
                **as_user,
            )
            self._pg = None
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def _raise_on_term(signum, frame):
    raise SystemExit(128 + signum)


def parallel_args(pytest_args: list[str]) -> list[str]:
    """The whole suite runs on every core (pytest-xdist, one test file per worker at a time: a module's world is
    built once); a run of named tests, or one that says -n or -p no:xdist itself, runs as asked.
    TEST_WORKERS sets the number of workers (1: no xdist)."""
    named = any(not arg.startswith("-") and ("/" in arg or arg.endswith(".py") or "::" in arg) for arg in pytest_args)
    asked = any(arg.startswith("-n") or arg == "--numprocesses" or "xdist" in arg for arg in pytest_args)
    workers = int(os.environ.get("TEST_WORKERS") or os.cpu_count() or 1)
    if named or asked or workers < 2:
        return []
    # The files go out in the order tests/conftest.py collects them (the longest first), not re-sorted by xdist
    # by their number of tests.
    return ["-n", str(workers), "--dist", "loadfile", "--no-loadscope-reorder"]


def main(pytest_args: list[str]) -> int:
    signal.signal(signal.SIGTERM, _raise_on_term)
    signal.signal(signal.SIGHUP, _raise_on_term)
    ci = os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}
    wanted = os.environ.get("TEST_SERVICES", "auto").strip().lower() not in {"off", "0", "no", "none", "false"}

    services = Services(tmpdir=Path(tempfile.mkdtemp(prefix="metodportal-test-")))
    os.chmod(services.tmpdir, 0o755)
    # Explicit values for the whole run, so a developer's .env can never point the tests elsewhere.
    services.env = {"DATABASE_URL": f"sqlite:///{services.tmpdir / 'unused.sqlite3'}", "REDIS_URL": ""}
    try:
        bindir = find_pg_bindir() if wanted else None
        redis_server = find_redis_server() if wanted else None
        if not wanted:
            say("TEST_SERVICES=off: PostgreSQL and Redis are not started")
        if bindir:
            say(f"starting a throwaway PostgreSQL from {bindir}")
            services.start_postgres(bindir)
        elif wanted:
            say("PostgreSQL not found (initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin)")
        if redis_server:
            say(f"starting a throwaway Redis from {redis_server}")
            services.start_redis(redis_server)
        elif wanted:
            say("redis-server not found")

        report = f"database: {services.database}; broker: {services.broker}"
        say(report)
        if ci and not (services.postgres and services.redis):
            missing = [name for name, ok in (("PostgreSQL", services.postgres), ("Redis", services.redis)) if not ok]
            say(f"FAIL: CI is set but {' and '.join(missing)} did not run; CI must test against both.")
            return 3

        var_dir = services.tmpdir / "var"
        (var_dir / "static").mkdir(parents=True)  # whitenoise warns on every request when STATIC_ROOT is missing
        env = {**os.environ, **services.env, "VAR_DIR": str(var_dir)}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *pytest_args, *parallel_args(pytest_args)], cwd=BASE_DIR, env=env
        )
        say(report)
        if result.returncode == 5:
            say("FAIL: pytest collected no tests")
            return 5
        say("tests passed" if result.returncode == 0 else f"tests FAILED (pytest exit code {result.returncode})")
        return result.returncode
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        say(f"FAIL: could not start the test services: {exc}")
        return 4
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
