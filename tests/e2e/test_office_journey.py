"""The project office's journey in real Chromium (сид 001, «ИМЦ – офис инициации и управления проектами»).

A coordinator of Московский район signs in, opens the registry of the centre's six projects (loaded by
load_programs), opens «Траектория развития», marks the design stage's monitoring done with a note, and downloads the
cascade's report as XLSX, which openpyxl reads.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "e2e.office@example.ru"
PASSWORD = "Office-Journey-2026"
# The design stage's monitoring: the seed's 2020–2021, always the academic year before the current one.
SEMINAR = "Мониторинг внедрения целевой модели наставничества с применением лучших практик обмена опытом"


@pytest.fixture
def portal_data():
    from participants.models import User
    from programs.models import Municipality

    call_command("load_programs", verbosity=0)
    municipality = Municipality.objects.get(name="Московский район")
    return User.objects.create_user(
        EMAIL, PASSWORD, is_staff=True, role=User.Role.COORDINATOR, municipality=municipality
    )


def test_office_journey(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    from projects.models.office import ProjectEvent, WorkState

    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(reverse("login") + "?next=" + reverse("office_registry"))
        page.locator("input[name=username]").fill(EMAIL)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator(f"form[action^='{reverse('login')}'] button[type=submit]").click()

        # The registry: the six projects of the cascade.
        expect(page.get_by_role("heading", name="Реестр проектов")).to_be_visible()
        expect(page.locator("tbody tr")).to_have_count(6)
        axe_check(page, "office registry")
        shot(page, "office-01-registry")

        page.get_by_role("link", name="Траектория развития", exact=True).click()
        expect(page.get_by_role("heading", name="Траектория развития", level=1)).to_be_visible()
        row = page.locator("tr", has_text=SEMINAR)
        expect(row.get_by_text("просрочено")).to_be_visible()
        axe_check(page, "office project")

        row.locator("select[name=state]").select_option("done")
        row.locator("input[name=note]").fill("Проведён, 42 участника")
        row.get_by_role("button", name="Отметить").click()
        expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text("выполнено")
        row = page.locator("tr", has_text=SEMINAR)
        expect(row.get_by_text("Проведён, 42 участника")).to_be_visible()
        expect(row.get_by_text("просрочено")).to_have_count(0)
        shot(page, "office-02-project")

        page.get_by_role("link", name="Реестр проектов").first.click()
        with page.expect_download() as info:
            page.get_by_role("link", name="XLSX").first.click()
        workbook = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
        events = {(row[0], row[1]): row for row in workbook["Мероприятия"].values}
        assert events[("Траектория развития", "1")][6] == "выполнено"
    finally:
        context.close()
    seminar = ProjectEvent.objects.get(project__slug="traektoriya-razvitiya", number="1")
    assert (seminar.state, seminar.result_note) == (WorkState.DONE, "Проведён, 42 участника")
