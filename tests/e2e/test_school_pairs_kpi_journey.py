"""A coordinator's journey through the KPI «Количество школ с низкими результатами обучения» (сид 001, «Школа –
Школе», ожидаемые результаты) in real Chromium: the admin's organisation list → the action «Отметить: школа с
низкими образовательными результатами в этом году» for two of last year's three ШНОР → «Показатели» shows the
count against the portal's default target «не более 2» as met → the KPI's page with the target's source and the
year before without data. axe-core runs on the portal's pages (no serious or critical violations)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "coordinator.kpi@example.ru", "Shkola-Shkole-KPI-2026"
SCHOOLS = ["ГБОУ школа № 500", "ГБОУ школа № 501", "ГБОУ школа № 502", "ГБОУ школа № 358"]


@pytest.fixture
def portal_data():
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from participants.models import User
    from programs.services import organisation_low_results_mark
    from tests.factories import MunicipalityFactory, OrganisationFactory

    town = MunicipalityFactory(name="Московский район", region="Санкт-Петербург", time_zone="Europe/Moscow")
    schools = [OrganisationFactory(municipality=town, short_name=name) for name in SCHOOLS]
    last_year = timezone.localdate().year - 1
    organisation_low_results_mark(organisation_ids=[s.pk for s in schools[:3]], year=last_year, low_results=True)
    organisation_low_results_mark(organisation_ids=[schools[3].pk], year=last_year, low_results=False)
    user = User.objects.create_user(EMAIL, PASSWORD, is_staff=True, role=User.Role.COORDINATOR, municipality=town)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="programs"))
    return {"year": last_year + 1}


def test_coordinator_marks_this_years_shnor_and_reads_the_kpi(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    year = portal_data["year"]
    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(reverse("login"))
        page.get_by_label("Электронная почта").fill(EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()

        page.goto(reverse("admin:programs_organisation_changelist"))
        for name in SCHOOLS[:2]:
            page.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()
        page.locator("select[name=action]").select_option(
            label="Отметить: школа с низкими образовательными результатами в этом году"
        )
        page.get_by_role("button", name="Выполнить").click()
        expect(page.get_by_text(f"Отмечено организаций: 2, сведения за {year} год.")).to_be_visible()
        shot(page, "shnor-kpi-01-marked")

        page.goto(reverse("kpi_dashboard"))
        row = page.locator("#kpi-low-result-schools")
        expect(row).to_contain_text("Количество школ с низкими результатами обучения")
        expect(row).to_contain_text("2 шк.")
        expect(row).to_contain_text("Достигнуто")
        axe_check(page, "KPI overview with the ШНОР count")
        shot(page, "shnor-kpi-02-overview")

        row.get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Количество школ с низкими результатами")
        expect(page.get_by_text(f"не более 2 шк. (меньше, чем 3 в {year - 1} году)").first).to_be_visible()
        expect(page.get_by_text("значение портала по умолчанию, можно изменить").first).to_be_visible()
        expect(page.get_by_text("Нет данных за прошлый год").first).to_be_visible()  # the year before last
        axe_check(page, "the ШНОР count's page")
        shot(page, "shnor-kpi-03-detail")
    finally:
        context.close()
        connections.close_all()
