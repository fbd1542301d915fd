#!/usr/bin/env python3
"""Benchmarks: `make bench` runs them all, `make bench ARGS="seed_region"` (or `python bench/run.py NAME...`)
runs a selection.

Each benchmark is a function in BENCHMARKS that returns a dict of figures. Results go to
bench/results/<name>.json (one file per benchmark, overwritten on every run) and all of the latest
results are combined in bench/results/latest.md; both are kept in git as history.

    python bench/run.py [--list] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
PYTHON = sys.executable
FORCE_SQLITE = False  # --sqlite: measure on SQLite even where PostgreSQL is installed

# Reuse the throwaway-service code of `make test` rather than copying it.
sys.path.insert(0, str(BASE_DIR / "scripts"))
import test_services  # noqa: E402
from jobs import certificates, export, jobs  # noqa: E402  (bench/jobs.py: the background work)

sys.modules.setdefault("run", sys.modules[__name__])  # benchmark modules `import run` even when this is __main__
import load  # noqa: E402
import pages  # noqa: E402

# The tables the row counts are taken from, under a readable name.
COUNTED_TABLES = {
    "people": "participants_person",
    "organisations": "programs_organisation",
    "user_accounts": "participants_user",
    "enrollments": "participants_enrollment",
    "attendance": "activities_attendance",
    "submissions": "activities_submission",
    "reviews": "ratings_review",
}


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- Databases ------------------------------------------------------------------------------------


class Database:
    """A running, empty database server (or SQLite): `fresh(name)` gives the DATABASE_URL of a new database."""

    def __init__(self, label: str, url_for: Callable[[str], str], tmpdir: Path):
        self.label = label
        self.url_for = url_for
        self.tmpdir = tmpdir


@contextmanager
def database_server() -> Iterator[Database]:
    """A throwaway PostgreSQL (scripts/test_services.py) or, when none is installed, SQLite files."""
    tmpdir = Path(tempfile.mkdtemp(prefix="metodportal-bench-"))
    os.chmod(tmpdir, 0o755)
    services = test_services.Services(tmpdir=tmpdir)
    try:
        bindir = None if FORCE_SQLITE else test_services.find_pg_bindir()
        if bindir:
            say(f"starting a throwaway PostgreSQL from {bindir}")
            services.start_postgres(bindir)
            base_url = services.env["DATABASE_URL"].rsplit("/", 1)[0]
            version = services.database.split(" at ")[0].replace("postgres (PostgreSQL)", "PostgreSQL")
            label = f"{version.split(' (')[0]} (throwaway cluster, fsync=off)"
            yield Database(label, lambda name: f"{base_url}/{name}", tmpdir)
        else:
            why = "--sqlite given" if FORCE_SQLITE else "PostgreSQL is not installed (no initdb/pg_ctl)"
            say(f"{why}: falling back to SQLite files")
            version = subprocess.run(
                [PYTHON, "-c", "import sqlite3; print(sqlite3.sqlite_version)"], capture_output=True, text=True
            ).stdout.strip()
            note = "" if FORCE_SQLITE else " — PostgreSQL not installed"
            yield Database(f"SQLite {version} (file, WAL){note}", None, tmpdir)
    finally:
        services.stop()  # stops PostgreSQL and removes tmpdir (SQLite files included)


def create_database(db: Database, name: str, *, template: str | None = None) -> str:
    """A new database, empty or a copy of `template` (CREATE DATABASE … TEMPLATE, a file copy on SQLite);
    returns its DATABASE_URL."""
    if db.url_for is None:
        if template is not None:
            shutil.copyfile(db.tmpdir / f"{template}.sqlite3", db.tmpdir / f"{name}.sqlite3")
        return f"sqlite:///{db.tmpdir / (name + '.sqlite3')}"
    import psycopg2  # the project's PostgreSQL driver

    conn = psycopg2.connect(db.url_for("postgres"))
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        conn.close()
    return db.url_for(name)


def count_rows(url: str, env: dict[str, str]) -> dict[str, int]:
    """Row counts read through Django in a separate process, so this process never imports Django."""
    code = (
        "import json, django; django.setup()\n"
        "from django.db import connection\n"
        f"tables = {COUNTED_TABLES!r}\n"
        "out = {}\n"
        "with connection.cursor() as c:\n"
        "    for label, table in tables.items():\n"
        "        c.execute(f'SELECT COUNT(*) FROM {table}')\n"
        "        out[label] = c.fetchone()[0]\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run([PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Refreshes the planner's statistics after a bulk load, as autovacuum would on a live database some time later:
# without it the first queries on freshly seeded tables are planned on empty-table guesses.
ANALYZE = "import django; django.setup(); from django.db import connection; connection.cursor().execute('ANALYZE')"


def timed(command: list[str], env: dict[str, str], log_path: Path) -> tuple[float, float, float]:
    """Wall time (s), CPU time (user + system, s) and peak RSS (MB) of one subprocess; output to log_path.

    ru_maxrss of RUSAGE_CHILDREN is the largest of all waited-for children so far, so each timed command
    runs through a small wrapper process whose only child is the command: the wrapper reports the figure.
    """
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.call(sys.argv[1:])\n"
        "wall = time.perf_counter() - t\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = usage.ru_utime + usage.ru_stime\n"
        "print(f'BENCH {rc} {wall:.3f} {cpu:.3f} {usage.ru_maxrss}', file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    with open(log_path, "w") as log:
        result = subprocess.run(
            [PYTHON, "-c", wrapper, *command], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.PIPE, text=True
        )
    lines = [line for line in result.stderr.splitlines() if line.startswith("BENCH ")]
    if result.returncode != 0 or not lines:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed with exit code {result.returncode}:\n{tail}\n{result.stderr}")
    _tag, _rc, wall, cpu, rss_kb = lines[-1].split()
    return float(wall), float(cpu), int(rss_kb) / 1024  # Linux reports ru_maxrss in KiB


def seed(scale: str) -> dict:
    """migrate a fresh database, then time `manage.py seed_demo --scale <scale>`."""
    with database_server() as db:
        url = create_database(db, f"bench_seed_{scale}")
        var_dir = db.tmpdir / "var"
        (var_dir / "static").mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "REDIS_URL": "",
            "VAR_DIR": str(var_dir),
            "PYTHONUNBUFFERED": "1",
        }
        say(f"{db.label}: migrate")
        migrate_wall, _cpu, _rss = timed([PYTHON, "manage.py", "migrate", "--noinput"], env, db.tmpdir / "migrate.log")
        say(f"seed_demo --scale {scale} (this is the timed part)")
        load = os.getloadavg()[0]
        wall, cpu, rss = timed([PYTHON, "manage.py", "seed_demo", "--scale", scale], env, db.tmpdir / "seed.log")
        rows = count_rows(url, env)
        return {
            "database": db.label,
            "scale": scale,
            "seed": 42,
            "migrate_s": round(migrate_wall, 1),
            "seed_demo_wall_s": round(wall, 1),
            "seed_demo_cpu_s": round(cpu, 1),
            "seed_demo_peak_rss_mb": round(rss),
            "load_1m_before": round(load, 2),
            "rows": rows,
        }


def seed_district() -> dict:
    return seed("district")


def seed_region() -> dict:
    return seed("region")


# name -> (function, one line on what it measures). A new benchmark is one more line here.
BENCHMARKS: dict[str, tuple[Callable[[], dict], str]] = {
    "seed_district": (seed_district, "`seed_demo --scale district` on a fresh, migrated database"),
    "seed_region": (seed_region, "`seed_demo --scale region` on a fresh, migrated database"),
    "pages": (pages.pages, "key pages on the region data: median server time and queries, against a bare view"),
    "load": (load.load, "gunicorn, 2 workers, wrk with 50 connections: cabinet, expert queue and the bare view"),
    "jobs": (jobs, "the deadline + exclusion job over all enrollments vs a naive per-enrollment loop"),
    "certificates": (certificates, "certificate PDFs per second in one batch vs one WeasyPrint call each"),
    "export": (export, "the 100,000-row KPI workbook: time and peak memory vs openpyxl's normal mode"),
}


# --- Results --------------------------------------------------------------------------------------


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(terse=True)}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def flatten(figures: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def fmt(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def write_latest_md() -> Path:
    """One table per result file in bench/results/, whichever run produced it."""
    lines = ["# Latest benchmark results", "", "Written by `bench/run.py` (`make bench`); see bench/README.md.", ""]
    for path in sorted(RESULTS_DIR.glob("*.json")):
        result = json.loads(path.read_text())
        lines += [f"## {result['name']}", "", result.get("description", ""), ""]
        host = result.get("machine", {})
        lines.append(
            f"Measured {result.get('measured_at', '?')} on {host.get('cores', '?')} cores"
            f" ({host.get('cpu', 'unknown CPU')}, {host.get('memory_gb', '?')} GB RAM), Python {host.get('python', '?')}"
            + (f", git {result['git']}" if result.get("git") else "")
            + "."
        )
        lines += ["", "| figure | value |", "|---|---|"]
        for key, value in flatten(result["figures"]).items():
            lines.append(f"| {key} | {fmt(value)} |")
        lines.append("")
    target = RESULTS_DIR / "latest.md"
    target.write_text("\n".join(lines))
    return target


def git_revision() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True)
    return result.stdout.strip()


def _raise_on_term(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite files even when PostgreSQL is installed")
    parser.add_argument("--no-save", action="store_true", help="print the figures only; leave bench/results/ alone")
    args = parser.parse_args(argv)
    global FORCE_SQLITE
    FORCE_SQLITE = args.sqlite
    if args.list:
        for name, (_fn, description) in BENCHMARKS.items():
            print(f"{name:16} {description}")
        return 0
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    signal.signal(signal.SIGTERM, _raise_on_term)  # so the throwaway PostgreSQL is stopped on SIGTERM too
    signal.signal(signal.SIGHUP, _raise_on_term)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.names or list(BENCHMARKS):
        function, description = BENCHMARKS[name]
        say(f"=== {name}: {description}")
        started = time.perf_counter()
        try:
            figures = function()
        except Exception as exc:  # one broken benchmark must not hide the others' results
            say(f"{name} FAILED: {exc}")
            failed.append(name)
            continue
        result = {
            "name": name,
            "description": description,
            "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "git": git_revision(),
            "machine": machine(),
            "benchmark_total_s": round(time.perf_counter() - started, 1),
            "figures": figures,
        }
        if not args.no_save:
            (RESULTS_DIR / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        say(f"{name} ({result['benchmark_total_s']} s in all):")
        for key, value in flatten(figures).items():
            print(f"    {key:32} {fmt(value)}", flush=True)
    if args.no_save:
        say("--no-save: bench/results/ left unchanged")
        return 1 if failed else 0
    target = write_latest_md()
    say(f"results in {RESULTS_DIR.relative_to(BASE_DIR)}/ (combined: {target.relative_to(BASE_DIR)})")
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
