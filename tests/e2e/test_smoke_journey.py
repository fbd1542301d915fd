"""Smoke journey in real Chromium (Playwright, sync API) against the live server.

Anonymous visitor: home page → the three programs → «Прогрессивный педагог» and its roadmap → login;
coordinator: /admin/ → seasons → the 2024–2025 season; then the low-vision mode on the home page.
A second pass on a 390 px phone screen reaches «Войти» through the collapsed menu.

Debian's Chromium is used (Playwright's own browser download is not available). Without it the test is
skipped locally and fails under CI, which installs it. E2E_SCREENSHOT_DIR=/tmp/e2e keeps screenshots.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COORDINATOR_EMAIL = "e2e.coordinator@example.ru"
COORDINATOR_PASSWORD = "Smoke-Journey-2025"
PROGRAMS = ["Прогрессивный педагог", "Методический абонемент", "Педкластер 27"]
FIRST_MODULE = "Знакомство. Цифровой профиль педагога"
LAST_MODULE = "Первый выпуск! Итоги Программы"


@pytest.fixture
def portal_data():
    """The three programs and a coordinator of the Progressive Teacher's municipality."""
    from participants.models import User
    from participants.roles import COORDINATORS, role_groups_ensure
    from programs.models import Program

    call_command("load_programs", verbosity=0)
    program = Program.objects.get(title="Прогрессивный педагог")
    coordinator = User.objects.create_user(
        COORDINATOR_EMAIL,
        COORDINATOR_PASSWORD,
        is_staff=True,
        role=User.Role.COORDINATOR,
        municipality=program.municipality,
    )
    coordinator.groups.add(role_groups_ensure()[COORDINATORS])
    return program


def test_smoke_journey(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    try:
        # Home page: the three loaded programs.
        page.goto("/")
        for title in PROGRAMS:
            expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
        shot(page, "01-home")
        axe_check(page, "home")

        # The Progressive Teacher page and its roadmap, first module before the last.
        page.get_by_role("link", name="Прогрессивный педагог", exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(reverse("program_detail", args=[portal_data.slug])) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Прогрессивный педагог")
        modules = page.locator("ol.timeline > li.timeline__item h3")
        expect(modules.filter(has_text=FIRST_MODULE)).to_have_count(1)
        expect(modules.filter(has_text=LAST_MODULE)).to_have_count(1)
        titles = [" ".join(text.split()) for text in modules.all_inner_texts()]
        first = next(i for i, text in enumerate(titles) if FIRST_MODULE in text)
        last = next(i for i, text in enumerate(titles) if LAST_MODULE in text)
        assert first < last, titles
        shot(page, "02-program")
        axe_check(page, "program page")

        # Log in by e-mail from the navbar.
        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Войти").click()
        expect(page.get_by_role("heading", name="Вход на портал")).to_be_visible()
        page.locator("input[name=username]").fill(COORDINATOR_EMAIL)
        page.locator("input[name=password]").fill(COORDINATOR_PASSWORD)
        axe_check(page, "login")
        shot(page, "03-login")
        page.locator(f"form[action='{reverse('login')}'] button[type=submit]").click()
        # Signed in from the program's page: a safe `next` wins over the coordinator's landing in the admin.
        expect(page.get_by_role("link", name="Администрирование")).to_be_visible()

        # The admin site and its seasons list.
        page.goto("/admin/")
        expect(page.locator("#site-name")).to_be_visible()
        seasons_url = reverse("admin:programs_season_changelist")
        page.locator(f"#content-main a[href='{seasons_url}']").first.click()
        expect(page).to_have_url(re.compile(re.escape(seasons_url) + "$"))
        expect(page.locator("#result_list")).to_contain_text("2024–2025")
        expect(page.locator("#result_list")).to_contain_text("Прогрессивный педагог")
        shot(page, "04-admin-seasons")

        # The low-vision version of the home page.
        page.goto("/")
        expect(page.locator("body")).not_to_have_class(re.compile(r"(^|\s)a11y(\s|$)"))
        page.get_by_role("button", name="Версия для слабовидящих").click()
        expect(page.locator("body")).to_have_class(re.compile(r"(^|\s)a11y(\s|$)"))
        # Large type must not push the page sideways (the navbar folds behind «Меню» instead).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # The way back is on screen without opening the folded menu (ГОСТ Р 52872-2019).
        expect(page.get_by_role("button", name="Обычная версия сайта")).to_be_visible()
        page.get_by_role("button", name="Меню").click()
        shot(page, "05-home-a11y")
        axe_check(page, "home, low-vision mode")
    finally:
        context.close()

    # A phone: the menu collapses behind its toggle, and «Войти» is still reachable.
    phone = browser.new_context(
        locale="ru-RU",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = phone.new_page()
    try:
        page.goto("/")
        for title in PROGRAMS:
            expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
        login = page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Войти")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            expect(login).to_be_hidden()
            toggler.click()
            expect(toggler).to_have_attribute("aria-expanded", "true")
            # Bootstrap swaps "collapsing" for "collapse show" once the menu has finished opening.
            expect(page.locator("#portal-menu")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
        expect(login).to_be_visible()
        shot(page, "06-phone-menu")
        login.click()
        expect(page.get_by_role("heading", name="Вход на портал")).to_be_visible()
        # No sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "07-phone-login")
    finally:
        phone.close()
