"""Management and a school director read the KPI dashboard in real Chromium and download the workbook.

The test plays the Celery worker for the workbook (export_run in this process); a real worker writing it is
tests/reports/test_kpi_download_view.py's job.
"""

from __future__ import annotations

import io
import re

import pytest
from django.db import connections
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_data():
    from tests.reports.dashboard_world import build_world, director, management

    world = build_world()
    world["management"] = management(world["home"])
    world["director"] = director(world["s1"])
    return world


def _login(browser, live_server, user):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.goto(reverse("login"))
    page.get_by_label("Электронная почта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    return context, page


def test_management_reads_filters_opens_a_kpi_and_downloads_the_workbook(
    live_server, portal_data, browser, shot, axe_check
):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    from core.models import BackgroundJob
    from reports.exports import export_run

    world = portal_data
    expect.set_options(timeout=15_000)
    context, page = _login(browser, live_server, world["management"])
    try:
        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Показатели").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Показатели (KPI)")
        row = page.locator("#kpi-dpo-federal-registry-diagnostics")
        expect(row).to_contain_text("25 %")  # 1 of the district's 4 teachers
        expect(row).to_contain_text("Достигнуто")
        expect(page.get_by_role("img").first).to_be_visible()  # the order KPIs' chart
        shot(page, "kpi-01-overview")
        axe_check(page, "KPI overview")

        page.get_by_label("Школа").select_option(label="Школа № 2")
        page.get_by_role("button", name="Показать").click()
        expect(page).to_have_url(re.compile(rf"/reports/\?year={world['year']}&season=&organisation={world['s2'].pk}$"))
        expect(row).to_contain_text("0 %")  # school 2's trained teacher did not choose by diagnostics
        expect(row).to_contain_text("Не достигнуто")

        row.get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Федерального реестра")
        expect(page.get_by_role("table", name="значение и цель по годам")).to_be_visible()
        shot(page, "kpi-02-detail")
        axe_check(page, "KPI page")

        page.get_by_role("button", name="Скачать XLSX").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Показатели (KPI)")
        job = BackgroundJob.objects.get(started_by=world["management"])
        assert job.params["organisation"] == world["s2"].pk
        export_run(job_id=job.pk)
        link = page.get_by_role("link", name="Скачать результат")
        expect(link).to_be_visible()  # the status page reloads itself when the job ends
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
        summary = workbook["Сводка"]
        rows = [r for r in summary.iter_rows(values_only=True) if r]
        header = next(r for r in rows if r[0] == "Группа")
        column = {title: index for index, title in enumerate(header)}
        values = {r[1]: r for r in rows if r[0] in ("приказ", "программа")}
        name = next(n for n in values if n.startswith("Доля педагогов, освоивших программы ДПО"))
        row = values[name]  # school 2: numerator, denominator, value
        assert (row[column["Числитель, значение"]], row[column["Знаменатель, значение"]], row[column["Значение"]]) == (
            0,
            2,
            0,
        )
        shot(page, "kpi-03-job")
    finally:
        context.close()
        connections.close_all()


def test_a_director_sees_their_school_only(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    world = portal_data
    expect.set_options(timeout=15_000)
    context, page = _login(browser, live_server, world["director"])
    try:
        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Показатели").click()
        expect(page.get_by_text("Школа № 1", exact=False).first).to_be_visible()
        expect(page.get_by_label("Школа")).to_have_count(0)  # nothing to choose: their own school only
        expect(page.locator("#kpi-dpo-federal-registry-diagnostics")).to_contain_text("50 %")  # 1 of a, b
        shot(page, "kpi-04-director")
        axe_check(page, "KPI overview for a director")

        response = page.goto(f"/reports/?organisation={world['s2'].pk}")
        assert response.status == 404
    finally:
        context.close()
        connections.close_all()
