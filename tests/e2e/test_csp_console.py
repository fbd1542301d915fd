"""The Content-Security-Policy in real Chromium (Playwright, sync API) against the live server: the key pages
log no CSP violation in the console, and an embedded video player is allowed to load.

A teacher signs in through the form → home, cabinet, the calendar (a field selected on focus by a script
file), a video lesson with its embedded YouTube player; a coordinator signs in through the admin's form →
the admin index, the sign-in lock-outs, a list and a change form, the job overview. Every request that leaves the live server
is answered with an empty page, so nothing reaches the internet, yet the player's frame is requested: a frame
the policy refused would be reported as a violation and never requested.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Politika-Bezopasnosti-2026"
TEACHER_EMAIL = "csp.teacher@example.ru"
COORDINATOR_EMAIL = "csp.coordinator@example.ru"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def portal_data():
    from django.utils import timezone

    from activities.calendar import calendar_token_regenerate
    from participants.models import User
    from participants.roles import COORDINATORS, role_groups_ensure
    from tests.factories import EnrollmentFactory, PersonFactory, SubmissionFactory, VideoAssignmentFactory

    teacher = PersonFactory(user__email=TEACHER_EMAIL)
    teacher.user.set_password(PASSWORD)
    teacher.user.email_confirmed_at = timezone.now()
    teacher.user.save()
    enrollment = EnrollmentFactory(person=teacher)
    assignment = VideoAssignmentFactory(activity__season=enrollment.season)
    SubmissionFactory(assignment=assignment, enrollment=enrollment, video_url=YOUTUBE, topic="Дроби")
    calendar_token_regenerate(person=teacher)
    coordinator = User.objects.create_user(
        COORDINATOR_EMAIL,
        PASSWORD,
        is_staff=True,
        role=User.Role.COORDINATOR,
        municipality=enrollment.season.program.municipality,
    )
    coordinator.groups.add(role_groups_ensure()[COORDINATORS])
    return SimpleNamespace(assignment_id=assignment.pk, enrollment_id=enrollment.pk)


def _watch(page, violations: list[str]) -> None:
    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


def test_key_pages_log_no_csp_violation(live_server, portal_data, browser, shot):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    frames_requested: list[str] = []

    def outside(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
            return
        frames_requested.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>player</title>")

    context.route("**/*", outside)
    page = context.new_page()
    violations: list[str] = []
    _watch(page, violations)
    visited: list[str] = []

    def visit(url: str, name: str) -> None:
        response = page.goto(url)
        assert response.ok, (url, response.status)
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or (
            response.headers.get("content-security-policy")
        ), url
        page.wait_for_load_state("load")
        visited.append(url)
        shot(page, f"csp-{name}")

    try:
        visit("/", "home")
        visit(reverse("login"), "login")
        page.get_by_label("Электронная почта").fill(TEACHER_EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        expect(page).to_have_url(live_server.url + reverse("cabinet"))  # a teacher lands on the cabinet

        visit(reverse("cabinet"), "cabinet")
        visit(reverse("cabinet_calendar"), "calendar")
        address = page.locator("#calendar-url")
        address.focus()
        selection = page.evaluate(
            "() => { const f = document.getElementById('calendar-url'); return [f.selectionStart, f.selectionEnd]; }"
        )
        assert selection == [0, len(address.input_value())], "select-on-focus.js selects the address"

        visit(reverse("video_assignment", args=[portal_data.assignment_id]), "video")
        player = page.locator("iframe[src*='youtube-nocookie.com']")
        expect(player).to_have_count(1)
        player.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        assert any("youtube-nocookie.com/embed/dQw4w9WgXcQ" in url for url in frames_requested), frames_requested

        # The coordinator in a browser of their own (a fresh context: no teacher's session).
        page.context.clear_cookies()

        visit(reverse("admin:login"), "admin-login")
        page.locator("#id_username").fill(COORDINATOR_EMAIL)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("input[type=submit]").click()
        expect(page).to_have_url(live_server.url + reverse("admin:index"))
        visit(reverse("admin:index"), "admin")
        visit(reverse("admin:axes_accessattempt_changelist"), "admin-lockouts")
        visit(reverse("admin:participants_enrollment_changelist"), "admin-enrollments")
        visit(reverse("admin:participants_enrollment_change", args=[portal_data.enrollment_id]), "admin-enrollment")
        visit(reverse("admin:core_jobrun_overview"), "admin-jobs")
    finally:
        context.close()

    assert len(visited) == 11
    assert not violations, "\n".join(violations)


def test_a_refused_inline_script_is_reported(live_server, portal_data, browser):
    """The watch above can fail: an inline script added to a served page is refused and reported."""
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    violations: list[str] = []
    _watch(page, violations)
    try:
        page.goto("/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
            " document.body.appendChild(s); }"
        )
        page.wait_for_timeout(300)
        injected = page.evaluate("() => window.injected === 1")
    finally:
        context.close()

    assert not injected
    assert violations and "script" in violations[0].lower()
