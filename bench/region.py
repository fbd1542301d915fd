"""The region dataset shared by the benchmarks of one run.

`region()` starts the throwaway PostgreSQL (run.database_server), creates and migrates a database, runs
`seed_demo --scale region` and `collectstatic` once, and hands every later caller in the same process the
same database: `make bench` seeds the region once for `pages`, `load` and any other benchmark that asks.
The server is stopped (and its directory removed) when the process exits, also on Ctrl-C and SIGTERM
(run.py turns SIGTERM into SystemExit). Benchmarks that write must leave the data as they found them.
"""

from __future__ import annotations

import atexit
import os
import secrets
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import run as harness  # bench/run.py (registered under this name also when it runs as __main__)


@dataclass(frozen=True)
class Region:
    database: str  # label, e.g. "PostgreSQL 15.x (throwaway cluster, fsync=off)"
    url: str  # DATABASE_URL
    var_dir: Path  # VAR_DIR: collected static files (STATIC_ROOT) and media
    secret_key: str
    prepare_s: float  # migrate + seed + collectstatic, wall seconds (not a measured figure)

    def env(self, settings: str = "bench.settings", **extra: str) -> dict[str, str]:
        """Environment for a Django process on this database: production-like (DEBUG off), no Redis, HTTP."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": self.url,
            "REDIS_URL": "",
            "VAR_DIR": str(self.var_dir),
            "DEBUG": "off",
            "SECRET_KEY": self.secret_key,
            "SECURE_SSL_REDIRECT": "off",  # plain HTTP on loopback
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }


_stack = ExitStack()
_region: Region | None = None
atexit.register(_stack.close)


def region() -> Region:
    """The region database of this run, built on the first call."""
    global _region
    if _region is not None:
        return _region
    started = time.perf_counter()
    db = _stack.enter_context(harness.database_server())
    url = harness.create_database(db, "bench_region")
    var_dir = db.tmpdir / "var"
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    candidate = Region(db.label, url, var_dir, secrets.token_urlsafe(48), 0.0)
    env = candidate.env(settings="config.settings")
    python = harness.PYTHON
    harness.say(f"{db.label}: migrate, seed_demo --scale region and collectstatic (shared by this run)")
    for step, command in (
        ("migrate", [python, "manage.py", "migrate", "--noinput"]),
        ("seed", [python, "manage.py", "seed_demo", "--scale", "region"]),
        ("analyze", [python, "-c", harness.ANALYZE]),
        ("collectstatic", [python, "manage.py", "collectstatic", "--noinput"]),
    ):
        harness.timed(command, env, db.tmpdir / f"region-{step}.log")
    _region = Region(db.label, url, var_dir, candidate.secret_key, round(time.perf_counter() - started, 1))
    harness.say(f"region dataset ready in {_region.prepare_s} s")
    return _region
