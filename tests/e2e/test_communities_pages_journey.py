"""The communities' pages reached from the header, in real Chromium (Playwright, sync API) against the live server.

The coordinator signs in → the admin's index «Проекты методического центра» → «Профессиональные сообщества» → the season → «Шкала баллов»: levels that do
not ascend are refused with the typed values kept, then saved → «Пригласить лидеров на «Prof-акселератор»»: the
confirmation names the leaders, the button says how many invitations were added → the community's page: a report
planned before its half-year is refused, then planned. The leader signs in → «Проекты» → the community → a cascade
training ending before it starts is refused with the topic kept, then scheduled for two colleagues. axe-core runs
on every page (no serious or critical violations).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOPIC = "Функциональная грамотность: разбор заданий"


@dataclass
class PortalData:
    season_label: str
    community_name: str
    coordinator_email: str
    leader_email: str
    leader_name: str
    trainee_ids: list[int]


@pytest.fixture
def portal_data():
    from activities.models import ActivityAudience, ActivityKind
    from tests.factories import ActivityFactory, EnrollmentFactory, RoadmapModuleFactory, SessionFactory
    from tests.projects.communities_fixtures import community_with, coordinator_of, season_of

    season = season_of()
    community, members = community_with(season, 5, name="Сообщество учителей математики")
    community_with(season, 5, name="Сообщество наставников")
    module = RoadmapModuleFactory(season=season, title="«Prof-акселератор» для лидеров сообществ")
    for title in ("Новации в образовании", "Эффективное обучение взрослых: подходы и особенности"):
        activity = ActivityFactory(
            season=season,
            module=module,
            title=title,
            kind=ActivityKind.MODULAR_TRAINING,
            audience=ActivityAudience.INVITED,
        )
        SessionFactory(activity=activity)
    trainees = [EnrollmentFactory(season=season) for _ in range(2)]
    leader = members[0].enrollment.person
    return PortalData(
        season_label=f"{season.program.title}, {season.title}",
        community_name=community.name,
        coordinator_email=coordinator_of(season).email,
        leader_email=leader.user.email,
        leader_name=leader.full_name,
        trainee_ids=[t.pk for t in trainees],
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
    page.wait_for_load_state()
    return context, page


def _open_communities(page) -> None:
    menu = page.locator(".nav-projects")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Профессиональные сообщества").click()


def test_communities_pages_journey(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)

    context, page = _sign_in(browser, live_server, portal_data.coordinator_email)
    try:
        # The coordinator lands on the admin's index: its «Проекты методического центра» lists the cascade's pages.
        projects = page.locator("#cascade-projects")
        expect(projects).to_contain_text("Проекты методического центра")
        projects.get_by_role("link", name="Профессиональные сообщества").click()
        page.get_by_role("link", name=portal_data.season_label).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Сообщества")

        # The points scale: the defaults labelled; levels that do not ascend refused, the typed values kept.
        page.get_by_role("link", name="Шкала баллов").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Шкала баллов сообществ")
        expect(page.locator("main")).to_contain_text("Сезон считает по умолчанию портала")
        axe_check(page, "scale")
        page.get_by_label("Баллов за проведённое занятие каскадного обучения").fill("15")
        page.get_by_label("Баллов для уровня «педагогическая элита»").fill("10")
        page.get_by_role("button", name="Сохранить шкалу").click()
        expect(
            page.get_by_text("Порог «педагогической элиты» должен быть выше порога «актива сообщества».")
        ).to_be_visible()
        expect(page.get_by_label("Баллов за проведённое занятие каскадного обучения")).to_have_value("15")
        page.get_by_label("Баллов для уровня «педагогическая элита»").fill("80")
        page.get_by_role("button", name="Сохранить шкалу").click()
        expect(page.get_by_text("Шкала баллов сезона сохранена")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Сезон считает по своей шкале")
        shot(page, "communities-pages-01-scale")

        # «Prof-акселератор»: the confirmation, then the count.
        page.get_by_role("link", name=portal_data.season_label).click()
        page.get_by_role("link", name="Пригласить лидеров на «Prof-акселератор»").click()
        expect(page.locator("main")).to_contain_text("Лидеры сообществ сезона: 2")
        expect(page.locator("main")).to_contain_text(portal_data.leader_name)
        axe_check(page, "accelerator confirmation")
        page.get_by_role("button", name="Подтвердить и пригласить").click()
        expect(page.get_by_text("добавлено приглашений — 4")).to_be_visible()
        shot(page, "communities-pages-02-accelerator")

        # A half-year report planned on the community's page.
        page.get_by_role("link", name=portal_data.community_name).click()
        plan = page.locator("form", has=page.get_by_role("button", name="Запланировать"))
        plan.get_by_role("spinbutton", name="Год").fill("2030")
        plan.get_by_label("Полугодие").select_option("2")
        plan.get_by_label("Срок сдачи").fill("2030-05-01")
        plan.get_by_role("button", name="Запланировать").click()
        expect(page.get_by_text("Срок сдачи не может быть раньше начала полугодия (01.07.2030).")).to_be_visible()
        plan = page.locator("form", has=page.get_by_role("button", name="Запланировать"))
        expect(plan.get_by_role("spinbutton", name="Год")).to_have_value("2030")
        axe_check(page, "community page with a refused plan")
        plan.get_by_label("Срок сдачи").fill("2030-12-25")
        plan.get_by_role("button", name="Запланировать").click()
        expect(page.get_by_text("Отчёт запланирован: второе полугодие 2030, срок сдачи 25.12.2030.")).to_be_visible()
        expect(page.locator("#reports").locator("..")).to_contain_text("срок 25.12.2030")
        shot(page, "communities-pages-03-report")
    finally:
        context.close()

    # The leader schedules a cascade training from the community's page.
    context, page = _sign_in(browser, live_server, portal_data.leader_email)
    try:
        _open_communities(page)
        page.get_by_role("link", name=portal_data.season_label).click()
        page.get_by_role("link", name=portal_data.community_name).click()
        form = page.locator("form", has=page.get_by_role("button", name="Назначить занятие"))
        form.get_by_label("Тема занятия").fill(TOPIC)
        form.get_by_label("Начало").fill("2030-03-12T15:00")
        form.get_by_label("Окончание").fill("2030-03-12T14:00")
        form.get_by_label("Кого обучают").select_option([str(pk) for pk in portal_data.trainee_ids])
        form.get_by_role("button", name="Назначить занятие").click()
        expect(page.get_by_text("Окончание должно быть позже начала.")).to_be_visible()
        form = page.locator("form", has=page.get_by_role("button", name="Назначить занятие"))
        expect(form.get_by_label("Тема занятия")).to_have_value(TOPIC)
        axe_check(page, "community page with a refused training")
        form.get_by_label("Окончание").fill("2030-03-12T17:00")
        form.get_by_role("button", name="Назначить занятие").click()
        expect(page.get_by_text("Занятие каскадного обучения назначено, приглашено педагогов: 2.")).to_be_visible()
        expect(page.locator("main")).to_contain_text(TOPIC)
        shot(page, "communities-pages-04-training")
    finally:
        context.close()
