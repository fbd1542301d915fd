"""Lighthouse (Google's page auditor, from the npm registry: package.json devDependencies) on the key pages.

The portal runs on the live server; the Lighthouse CLI drives Debian's Chromium over each page once and the
accessibility, best-practices and SEO categories must score well: accessibility 1.0 (full), best practices ≥ 0.9,
SEO ≥ 0.9 on public pages. Signed-in pages carry the session cookie in --extra-headers; SEO does not apply to
them (nobody indexes a cabinet). /verify/ is kept out of search engines on purpose (robots noindex: the page
with a number typed shows a person's name), so its SEO score is taken without the «is crawlable» audit, and
that audit must fail for the noindex alone.

No network: Chromium resolves no host but the live server's (--host-resolver-rules), its background traffic
is off, and throttling is «provided» (no simulated network). Without Chromium or Lighthouse (make test runs
npm ci with the devDependencies) the test is skipped locally and fails under CI. Pages run on Lighthouse's
default phone screen (a certificate's QR code and the registration link are opened on phones), the expert
queue on the desktop preset (reviewers watch lessons at a computer). LIGHTHOUSE_REPORT_DIR=/tmp/lh keeps the
JSON reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from programs.accessibility import MODE_COOKIE, SETTINGS_COOKIE, settings_from_cookie
from tests.factories import EnrollmentFactory
from tests.ratings.conftest import world  # noqa: F401  (a fixture used below)

from .conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIGHTHOUSE = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "lighthouse"
# Accessibility must be full: one contrast failure costs only ~0.04, so a lower bar would let it through.
MINIMUM = {"accessibility": 1.0, "best-practices": 0.9, "seo": 0.9}
# Four runs at a time: «provided» throttling makes each run wait for 5.25 s of network and CPU quiet (twice),
# which costs no CPU, so four overlap well even on two cores.
WORKERS = 4
# The low-vision version in its hardest scheme for grey text: white on black.
LOW_VISION_WHITE_ON_BLACK = (
    f"{MODE_COOKIE}=1; {SETTINGS_COOKIE}={replace(settings_from_cookie(None), scheme='wb').cookie_value()}"
)


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    cookie: str = ""
    public: bool = True  # SEO applies
    noindex: bool = False  # kept out of search engines on purpose
    desktop: bool = False  # Lighthouse's desktop preset instead of its default phone

    @property
    def slug(self) -> str:
        return "".join(c if c.isalnum() else "-" for c in self.name)


def _missing(what: str) -> None:
    (pytest.fail if os.environ.get("CI") else pytest.skip)(what)


def _chrome_flags(host: str) -> str:
    # Everything but the live server resolves to nothing: no request can leave the machine.
    return " ".join(["--headless=new", *CHROMIUM_ARGS, f'--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE {host}"'])


def lighthouse(url: str, *, cookie: str = "", host: str = "localhost", desktop: bool = False) -> dict:
    """One Lighthouse run over the page: its JSON report (lhr)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--only-categories=accessibility,best-practices,seo",
        "--output=json",
        "--output-path=stdout",
        "--throttling-method=provided",
        "--disable-full-page-screenshot",
        "--no-enable-error-reporting",
        "--quiet",
        "--locale=ru",
        f"--chrome-flags={_chrome_flags(host)}",
    ]
    if desktop:
        command.append("--preset=desktop")
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
    )
    assert run.returncode == 0, f"Lighthouse failed on {url}:\n{run.stderr[-3000:]}"
    return json.loads(run.stdout)


def failing_audits(report: dict, category: str, *, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """The category's weighted audits that did not pass: «id: title (score)»."""
    audits = report["audits"]
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and ref["id"] not in leave_out and audit["score"] is not None and audit["score"] < 1:
            lines.append(f"{ref['id']}: {audit['title']} ({audit['score']})")
    return lines


def score(report: dict, category: str, *, leave_out: frozenset[str] = frozenset()) -> float:
    """Lighthouse's own weighted mean, optionally without some audits (the category score when none is left out)."""
    if not leave_out:
        return report["categories"][category]["score"]
    refs = [
        ref
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] and ref["id"] not in leave_out and report["audits"][ref["id"]]["score"] is not None
    ]
    total = sum(ref["weight"] for ref in refs)
    return sum(ref["weight"] * report["audits"][ref["id"]]["score"] for ref in refs) / total


def verdicts(page: Page, report: dict) -> list[str]:
    """What is wrong with the page by the thresholds, each category with the audits that failed it."""
    problems = []
    categories = ["accessibility", "best-practices"] + (["seo"] if page.public else [])
    for category in categories:
        leave_out = frozenset({"is-crawlable"}) if category == "seo" and page.noindex else frozenset()
        value = score(report, category, leave_out=leave_out)
        if value < MINIMUM[category]:
            failing = "; ".join(failing_audits(report, category, leave_out=leave_out))
            problems.append(f"{page.name} {page.path}: {category} {value:.2f} < {MINIMUM[category]} — {failing}")
    if page.noindex:
        crawlable = report["audits"]["is-crawlable"]
        if crawlable["score"] != 0 or "noindex" not in json.dumps(crawlable.get("details", {})):
            problems.append(f"{page.name} {page.path}: expected to be kept out of search engines by robots noindex")
    return problems


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_the_thresholds_can_fail():
    """The verdict reads the report's scores and names the failing audits (a report shaped like Lighthouse's)."""
    report = {
        "categories": {
            "accessibility": {"score": 0.8, "auditRefs": [{"id": "color-contrast", "weight": 7}]},
            "best-practices": {"score": 1, "auditRefs": [{"id": "errors-in-console", "weight": 1}]},
            "seo": {
                "score": 0.6,
                "auditRefs": [{"id": "is-crawlable", "weight": 4.04}, {"id": "document-title", "weight": 1}],
            },
        },
        "audits": {
            "color-contrast": {"score": 0, "title": "Background and foreground colors do not have enough contrast"},
            "errors-in-console": {"score": 1, "title": "No browser errors logged to the console"},
            "is-crawlable": {"score": 0, "title": "Page is blocked from indexing", "details": {"items": ["noindex"]}},
            "document-title": {"score": 1, "title": "Document has a <title> element"},
        },
    }
    problems = verdicts(Page("home", "/"), report)
    assert len(problems) == 2
    assert "accessibility 0.80" in problems[0] and "color-contrast: Background and foreground" in problems[0]
    assert "seo 0.60" in problems[1] and "is-crawlable" in problems[1]
    (signed_in,) = verdicts(Page("cabinet", "/cabinet/", public=False), report)  # SEO does not apply
    assert signed_in.startswith("cabinet /cabinet/: accessibility 0.80")
    (kept_out,) = verdicts(Page("verify", "/verify/", noindex=True), report)  # SEO without «is crawlable»: 1.0
    assert kept_out.startswith("verify /verify/: accessibility 0.80")
    report["audits"]["is-crawlable"] = {"score": 1, "title": "Page isn’t blocked from indexing"}
    assert any("robots noindex" in line for line in verdicts(Page("verify", "/verify/", noindex=True), report))


def test_key_pages_pass_lighthouse(live_server, world):  # noqa: F811
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    if not LIGHTHOUSE.exists():
        _missing(f"{LIGHTHOUSE} is missing: make test installs it (npm ci with the devDependencies)")

    season = world.season
    teacher = EnrollmentFactory(season=season).person.user
    expert = world.methodist.person.user
    pages = [
        Page("home", reverse("home")),
        Page("login", reverse("login")),
        Page("registration", reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})),
        Page("verify", reverse("certificate_lookup"), noindex=True),
        Page("cabinet", reverse("cabinet"), cookie=_session_cookie(teacher), public=False),
        Page(
            "cabinet, low-vision version white on black",
            reverse("cabinet"),
            cookie=f"{_session_cookie(teacher)}; {LOW_VISION_WHITE_ON_BLACK}",
            public=False,
        ),
        Page("expert queue", reverse("review_queue"), cookie=_session_cookie(expert), public=False, desktop=True),
    ]
    host = live_server.url.split("//", 1)[1].rsplit(":", 1)[0]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        reports = list(
            pool.map(
                lambda p: lighthouse(live_server.url + p.path, cookie=p.cookie, host=host, desktop=p.desktop), pages
            )
        )
    took = time.monotonic() - started
    if folder := os.environ.get("LIGHTHOUSE_REPORT_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        for page, report in zip(pages, reports, strict=True):
            (Path(folder) / f"{page.slug}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")

    problems = []
    for page, report in zip(pages, reports, strict=True):
        assert report["finalDisplayedUrl"] == live_server.url + page.path, (page.name, report["finalDisplayedUrl"])
        assert not report.get("runtimeError"), (page.name, report.get("runtimeError"))
        scores = {name: category["score"] for name, category in report["categories"].items()}
        print(f"{page.name} ({report['configSettings']['formFactor']}): {scores}")
        problems.extend(verdicts(page, report))
    print(f"Lighthouse on {len(pages)} pages: {took:.0f} s")
    assert not problems, "\n" + "\n".join(problems)
