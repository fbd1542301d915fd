"""Browser fixtures shared by the journeys: Debian's Chromium through Playwright, screenshots, axe-core.

Debian's Chromium is used (Playwright's own browser download is not available). Without it the tests are
skipped locally and fail under CI, which installs it. E2E_SCREENSHOT_DIR=/tmp/e2e keeps screenshots.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture
def browser(monkeypatch, portal_data):
    """Debian's Chromium through Playwright; None under CI when it is missing (the test then fails).

    Started only after the data are written (hence portal_data, which each journey defines): while
    Playwright's loop runs in this thread, asgiref gives Django's ORM a separate connection here that
    nothing closes, and PostgreSQL then refuses to drop the test database at the end of the session.
    """
    if not CHROMIUM.exists():
        if _ci():
            yield None  # fail in the test itself, so that the run reports a FAILED test, not a setup error
            return
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium); CI is not set, so skipping")
    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run beside it
    # (an ORM call in the test body while the browser is open, say).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def shot():
    """shot(page, name): a full-page screenshot into E2E_SCREENSHOT_DIR when that is set."""
    folder = os.environ.get("E2E_SCREENSHOT_DIR")

    def take(page, name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


# axe-core impacts that fail a page: no serious or critical violations (WCAG 2.1 AA is the bar).
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def axe_check():
    """axe_check(page, name): run axe-core (bundled by the axe-playwright-python package) on the page.

    Fails with every serious or critical violation listed: rule, impact, help text and the offending nodes.
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name: str) -> dict:
        results = axe.run(page).response
        # An axe that checked nothing (script not injected, blank page) must not pass silently.
        assert results.get("passes"), f"axe-core ran no checks on {name} ({page.url})"
        blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            lines = [f"axe-core on {name} ({page.url}): {len(blocking)} serious/critical violation(s)"]
            for violation in blocking:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(
                    f"    {node['target']}: {node.get('failureSummary', '')[:300]}" for node in violation["nodes"][:5]
                )
            pytest.fail("\n".join(lines))
        return results

    return check
