"""Benchmark `load`: gunicorn with 2 workers under wrk's 50 connections.

On the run's region database (bench/region.py), gunicorn serves bench.settings (DEBUG off, static files
through whitenoise from the collected STATIC_ROOT) on a free loopback port. The teacher's and the
methodist's sessions are created through django.test.Client.force_login in a short subprocess (the session
rows live in the database, so gunicorn's workers accept the cookies). Each URL is checked to answer 200
with its cookie (wrk counts a redirect to the login page as a success), warmed up, then loaded for
BENCH_LOAD_SECONDS (default 60) with

    wrk -t2 -c50 -d60s --timeout 10s --latency -H "Cookie: sessionid=..." URL

one URL after another: the teacher cabinet, the expert queue and the bare view. Figures: requests per
second, p50/p95/p99 latency, non-2xx/3xx responses and socket errors, the ratio of requests per second to
the bare view's, and the targets (no errors at all; the cabinet at least 10% of the bare view's rate).
wrk comes from Debian (`apt-get install -y wrk`); without it the benchmark is skipped with a message.
gunicorn is stopped in every case, Ctrl-C included.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CONNECTIONS = 50
THREADS = 2
WORKERS = 2
# `--latency` prints 50/75/90/99 %; the p95 comes from this script's done() hook (microseconds).
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("PERCENTILE %d %d\\n", p, latency:percentile(p)))
  end
end
"""
CABINET_SHARE_TARGET = 0.10  # the cabinet at least 10% of the bare view's requests per second
TARGETS = {
    "cabinet": ("teacher@demo.ru", "/cabinet/"),
    "expert_queue": ("methodist@demo.ru", "/expert/reviews/"),
    "bare": (None, "/bench/bare/"),
}


def sessions() -> dict[str, str]:
    """Runs inside Django: the cookies of a browser signed in as each demo user, {email: Cookie header value} —
    the session and a CSRF cookie, which a browser keeps from its first page."""
    import django

    django.setup()
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from pages import signed_in_client

    return {
        email: f"{settings.SESSION_COOKIE_NAME}={signed_in_client(email).cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
        for email in {email for email, _url in TARGETS.values() if email}
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles (ms) and errors from `wrk --latency` output."""

    figures = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    figures["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    for percentile, microseconds in re.findall(r"^PERCENTILE (\d+) (\d+)$", output, re.MULTILINE):
        figures[f"p{percentile}_ms"] = round(int(microseconds) / 1000, 2)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    figures["socket_errors"] = sum(int(n) for n in socket.groups()) if socket else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non_2xx_3xx"] = int(non2xx.group(1)) if non2xx else 0
    return figures


def wait_until_up(base: str, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if fetch(base + "/bench/bare/", None) == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {seconds:.0f} s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def load() -> dict:
    """The benchmark (harness side)."""
    import region as shared
    import run as harness
    import test_services

    wrk = shutil.which("wrk")
    if wrk is None:
        harness.say("load: SKIPPED — wrk is not installed (Debian: apt-get install -y wrk)")
        return {"skipped": "wrk is not installed (Debian: apt-get install -y wrk)"}
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    db = shared.region()
    env = db.env()
    made = subprocess.run(
        [harness.PYTHON, str(Path(__file__)), "--sessions"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if made.returncode != 0:
        raise RuntimeError(f"creating the sessions failed:\n{made.stderr[-3000:]}")
    keys = json.loads(made.stdout.strip().splitlines()[-1])
    port = test_services.free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "SITE_URL": base}  # gunicorn with DEBUG off refuses to start without it (config/startup.py)
    log = db.var_dir.parent / "gunicorn.log"
    script = db.var_dir.parent / "percentiles.lua"
    script.write_text(PERCENTILES_LUA)
    command = [harness.PYTHON, "-m", "gunicorn", "config.wsgi:application", "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    harness.say(f"load: gunicorn ({WORKERS} workers) on {base}; wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s per URL")
    with open(log, "w") as log_file:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    load_before = round(os.getloadavg()[0], 2)
    try:
        wait_until_up(base, server, log)
        results = {}
        for name, (email, path) in TARGETS.items():
            cookie = keys[email] if email else None
            status = fetch(base + path, cookie)
            if status != 200:
                raise RuntimeError(f"{path} as {email or 'anonymous'} answered {status} before the load")
            for _ in range(10):  # warm both workers up
                fetch(base + path, cookie)
            args = [
                wrk,
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                str(script),
            ]
            if cookie:
                args += ["-H", f"Cookie: {cookie}"]
            harness.say(f"load: {name} {path}")
            output = subprocess.run([*args, base + path], capture_output=True, text=True, check=True).stdout
            results[name] = {"url": path, "user": email or "anonymous", **parse_wrk(output)}
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn died during the load:\n{log.read_text(errors='replace')[-3000:]}")
    finally:
        stop(server)
    bare_rps = results["bare"]["requests_per_s"]
    for name, row in results.items():
        row["x_bare_rps"] = round(row["requests_per_s"] / bare_rps, 3)
        errors = row["socket_errors"] + row["non_2xx_3xx"]
        missed = [f"{errors} errors"] if errors else []
        if name == "cabinet" and row["x_bare_rps"] < CABINET_SHARE_TARGET:
            missed.append(f"{row['x_bare_rps']:.1%} of bare rps < {CABINET_SHARE_TARGET:.0%}")
        row["verdict"] = "met" if not missed else "missed: " + "; ".join(missed)
    for name, row in results.items():
        print(
            f"    {name:13} {row['requests_per_s']:>9.1f} req/s  p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms"
            f"  p99 {row['p99_ms']} ms  errors {row['socket_errors'] + row['non_2xx_3xx']}"
            f"  {row['x_bare_rps']:.1%} of bare  {row['verdict']}",
            flush=True,
        )
    return {
        "database": db.database,
        "dataset": "seed_demo --scale region",
        "server": f"gunicorn {WORKERS} sync workers, bench.settings, DEBUG off",
        "client": f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s --timeout 10s --latency",
        "load_1m_before": load_before,
        "targets": f"0 errors; cabinet >= {CABINET_SHARE_TARGET:.0%} of the bare view's requests/s",
        "urls": results,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sessions"]:
        sys.path.insert(1, str(BASE_DIR))  # bench.settings as a package; bench/ stays first for `pages`
        print(json.dumps(sessions()))
    else:
        sys.exit("run through the harness: python bench/run.py load")
