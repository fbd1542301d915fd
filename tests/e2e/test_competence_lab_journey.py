"""The lab of professional competences in real Chromium (seed 001, «Лаборатория профессиональных компетенций»):
a kindergarten's director answers the year's express survey for their organisation (a mentor on a theme); the
organising committee (the coordinator) approves the mentor and matches a learner of another kindergarten with
them; the map by theme shows the pair. axe-core runs on every page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THEME = "Развивающая предметно-пространственная среда ДОО"


@pytest.fixture
def portal_data():
    from projects.services_competence_lab import lab_survey_open, learner_request_create
    from tests.projects.lab_world import coordinator, director, kindergarten, lab_municipality, teacher, theme

    today = timezone.localdate()
    town = lab_municipality(starts_on=date(today.year - 1, 9, 1), ends_on=date(today.year + 1, 8, 31))
    first, second = kindergarten(town, "ГБДОУ детский сад № 11"), kindergarten(town, "ГБДОУ детский сад № 12")
    topic = theme(town, THEME)
    mentor = teacher(first, "Наставникова", first_name="Ольга")
    learner = teacher(second, "Ученикова", first_name="Анна")
    learner_request_create(person=learner, theme=topic)
    committee = coordinator(town)
    survey = lab_survey_open(municipality=town, year=today.year, by=committee, now=timezone.now())
    return {
        "town": town,
        "survey": survey,
        "director": director(first),
        "coordinator": committee,
        "mentor": mentor,
        "learner": learner,
    }


def _login(browser, live_server, user):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.goto(reverse("login"))
    page.get_by_label("Электронная почта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()
    return context, page


def test_director_answers_coordinator_matches_map_shows_the_pair(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    data = portal_data
    expect.set_options(timeout=15_000)
    map_url = reverse("lab_map", args=[data["town"].pk])

    # The director finds the open survey on the map and answers for their kindergarten.
    context, page = _login(browser, live_server, data["director"])
    try:
        page.goto(map_url)
        expect(page.get_by_role("heading", level=1)).to_have_text("Районная карта наставников")
        axe_check(page, "lab map (director)")
        page.get_by_role("link", name="Ответить за свою организацию").click()
        page.locator("#id_lines-0-kind").select_option("mentor")
        page.locator("#id_lines-0-person").select_option(label="Наставникова Ольга Петровна")
        page.locator("#id_lines-0-theme").select_option(label=THEME)
        page.locator("#id_lines-0-format").select_option("master_class")
        page.locator("#id_lines-0-capacity").fill("2")
        shot(page, "lab-01-survey")
        axe_check(page, "survey answer")
        page.get_by_role("button", name="Отправить ответ").click()
        expect(page.get_by_text("Ответ организации на экспресс-опрос принят")).to_be_visible()
    finally:
        context.close()

    # The committee approves the mentor and matches the learner of the other kindergarten.
    context, page = _login(browser, live_server, data["coordinator"])
    try:
        page.goto(reverse("lab_survey_summary", args=[data["survey"].pk]))
        expect(page.get_by_text("Ответили 1 из 3 организаций")).to_be_visible()
        axe_check(page, "survey summary")
        page.goto(map_url)
        page.get_by_role("button", name="Одобрить").click()
        expect(page.get_by_text("одобрен")).to_be_visible()
        page.get_by_role("link", name="Подобрать наставника").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Подбор наставника")
        axe_check(page, "match")
        page.get_by_label("Наставникова Ольга Петровна", exact=False).check()
        page.get_by_role("button", name="Составить пару").click()
        expect(page.get_by_text("Наставник подобран")).to_be_visible()
        row = page.get_by_role("row", name="Наставникова Ольга Петровна", exact=False)
        expect(row).to_contain_text("Ученикова Анна Петровна")
        expect(row).to_contain_text("ГБДОУ детский сад № 11")
        shot(page, "lab-02-map")
        axe_check(page, "lab map (coordinator)")
    finally:
        context.close()
