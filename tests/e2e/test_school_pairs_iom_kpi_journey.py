"""A coordinator's journey through the KPI «Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с ИОМ»
(сид 001, «Школа – Школе», ожидаемые результаты: «увеличение количества учителей, прошедших повышение квалификации в
соответствии с ИОМ») in real Chromium: the admin's «Добавить повышение квалификации» with the teacher found by the
autocomplete and the box «в соответствии с индивидуальным образовательным маршрутом (ИОМ)» ticked → «Показатели»
shows 2 this year against 1 last year as met → the KPI's page with the portal's default target «не менее 2 чел.»
and its label. axe-core runs on the portal's pages (no serious or critical violations)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connections
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "coordinator.iom@example.ru", "Shkola-Shkole-IOM-2026"


@pytest.fixture
def portal_data():
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from participants.models import ProfessionalDevelopment, User
    from programs.services import organisation_low_results_mark
    from projects.services_school_pairs import school_pair_create
    from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, ProgramFactory, SeasonFactory

    year = timezone.localdate().year
    town = MunicipalityFactory(name="Московский район", region="Санкт-Петербург", time_zone="Europe/Moscow")
    leader = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 500")
    weak = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 358")
    organisation_low_results_mark(organisation_ids=[weak.pk], year=year - 1, low_results=True)
    program = ProgramFactory(municipality=town, slug="shkola-shkole", title="Школа – Школе")
    season = SeasonFactory(program=program, starts_on=date(year - 1, 1, 1), ends_on=date(year, 12, 31))
    school_pair_create(season=season, leader=leader, partner=weak, starts_on=date(year - 1, 1, 10))
    first = PersonFactory(organisation=weak, last_name="Алексеева", first_name="Анна", user=None)
    PersonFactory(organisation=weak, last_name="Борисова", first_name="Вера", user=None)
    today = timezone.localdate()  # this year's courses have ended by today, whatever the day the suite runs
    for ends_on in (date(year - 1, 11, 20), today):
        ProfessionalDevelopment.objects.create(
            person=first,
            course_title="Адресная программа ПК",
            provider="ИМЦ Московского района",
            hours=36,
            ends_on=ends_on,
            per_individual_route=True,
        )
    user = User.objects.create_user(EMAIL, PASSWORD, is_staff=True, role=User.Role.COORDINATOR, municipality=town)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["participants", "programs"]))
    return {"year": year, "today": today}


def test_coordinator_records_a_course_under_iom_and_reads_the_kpi(live_server, portal_data, browser, shot, axe_check):
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

        page.goto(reverse("kpi_dashboard"))
        row = page.locator("#kpi-shnor-teachers-trained-per-iom")
        expect(row).to_contain_text("Не достигнуто")  # 1 this year, 1 last year: not more
        shot(page, "iom-kpi-01-before")

        page.goto(reverse("admin:participants_professionaldevelopment_add"))
        page.locator("#id_person").locator("xpath=..").locator(".select2-selection").click()
        page.locator(".select2-search__field").fill("Борисова")
        page.locator(".select2-results__option").filter(has_text="Борисова").click()
        page.get_by_label("Программа (курс)").fill("Адресная программа ПК по ИОМ")
        page.get_by_label("Организация, проводившая обучение").fill("ИМЦ Московского района")
        page.get_by_label("Объём, часов").fill("36")
        page.get_by_label("Окончание обучения").fill(portal_data["today"].strftime("%d.%m.%Y"))
        page.get_by_label("В соответствии с индивидуальным образовательным маршрутом (ИОМ)").check()
        page.get_by_role("button", name="Сохранить", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("добавлен")
        shot(page, "iom-kpi-02-recorded")

        page.goto(reverse("kpi_dashboard"))
        row = page.locator("#kpi-shnor-teachers-trained-per-iom")
        expect(row).to_contain_text("Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с ИОМ")
        expect(row).to_contain_text("Достигнуто")
        expect(row).not_to_contain_text("Не достигнуто")
        axe_check(page, "KPI overview with the ИОМ count")

        row.get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("прошедшие ПК в соответствии с ИОМ")
        expect(page.get_by_text(f"не менее 2 чел. (больше, чем 1 в {year - 1} году)").first).to_be_visible()
        expect(page.get_by_text("значение портала по умолчанию, можно изменить").first).to_be_visible()
        axe_check(page, "the ИОМ count's page")
        shot(page, "iom-kpi-03-detail")
    finally:
        context.close()
        connections.close_all()
