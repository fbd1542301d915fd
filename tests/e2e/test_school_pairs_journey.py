"""A coordinator's «Школа – Школе» journey (сид 001) in real Chromium: the pairs page → «Создать пару» (first
with the pair's end before its start, then corrected) → the pair's page → «Импорт результатов» (a file with a bad
mark first, then a good one) → «Динамика результатов» with the year-over-year change of the ШНОР school.
axe-core runs on every page (no serious or critical violations)."""

from __future__ import annotations

import io

import pytest
from django.db import connections
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "coordinator.pairs@example.ru", "Shkola-Shkole-2026"
LEADER, SHNOR = "ГБОУ школа № 358", "ГБОУ школа № 500"
HEADERS = ["Школа", "Год", "Процедура", "Предмет", "Класс", "Участников", "Средний балл", "Доля низких результатов, %"]


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in rows:
        workbook.active.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


@pytest.fixture
def portal_data():
    from participants.models import User
    from tests.factories import MunicipalityFactory, OrganisationFactory, ProgramFactory, SeasonFactory, SubjectFactory

    town = MunicipalityFactory(name="Московский район", region="Санкт-Петербург", time_zone="Europe/Moscow")
    program = ProgramFactory(slug="shkola-shkole", title="Школа – Школе", code="ШШ", municipality=town)
    SeasonFactory(program=program, title="2025–2026", time_zone="Europe/Moscow")
    OrganisationFactory(municipality=town, short_name=LEADER)
    OrganisationFactory(municipality=town, short_name=SHNOR, low_results=True)
    SubjectFactory(name="Математика")
    User.objects.create_user(EMAIL, PASSWORD, is_staff=True, role=User.Role.COORDINATOR, municipality=town)


def test_coordinator_creates_a_pair_imports_results_and_opens_the_dynamics(
    live_server, portal_data, browser, shot, axe_check, tmp_path
):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="ru-RU", base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(reverse("login"))
        page.get_by_label("Электронная почта").fill(EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()

        page.goto(reverse("school_pairs"))
        expect(page.get_by_role("heading", level=1)).to_have_text("«Школа – Школе»: пары школ")
        expect(page.get_by_text("Пар пока нет.")).to_be_visible()
        axe_check(page, "pairs list")
        page.get_by_role("link", name="Создать пару").click()

        page.get_by_label("Школа-лидер (наставник, мастер)").select_option(label=LEADER)
        page.get_by_label("Роль ведущей школы").select_option(label="Школа-наставник")
        page.get_by_label("Школа ШНОР").select_option(label=SHNOR)
        page.get_by_label("Пара работает с").fill("2025-09-01")
        page.get_by_label("по", exact=True).fill("2025-08-01")
        page.get_by_role("button", name="Создать пару").click()
        expect(page.get_by_text("Пара не может закончить работу раньше, чем начала.")).to_be_visible()
        expect(page.get_by_label("Пара работает с")).to_have_value("2025-09-01")  # nothing typed is lost
        shot(page, "pairs-01-error")
        axe_check(page, "pair form with an error")
        page.get_by_label("по", exact=True).fill("")
        page.get_by_role("button", name="Создать пару").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(f"Пара «{LEADER} – {SHNOR}»")
        expect(page.get_by_text("Пара «ГБОУ школа № 358 – ГБОУ школа № 500» создана.")).to_be_visible()
        axe_check(page, "pair page")

        page.goto(reverse("school_pairs_results_import"))
        bad = tmp_path / "bad.xlsx"
        bad.write_bytes(_xlsx([[SHNOR, "2025", "ВПР", "Математика", "5", "48", "7", "21"]]))
        page.get_by_label("Файл с результатами ВПР, ОГЭ, ЕГЭ").set_input_files(str(bad))
        page.get_by_role("button", name="Импортировать").click()
        expect(page.locator("#import-problems")).to_contain_text("не число от 2 до 5")
        axe_check(page, "import with problems")
        good = tmp_path / "good.xlsx"
        good.write_bytes(
            _xlsx(
                [
                    [SHNOR, "2025", "ВПР", "Математика", "5", "48", "3,1", "21"],
                    [SHNOR, "2026", "ВПР", "Математика", "5", "51", "3,4", "13,7"],
                ]
            )
        )
        page.get_by_label("Файл с результатами ВПР, ОГЭ, ЕГЭ").set_input_files(str(good))
        page.get_by_role("button", name="Импортировать").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("«Школа – Школе»: динамика результатов")
        expect(page.get_by_text("Импортировано результатов оценочных процедур: 2.")).to_be_visible()
        table = page.get_by_role("heading", name=SHNOR).locator("xpath=..").get_by_role("table")
        expect(table).to_contain_text("2025")
        expect(table).to_contain_text("2026")
        expect(table).to_contain_text("низких результатов меньше")
        shot(page, "pairs-02-dynamics")
        axe_check(page, "dynamics")
    finally:
        context.close()
        connections.close_all()
