"""A long job's status page in real Chromium: the bar follows the job and the download appears when it ends.

The test itself plays the worker: it reports progress and finishes the job in the database while the page
polls /jobs/<id>/status.json.
"""

from __future__ import annotations

import pytest
from django.db import connections
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL, PASSWORD = "e2e.jobs@example.ru", "Job-Progress-2025"


@pytest.fixture
def portal_data():
    from core.jobs import background_job_create, background_job_progress
    from participants.models import User

    user = User.objects.create_user(EMAIL, PASSWORD, is_staff=True, role=User.Role.COORDINATOR)
    job = background_job_create(kind="certificates", title="Сертификаты: вебинар", by=user, total=4)
    background_job_progress(job_id=job.pk, done=1)
    return job


def test_status_page_follows_the_job(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    from core.jobs import background_job_finish, background_job_progress

    job = portal_data
    expect.set_options(timeout=15_000)
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(reverse("login"))
        page.get_by_label("Электронная почта").fill(EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.goto(reverse("background_job", args=[job.pk]))

        bar = page.get_by_role("progressbar", name="Ход выполнения")
        expect(page.get_by_role("heading", level=1)).to_have_text("Сертификаты: вебинар")
        expect(bar).to_have_attribute("aria-valuenow", "25")
        expect(page.get_by_role("link", name="Скачать результат")).to_have_count(0)
        shot(page, "job-01-running")
        axe_check(page, "job status page")

        background_job_progress(job_id=job.pk, done=3, message="Готовим PDF")
        expect(bar).to_have_attribute("aria-valuenow", "75")
        expect(bar.locator(".progress-bar")).to_have_text("75%")
        expect(page.get_by_text("Сделано 3 из 4")).to_be_visible()
        expect(page.get_by_text("Готовим PDF")).to_be_visible()

        background_job_finish(
            job_id=job.pk, message="Выдано 4 сертификата", result_name="certificates.zip", result_content=b"PK\x05\x06"
        )
        download = page.get_by_role("link", name="Скачать результат")
        expect(download).to_be_visible()  # the page reloaded itself once the job ended
        expect(bar).to_have_attribute("aria-valuenow", "100")
        expect(page.get_by_text("Выдано 4 сертификата")).to_be_visible()
        shot(page, "job-02-done")
        with page.expect_download() as info:
            download.click()
        assert info.value.suggested_filename.startswith("certificates")
    finally:
        context.close()
        # The ORM calls above ran beside Playwright's loop on a connection of their own: close it, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()
