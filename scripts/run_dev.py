#!/usr/bin/env python3
"""`make run`: prepare the database once, then run web server, Celery worker and Celery beat together.

    python scripts/run_dev.py [--port 8000]

Steps: migrate; load_programs and seed_demo --scale district once (marker in VAR_DIR; delete
VAR_DIR/.demo-seeded to seed again); collectstatic when DEBUG is off; then the three processes,
each in its own process group so that one Ctrl-C reaches them once, through this supervisor.
Ctrl-C or SIGTERM stops all three; when any one of them dies, the others are stopped too.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PYTHONUNBUFFERED", "1")
# DEBUG is off unless turned on; the development run turns it on for itself and its three processes
# (DEBUG=off in the environment still wins: then gunicorn serves the collected static files).
os.environ.setdefault("DEBUG", "on")

PYTHON = sys.executable
COLOURS = {"web": "\033[36m", "worker": "\033[33m", "beat": "\033[35m"}
RESET = "\033[0m"


def say(message: str) -> None:
    print(f"[run] {message}", flush=True)


def manage(*args: str, check: bool = True) -> int:
    say("manage.py " + " ".join(args))
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR)
    if check and result.returncode != 0:
        say(f"manage.py {args[0]} failed with exit code {result.returncode}")
        sys.exit(result.returncode)
    return result.returncode


def seed_once(settings, commands: dict) -> None:
    """Load the program catalogue and the demo data once per database."""
    db = settings.DATABASES["default"]
    identity = f"{db['ENGINE']}|{db.get('HOST')}|{db.get('PORT')}|{db['NAME']}"
    marker = Path(settings.VAR_DIR) / ".demo-seeded"
    fingerprint = hashlib.sha256(identity.encode()).hexdigest()[:16]
    if marker.exists() and marker.read_text().strip() == fingerprint:
        say(f"demo data already loaded (delete {marker} to load it again)")
        return
    missing = [name for name in ("load_programs", "seed_demo") if name not in commands]
    if missing:
        say(f"skipping demo data: command(s) not available yet: {', '.join(missing)}")
        return
    manage("load_programs")
    # seed_demo may have been run by hand before the marker existed: a failure then must not block start-up.
    if manage("seed_demo", "--scale", "district", check=False) != 0:
        say("WARNING: seed_demo failed (already seeded by hand?); starting anyway, demo data not marked as loaded")
        return
    marker.write_text(fingerprint + "\n")


def prepare(settings) -> None:
    from django.core.management import get_commands

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    db = settings.DATABASES["default"]
    marker = Path(settings.VAR_DIR) / ".demo-seeded"
    if db["ENGINE"].endswith("sqlite3") and not Path(db["NAME"]).exists() and marker.exists():
        marker.unlink()  # the database file was deleted: its demo data went with it
    from config.celery import ensure_filesystem_broker_folders

    ensure_filesystem_broker_folders()
    manage("migrate", "--noinput")
    seed_once(settings, get_commands())
    if not settings.DEBUG:
        manage("collectstatic", "--noinput", "--verbosity", "0")


def pump(name: str, stream) -> None:
    colour = COLOURS.get(name, "") if sys.stdout.isatty() else ""
    reset = RESET if colour else ""
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{colour}{name:>6} |{reset} {line.decode(errors='replace')}")
        sys.stdout.flush()


def start(name: str, command: list[str]) -> subprocess.Popen:
    say(f"starting {name}: {' '.join(command)}")
    process = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches only us; we pass it on once
    )
    threading.Thread(target=pump, args=(name, process.stdout), daemon=True).start()
    return process


# runserver's autoreloader runs the server in a child: the whole group must hear SIGTERM. Celery's main
# process stops its own pool gracefully, so it alone gets the signal.
WHOLE_GROUP = {"web"}


def stop_all(processes: dict[str, subprocess.Popen], timeout: float = 15) -> None:
    for name, process in processes.items():
        if process.poll() is None:
            say(f"stopping {name}")
            try:
                if name in WHOLE_GROUP:
                    os.killpg(process.pid, signal.SIGTERM)
                else:
                    process.terminate()
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + timeout
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {timeout:.0f} s, killing it")
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def site_url_environment(port: int, environ) -> dict[str, str]:
    """SITE_URL for this run: the one given, else the port the web server listens on — so the QR codes of
    certificates, their printed links and the letters point where this portal runs."""
    if environ.get("SITE_URL"):
        return {}
    return {"SITE_URL": f"http://localhost:{port}"}


def process_commands(port: int, concurrency: int, settings) -> dict[str, list[str]]:
    """The three processes; they inherit this process's environment (SITE_URL included)."""
    if settings.DEBUG:
        web = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"]
    else:
        web = [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        web += ["--workers", "2", "--access-logfile", "-"]
    celery = [PYTHON, "-m", "celery", "-A", "config"]
    return {
        "web": web,
        "worker": celery + ["worker", "--loglevel", "INFO", "--concurrency", str(concurrency)],
        "beat": celery + ["beat", "--loglevel", "INFO", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME],
    }


class Stop(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    args = parser.parse_args()

    # Before the settings load: migrate and seed_demo (certificates, letters) must see the same address.
    os.environ.update(site_url_environment(args.port, os.environ))

    import django
    from django.conf import settings

    django.setup()
    prepare(settings)

    commands = process_commands(args.port, args.concurrency, settings)

    def on_signal(signum, frame):
        raise Stop(signal.Signals(signum).name)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    processes: dict[str, subprocess.Popen] = {}
    exit_code = 0
    try:
        for name, command in commands.items():
            processes[name] = start(name, command)
        say(f"portal on http://127.0.0.1:{args.port}/ with broker {settings.CELERY_BROKER_URL}; Ctrl-C stops all")
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    say(f"{name} exited with code {process.returncode}; stopping the others")
                    exit_code = process.returncode or 1
                    raise Stop(name)
            time.sleep(0.5)
    except Stop:
        pass
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        stop_all(processes)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
