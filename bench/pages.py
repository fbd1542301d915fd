"""Benchmark `pages`: server time and SQL queries of the key pages, each against the bare view (issue 7, 1a).

The harness side (`pages()`) takes the run's region database (bench/region.py) and starts this file as a
subprocess with DJANGO_SETTINGS_MODULE=bench.settings (DEBUG off, like production). The subprocess signs the
demo users in with django.test.Client.force_login, warms every page up, counts each page's queries once
(CaptureQueriesContext) and then times N rounds; every round requests every page and the bare view in turn,
so all of them share the machine's ups and downs. Figures: the median per request, its ratio to the bare
view's median, the query count, and the targets (at most 12 queries, at most 15x the bare view).

    BENCH_PAGES_REQUESTS=30  timed requests per page (default 30), BENCH_PAGES_WARMUP=3 warm-up requests
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
QUERY_TARGET = 12
RATIO_TARGET = 15.0
BARE = "bare"


# Pages whose computed result is cached are measured twice: as read from the cache (the page's name) and computed
# afresh on every request ("<name>_uncached", the cache turned off by the setting), which is what a reader meets
# first after a change of the data. The teacher's cabinet has no cache: it is computed on every request.
UNCACHED = {"kpi_dashboard": "KPI_CACHE_SECONDS"}


def key_pages() -> list[tuple[str, str | None, str]]:
    """(name, e-mail of the demo user or None for the anonymous visitor, URL); needs Django set up."""
    from django.db.models import Count

    from participants.models import Enrollment, User
    from ratings.models import ReviewAssignment

    submission_id = (
        ReviewAssignment.objects.filter(expert__person__user__email="methodist@demo.ru")
        .order_by("-assigned_at", "-pk")
        .values_list("submission_id", flat=True)
        .first()
    )
    coordinator = User.objects.get(email="coordinator@demo.ru")
    season_id = (
        Enrollment.objects.filter(
            status=Enrollment.Status.ACTIVE, season__program__municipality=coordinator.municipality_id
        )
        .values("season")
        .annotate(n=Count("pk"))
        .order_by("-n", "season")
        .values_list("season", flat=True)
        .first()
    )
    if submission_id is None or season_id is None:
        raise RuntimeError("the region data lack the methodist's review assignments or the coordinator's season")
    return [
        (BARE, None, "/bench/bare/"),
        ("home", None, "/"),
        ("program", None, "/programs/progressive-teacher/"),
        ("cabinet", "teacher@demo.ru", "/cabinet/"),
        ("expert_queue", "methodist@demo.ru", "/expert/reviews/"),
        ("review_page", "methodist@demo.ru", f"/expert/reviews/{submission_id}/"),
        (
            "coordinator_list",
            "coordinator@demo.ru",
            f"/admin/participants/enrollment/?season__id__exact={season_id}&status__exact=active",
        ),
        ("kpi_dashboard", "management@demo.ru", "/reports/"),
        ("kpi_dashboard_uncached", "management@demo.ru", "/reports/"),
    ]


def signed_in_client(email: str | None):
    from django.test import Client

    from participants.models import User

    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def measure(requests: int, warmup: int) -> dict:
    """Runs inside the Django subprocess; returns the figures."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    pages = key_pages()
    clients = {email: signed_in_client(email) for email in {email for _n, email, _u in pages}}

    def get(name, email, url):
        setting = UNCACHED.get(name.removesuffix("_uncached")) if name.endswith("_uncached") else None
        with override_settings(**({setting: 0} if setting else {})):
            response = clients[email].get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} as {email or 'anonymous'} answered {response.status_code}")
        return response

    for name, email, url in pages:
        for _ in range(warmup):
            get(name, email, url)
    queries, sql_ms, slowest = {}, {}, {}
    for name, email, url in pages:
        with CaptureQueriesContext(connection) as captured:
            get(name, email, url)
        queries[name] = len(captured)
        sql_ms[name] = sum(float(query["time"]) for query in captured.captured_queries) * 1000
        slowest[name] = max(captured.captured_queries, key=lambda query: float(query["time"]))
    times = {name: [] for name, _e, _u in pages}
    for round_no in range(requests):
        shift = round_no % len(pages)  # a different page goes first in each round
        for name, email, url in pages[shift:] + pages[:shift]:
            started = time.perf_counter()
            get(name, email, url)
            times[name].append(time.perf_counter() - started)
    bare_ms = statistics.median(times[BARE]) * 1000
    rows = {}
    for name, email, url in pages:
        ms = statistics.median(times[name]) * 1000
        ratio = ms / bare_ms
        missed = []
        if name != BARE:
            if queries[name] > QUERY_TARGET:
                missed.append(f"queries {queries[name]} > {QUERY_TARGET}")
            if ratio > RATIO_TARGET:
                missed.append(f"{ratio:.1f}x > {RATIO_TARGET:g}x")
        rows[name] = {
            "url": url,
            "user": email or "anonymous",
            "median_ms": round(ms, 2),
            "x_bare": round(ratio, 1),
            "queries": queries[name],
            "sql_ms": round(sql_ms[name], 1),
            "slowest_query_ms": round(float(slowest[name]["time"]) * 1000, 1),
            "slowest_query": " ".join(slowest[name]["sql"].split())[:160],
            "target": "-" if name == BARE else f"<= {QUERY_TARGET} queries, <= {RATIO_TARGET:g}x bare",
            "verdict": "-" if name == BARE else ("met" if not missed else "missed: " + "; ".join(missed)),
        }
    return {"requests_per_page": requests, "warmup_per_page": warmup, "pages": rows}


def table(rows: dict) -> str:
    lines = [f"{'page':18} {'median ms':>10} {'x bare':>7} {'queries':>8} {'sql ms':>7}  verdict"]
    for name, row in rows.items():
        lines.append(
            f"{name:18} {row['median_ms']:>10.2f} {row['x_bare']:>7.1f} {row['queries']:>8} {row['sql_ms']:>7.1f}  {row['verdict']}"
        )
    return "\n".join(lines)


def pages() -> dict:
    """The benchmark (harness side): region database, then the measuring subprocess."""
    import region as shared
    import run as harness

    db = shared.region()
    requests = int(os.environ.get("BENCH_PAGES_REQUESTS", "30"))
    warmup = int(os.environ.get("BENCH_PAGES_WARMUP", "3"))
    load_before = round(os.getloadavg()[0], 2)
    harness.say(f"pages: {warmup} warm-up + {requests} timed requests per page, interleaved with the bare view")
    result = subprocess.run(
        [harness.PYTHON, str(Path(__file__)), "--measure", str(requests), str(warmup)],
        cwd=BASE_DIR,
        env=db.env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the measuring process failed:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(table(figures["pages"]), flush=True)
    return {
        "database": db.database,
        "dataset": "seed_demo --scale region",
        "settings": "bench.settings, DEBUG off",
        "load_1m_before": load_before,
        **figures,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        sys.path[0] = str(BASE_DIR)  # bench.settings as a package, not bench/ modules at the top level
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        sys.exit("run through the harness: python bench/run.py pages")
