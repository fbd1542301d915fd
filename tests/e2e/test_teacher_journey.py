"""A teacher's journey in real Chromium (Playwright, sync API) against the live server.

Home page → «Прогрессивный педагог» → «Зарегистрироваться» → the form (first sent without the personal-data
consent, then corrected) → «Проверьте почту» → the confirmation link from the letter → login → the cabinet →
the video assignment: a `javascript:` link is refused, a RuTube link is accepted and shown in the embedded
player → the cabinet lists the lesson as submitted. axe-core runs on every page (no serious or critical
violations). Then the same teacher on a 390 px phone: cabinet and assignment page without sideways scrolling.

The browser reaches only the live server: every other request (RuTube's player included) is aborted, so the
test needs no network and no third-party page is judged by axe-core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROGRAM = "Прогрессивный педагог"
EMAIL = "a.sokolova@example.ru"
PASSWORD = "Urok-Drobi-2026!"
SCHOOL = "МБОУ «Андринская СОШ»"
RUTUBE_ID = "5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f"
RUTUBE_URL = f"https://rutube.ru/video/{RUTUBE_ID}/"
TOPIC = "Сложение дробей с разными знаменателями"
FORMAT = "Обучение на основе вызовов"
PHONE_WIDTH = 390


@dataclass
class PortalData:
    program_slug: str
    season_id: int
    season_title: str
    assignment_id: int


def _season_start_year(today) -> int:
    """The academic year running today starts in September."""
    return today.year if today.month >= 9 else today.year - 1


@pytest.fixture
def portal_data():
    """The programs from their templates; the Progressive Teacher relaunched for the current academic year as a
    coordinator would do it: season copied, registration opened now without approval, the first video lesson
    open for submissions now. Plus the district's schools a teacher picks from."""
    from activities.models import ActivityKind, VideoAssignment
    from programs.models import Program
    from programs.services import season_clone
    from tests.factories import OrganisationFactory

    call_command("load_programs", verbosity=0)
    program = Program.objects.get(title=PROGRAM)
    source = program.seasons.get(title="2024–2025")
    now = timezone.now()
    season = season_clone(source=source, years=max(1, _season_start_year(timezone.localdate()) - 2024))
    season.registration_opens_at = now - timedelta(days=1)
    season.registration_closes_at = now + timedelta(days=14)
    season.requires_approval = False
    season.full_clean()
    season.save()

    assignment = (
        VideoAssignment.objects.filter(activity__season=season, activity__kind=ActivityKind.VIDEO_LESSON)
        .select_related("activity__module")
        .order_by("activity__module__order", "activity__order")
        .first()
    )
    assert assignment is not None and FORMAT in assignment.activity.module.learning_formats
    assignment.opens_at = now - timedelta(days=2)
    assignment.due_at = now + timedelta(days=14)
    assignment.cutoff_at = now + timedelta(days=21)
    assignment.full_clean()
    assignment.save()

    for short_name, name in [
        (
            "МБОУ «Октябрьская СОШ им. Н.В. Архангельского»",
            "Муниципальное бюджетное общеобразовательное учреждение "
            "«Октябрьская средняя общеобразовательная школа имени Н.В. Архангельского»",
        ),
        (
            SCHOOL,
            "Муниципальное бюджетное общеобразовательное учреждение «Андринская средняя общеобразовательная школа»",
        ),
        (
            "МБОУ «Приобская СОШ»",
            "Муниципальное бюджетное общеобразовательное учреждение «Приобская средняя общеобразовательная школа»",
        ),
    ]:
        OrganisationFactory(municipality=program.municipality, short_name=short_name, name=name)
    return PortalData(
        program_slug=program.slug, season_id=season.pk, season_title=season.title, assignment_id=assignment.pk
    )


def _local_only(context, base_url: str) -> None:
    """Abort every request that does not go to the live server (RuTube's player, for one)."""

    def handle(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", handle)


def _confirmation_link(email: str) -> str:
    letters = [m for m in mail.outbox if email in m.to]
    assert len(letters) == 1, [m.to for m in mail.outbox]
    match = re.search(r"https?://\S+/accounts/confirm/[^/\s]+/", letters[0].body)
    assert match, letters[0].body
    return match.group(0)


# The innermost elements sticking out on the right, to name the culprit when a page scrolls sideways.
_WIDE_ELEMENTS = """(limit) => Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
    .filter((el) => !Array.from(el.children).some((c) => c.getBoundingClientRect().right > limit + 0.5))
    .slice(0, 8)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} → ${Math.round(el.getBoundingClientRect().right)}px`)"""


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_WIDTH:
        wide = page.evaluate(_WIDE_ELEMENTS, PHONE_WIDTH)
        pytest.fail(f"{page.url}: the page is {width}px wide on a {PHONE_WIDTH}px screen; sticking out: {wide}")


def _fill_registration(page) -> None:
    """The form as a person fills it, but for the personal-data consent they overlook; the organisation is found
    through the filter above its list, the rating consent is left unticked."""
    from playwright.sync_api import expect

    page.get_by_label("Фамилия").fill("Соколова")
    page.locator("#id_first_name").fill("Анна")
    page.get_by_label("Отчество").fill("Викторовна")
    page.get_by_label("Дата рождения").fill("1987-03-14")
    page.locator("#id_email").fill(EMAIL)
    page.get_by_label("Телефон").fill("+7 932 415-22-18")
    page.get_by_label("Поиск организации по названию").fill("андрин")
    expect(page.locator("#id_organisation-filter-status")).to_have_text("Найдено организаций: 1")
    page.get_by_label("Образовательная организация").select_option(label=SCHOOL)
    page.get_by_label("Должность").fill("Учитель математики")
    page.get_by_label("Уровень образования").select_option(label="Высшее")
    page.get_by_label("Педагогический стаж, полных лет").fill("12")
    page.get_by_label("Квалификационная категория").select_option(label="Первая")
    page.get_by_role("checkbox", name="Математика", exact=True).check()
    page.get_by_label("Предпочтительный формат обучения").select_option(label=FORMAT)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    expect(page.locator("#id_consent_rating")).not_to_be_checked()


def test_teacher_journey(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    assignment_url = reverse("video_assignment", args=[portal_data.assignment_id])
    register_url = reverse("season_register", args=[portal_data.program_slug, portal_data.season_id])

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    _local_only(context, live_server.url)
    page = context.new_page()
    try:
        # Home page: the program is open for registration.
        page.goto("/")
        shot(page, "teacher-01-home")
        axe_check(page, "home")
        page.get_by_role("link", name=PROGRAM, exact=True).first.click()

        # The program page offers the registration for the relaunched season.
        expect(page.get_by_role("heading", level=1)).to_have_text(PROGRAM)
        shot(page, "teacher-02-program")
        axe_check(page, "program page")
        page.get_by_role("link", name="Зарегистрироваться").click()
        expect(page).to_have_url(re.compile(re.escape(register_url) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Регистрация на программу")
        shot(page, "teacher-03-register")
        axe_check(page, "registration form")

        # Sent without the personal-data consent: the error is at the checkbox, nothing typed is lost.
        _fill_registration(page)
        page.get_by_role("button", name="Зарегистрироваться").click()
        expect(page.locator("#id_consent_personal_data")).to_have_attribute("aria-invalid", "true")
        expect(
            page.get_by_text("Без согласия на обработку персональных данных зарегистрироваться нельзя.")
        ).to_be_visible()
        expect(page.get_by_role("alert").first).to_contain_text("Проверьте поля")
        expect(page.get_by_label("Фамилия")).to_have_value("Соколова")
        expect(page.locator("#id_email")).to_have_value(EMAIL)
        expect(page.get_by_label("Образовательная организация")).to_have_value(re.compile(r"^\d+$"))
        expect(page.get_by_role("checkbox", name="Математика", exact=True)).to_be_checked()
        shot(page, "teacher-04-register-errors")
        axe_check(page, "registration form with errors")

        # Corrected: the passwords again (never sent back), the consent ticked, the rating consent left alone.
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.locator("#id_consent_personal_data").check()
        expect(page.locator("#id_consent_rating")).not_to_be_checked()
        page.get_by_role("button", name="Зарегистрироваться").click()

        # «Check your e-mail».
        expect(page).to_have_url(re.compile(re.escape(reverse("registration_sent")) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте почту")
        # The page names the address masked (it may be read over a shoulder): a***@example.ru.
        expect(page.locator("main")).to_contain_text("Письмо отправлено на адрес a***@example.ru")
        shot(page, "teacher-05-check-email")
        axe_check(page, "check your e-mail")

        # Before confirming, the login is refused with the way forward.
        page.goto(reverse("login"))
        page.get_by_label("Электронная почта").fill(EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Войти").click()
        expect(page.get_by_text("Адрес электронной почты ещё не подтверждён")).to_be_visible()

        # The link from the letter.
        page.goto(_confirmation_link(EMAIL))
        expect(page.get_by_role("heading", level=1)).to_have_text("Адрес подтверждён")
        shot(page, "teacher-06-confirmed")
        axe_check(page, "confirmation result")
        page.get_by_role("main").get_by_role("link", name="Войти").click()

        # Login.
        expect(page.get_by_role("heading", level=1)).to_have_text("Вход на портал")
        page.get_by_label("Электронная почта").fill(EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        shot(page, "teacher-07-login")
        axe_check(page, "login")
        page.get_by_role("main").get_by_role("button", name="Войти").click()
        menu = page.get_by_role("navigation", name="Основное меню")
        expect(menu.get_by_role("link", name="Личный кабинет")).to_be_visible()
        menu.get_by_role("link", name="Личный кабинет").click()

        # The cabinet: the program (taking part: no approval in this season) and the open video lesson.
        expect(page.get_by_role("heading", level=1)).to_have_text("Личный кабинет")
        expect(page.locator("main header")).to_contain_text("Соколова Анна Викторовна")
        programs = page.locator("section[aria-labelledby=cabinet-programs]")
        expect(programs).to_contain_text(PROGRAM)
        expect(programs).to_contain_text(f"Сезон {portal_data.season_title}")
        status = programs.locator(".badge", has_text="Участвует")
        expect(status).to_be_visible()
        # axe-core leaves a badge's contrast "incomplete", so make sure it is not white text on no background.
        assert status.evaluate("el => getComputedStyle(el).backgroundColor") not in {"rgba(0, 0, 0, 0)", "transparent"}
        videos = page.locator("section[aria-labelledby=cabinet-videos]")
        card = videos.locator("article").filter(has=page.locator(f"a[href='{assignment_url}']"))
        expect(card).to_contain_text("Открыто")
        shot(page, "teacher-08-cabinet")
        axe_check(page, "cabinet")
        card.get_by_role("link").click()

        # The assignment page.
        expect(page).to_have_url(re.compile(re.escape(assignment_url) + "$"))
        expect(page.get_by_role("heading", name="Сдать видеоурок")).to_be_visible()
        shot(page, "teacher-09-assignment")
        axe_check(page, "video assignment")

        # A javascript: link is refused with the accepted hosts named; what was typed stays.
        page.get_by_label("Ссылка на видео").fill("javascript:alert(1)")
        page.get_by_label("Тема урока").fill(TOPIC)
        page.get_by_label("Класс (группа)").fill("6 «Б»")
        page.get_by_label("Предмет").select_option(label="Математика")
        expect(page.get_by_label("Формат обучения")).to_have_value(FORMAT)  # the one chosen at registration
        page.get_by_label("Самоанализ урока").fill(
            "Дети сами сформулировали правило; на рефлексию не хватило пяти минут — сокращу устный счёт."
        )
        page.get_by_role("button", name="Сдать", exact=True).click()
        expect(page.get_by_label("Ссылка на видео")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("main")).to_contain_text("Такие ссылки не принимаются")
        expect(page.locator("main")).to_contain_text("Принимаются ссылки на RuTube")
        expect(page.get_by_label("Тема урока")).to_have_value(TOPIC)
        expect(page.get_by_label("Предмет")).to_have_value(re.compile(r"^\d+$"))
        expect(page.locator("iframe")).to_have_count(0)
        shot(page, "teacher-10-assignment-error")
        axe_check(page, "video assignment with errors")

        # The RuTube link: accepted, shown in RuTube's own player.
        page.get_by_label("Ссылка на видео").fill(RUTUBE_URL)
        page.get_by_role("button", name="Сдать", exact=True).click()
        expect(page.get_by_text("Видеоурок сдан.")).to_be_visible()
        player = page.locator("iframe[src*='rutube.ru/play/embed']")
        expect(player).to_have_count(1)
        expect(player).to_have_attribute("src", re.compile(re.escape(f"rutube.ru/play/embed/{RUTUBE_ID}")))
        expect(player).to_have_attribute("title", re.compile(re.escape(TOPIC)))
        expect(page.get_by_role("heading", name="Сданная работа")).to_be_visible()
        expect(page.get_by_role("heading", name="Заменить видеоурок")).to_be_visible()
        shot(page, "teacher-11-submitted")
        axe_check(page, "video assignment, submitted")

        # Back in the cabinet: submitted, version 1 with its topic.
        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Личный кабинет").click()
        card = page.locator("section[aria-labelledby=cabinet-videos] article").filter(
            has=page.locator(f"a[href='{assignment_url}']")
        )
        expect(card.locator(".badge")).to_have_text("Сдан")
        expect(card).to_contain_text(f"версия 1: «{TOPIC}»")
        shot(page, "teacher-12-cabinet-submitted")
        axe_check(page, "cabinet with a submission")
    finally:
        context.close()

    # The same teacher on a phone.
    phone = browser.new_context(
        locale="ru-RU",
        viewport={"width": PHONE_WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    _local_only(phone, live_server.url)
    page = phone.new_page()
    try:
        page.goto(reverse("cabinet"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Вход на портал")
        page.get_by_label("Электронная почта").fill(EMAIL)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Войти").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Личный кабинет")
        expect(page.get_by_role("heading", name="Мои программы")).to_be_in_viewport()
        card = page.locator("section[aria-labelledby=cabinet-videos] article").filter(
            has=page.locator(f"a[href='{assignment_url}']")
        )
        card.scroll_into_view_if_needed()
        expect(card).to_be_in_viewport()
        expect(card.locator(".badge")).to_have_text("Сдан")
        _no_sideways_scroll(page)
        shot(page, "teacher-13-phone-cabinet")
        axe_check(page, "cabinet on a phone")

        card.get_by_role("link").click()
        expect(page).to_have_url(re.compile(re.escape(assignment_url) + "$"))
        expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
        player = page.locator("iframe[src*='rutube.ru/play/embed']")
        player.scroll_into_view_if_needed()
        expect(player).to_be_in_viewport()
        box = player.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
        _no_sideways_scroll(page)
        shot(page, "teacher-14-phone-assignment")
        axe_check(page, "video assignment on a phone")
    finally:
        phone.close()
