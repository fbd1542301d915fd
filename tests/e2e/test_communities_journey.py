"""Professional communities «ПРОкомьюнити» (сид 001) in real Chromium (Playwright, sync API) against the live server.

A member signs in → the cabinet's section «Профессиональные сообщества» → the bank → «Добавить в банк» → a practice
sent first without a link or file (the error is at the field, nothing typed is lost), then with a link → the bank
lists it. A colleague of another community signs in → the bank → rates it 5 → «Вы уже оценили» → the board shows
the author's points anonymously (no rating consent) and the colleague by name (consent given). axe-core runs on
every page (no serious or critical violations).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRACTICE = "Урок-исследование по физике: сценарий"
LINK = "https://imc-moskovsky.example/bank/urok-issledovanie"


@dataclass
class PortalData:
    season_id: int
    author_email: str
    author_enrollment_id: int
    rater_email: str
    rater_name: str
    community_name: str


@pytest.fixture
def portal_data():
    """Two communities of five in a season of the program `prokommyuniti`; the rater consented to the rating."""
    from participants.models import Consent
    from tests.projects.communities_fixtures import community_with, season_of

    season = season_of()
    community, members = community_with(season, 5, name="Сообщество учителей физики")
    _other, others = community_with(season, 5, name="Сообщество наставников")
    author, rater = members[1].enrollment, others[2].enrollment
    Consent.objects.create(
        person=rater.person, kind=Consent.Kind.RATING_PUBLICATION, text_version="1", text_sha256="0" * 64
    )
    return PortalData(
        season_id=season.pk,
        author_email=author.person.user.email,
        author_enrollment_id=author.pk,
        rater_email=rater.person.user.email,
        rater_name=f"{rater.person.last_name} {rater.person.first_name}",
        community_name=community.name,
    )


def _local_only(context, base_url: str) -> None:
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())


def _sign_in(browser, live_server, email: str):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    _local_only(context, live_server.url)
    page = context.new_page()
    page.goto(reverse("login"))
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Войти").click()
    return context, page


def test_communities_journey(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)

    # The author: the cabinet's section leads to the bank.
    context, page = _sign_in(browser, live_server, portal_data.author_email)
    try:
        page.goto(reverse("cabinet"))
        section = page.locator("section[aria-labelledby=cabinet-my-communities]")
        expect(section).to_contain_text(portal_data.community_name)
        axe_check(page, "cabinet with communities")
        section.get_by_role("link", name="Банк материалов и практик").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Банк материалов и практик")
        shot(page, "communities-01-bank")
        axe_check(page, "bank")
        page.get_by_role("link", name=f"Добавить в банк: {portal_data.community_name}").click()

        # Without a link or a file: the error at the link, the title kept.
        expect(page.get_by_role("heading", level=1)).to_have_text("Добавить материал или практику")
        page.get_by_label("Название").fill(PRACTICE)
        page.get_by_label("Описание").fill("Этапы урока: гипотеза, эксперимент, вывод. Для 7–9 классов.")
        page.get_by_role("button", name="Добавить в банк").click()
        expect(page.get_by_text("Дайте ссылку на материал или приложите файл.")).to_be_visible()
        expect(page.get_by_label("Название")).to_have_value(PRACTICE)
        axe_check(page, "practice form with errors")
        page.get_by_label("Ссылка").fill(LINK)
        page.get_by_role("button", name="Добавить в банк").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Банк материалов и практик")
        expect(page.get_by_role("heading", name=PRACTICE)).to_be_visible()
        shot(page, "communities-02-added")
    finally:
        context.close()

    # A colleague of another community rates it once.
    context, page = _sign_in(browser, live_server, portal_data.rater_email)
    try:
        page.goto(reverse("community_bank", args=[portal_data.season_id]))
        card = page.locator("article", has=page.get_by_role("heading", name=PRACTICE))
        card.get_by_label("5").check()
        card.get_by_role("button", name="Оценить").click()
        expect(page.get_by_text("Спасибо, оценка учтена.")).to_be_visible()
        card = page.locator("article", has=page.get_by_role("heading", name=PRACTICE))
        expect(card).to_contain_text("Вы уже оценили этот материал.")
        expect(card).to_contain_text("средняя оценка 5")
        shot(page, "communities-03-rated")
        axe_check(page, "bank after rating")

        # The board: the author without consent is «Участник №…» with 5 points; the rater by name with 1.
        page.goto(reverse("community_board", args=[portal_data.season_id]))
        expect(page.get_by_role("heading", level=1)).to_have_text("Доска баллов сообществ")
        author_row = page.locator("tr", has_text=f"Участник №{portal_data.author_enrollment_id}")
        expect(author_row.locator("td.fw-semibold")).to_have_text("5")
        rater_row = page.locator("tr", has_text=portal_data.rater_name)
        expect(rater_row.locator("td.fw-semibold")).to_have_text("1")
        expect(page.locator("main")).to_contain_text("По умолчанию портала")
        shot(page, "communities-04-board")
        axe_check(page, "board")
    finally:
        context.close()
