"""The personnel reserve of «Школа Лидеров образования» (сид 001) in real Chromium: the coordinator lists a
deputy head in the reserve and gives her a trajectory item; she finds it in her cabinet, reports on it, and the
coordinator reads the report on her page. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ITEM = "Стажировка на базе ГБОУ школы № 376"
REPORT = "Прошла стажировку, подготовила проект «Школа полного дня»"


@pytest.fixture
def portal_data():
    from participants.models import Enrollment
    from tests.factories import EnrollmentFactory, PersonFactory
    from tests.projects.reserve_world import reserve_world

    world = reserve_world()
    teacher = PersonFactory(
        organisation=world.school, last_name="Лидерова", first_name="Анна", position="Заместитель директора"
    )
    # She attends the leaders' school's seminars: its season is in her cabinet.
    EnrollmentFactory(season=world.season, person=teacher, status=Enrollment.Status.ACTIVE)
    return {"world": world, "teacher": teacher}


def _login(browser, live_server, user):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.goto(reverse("login"))
    page.get_by_label("Электронная почта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    return context, page


def test_the_coordinator_adds_a_member_and_an_item_and_the_member_reports(
    live_server, portal_data, browser, shot, axe_check
):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    world, teacher = portal_data["world"], portal_data["teacher"]

    context, page = _login(browser, live_server, world.coordinator)
    try:
        page.goto(reverse("reserve_list"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Кадровый резерв")
        axe_check(page, "reserve list (empty)")
        page.get_by_role("link", name="Внести в резерв").click()
        axe_check(page, "reserve member form")
        page.get_by_label("Человек").select_option(label=f"{teacher.full_name} ({teacher.organisation})")
        page.get_by_label("Член резерва").check()
        page.get_by_label("Источник").select_option(label="Профессиональный конкурс «Управленцы будущего»")
        page.get_by_label("Дата").fill("2025-12-20")
        page.get_by_role("button", name="Внести").click()
        # Included without the decision: the error is at the field, the choices stay.
        expect(page.get_by_text("Укажите решение о включении в резерв")).to_be_visible()
        expect(page.get_by_label("Член резерва")).to_be_checked()
        page.get_by_label("Решение о включении").fill("Распоряжение администрации района от 20.12.2025 № 512")
        page.get_by_role("button", name="Внести").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Лидерова Анна"))
        expect(page.locator("[data-status]")).to_have_text("В резерве")
        page.get_by_text("Добавить пункт").first.click()
        page.get_by_label("Форма").select_option(label="Стажировка")
        page.get_by_label("Что предстоит сделать").fill(ITEM)
        page.get_by_label("Срок").fill("2026-04-30")
        page.get_by_role("button", name="Добавить пункт").click()
        expect(page.get_by_role("link", name=ITEM)).to_be_visible()
        shot(page, "reserve-01-member")
        axe_check(page, "reserve member page")
        member_url = page.url
    finally:
        context.close()

    context, page = _login(browser, live_server, teacher.user)
    try:
        page.goto(reverse("cabinet"))
        section = page.locator("section", has=page.get_by_role("heading", name="Моя траектория в кадровом резерве"))
        expect(section).to_contain_text(ITEM)
        axe_check(page, "cabinet with the trajectory")
        section.get_by_role("link", name="Написать отчёт").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(ITEM)
        page.get_by_role("button", name="Сохранить отчёт").click()
        expect(page.get_by_text("Напишите, что сделано.")).to_be_visible()
        page.get_by_label("Отчёт о выполнении").fill(REPORT)
        page.get_by_role("button", name="Сохранить отчёт").click()
        expect(page).to_have_url(re.compile(re.escape(reverse("my_trajectory")) + "$"))
        expect(page.get_by_text(REPORT)).to_be_visible()
        expect(page.get_by_text("Выполняется")).to_be_visible()
        shot(page, "reserve-02-my-trajectory")
        axe_check(page, "my trajectory")
    finally:
        context.close()

    context, page = _login(browser, live_server, world.coordinator)
    try:
        page.goto(member_url)
        expect(page.get_by_text(REPORT)).to_be_visible()
    finally:
        context.close()
