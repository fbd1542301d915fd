"""The header and the tables fit the screen, in real Chromium.

At 1280×800 every role's header is one line with no link clipped or wrapped, and the school applications list
keeps its columns reachable; at 390×844 tables scroll inside their own box instead of cutting columns, and the
cabinet opens with an in-page navigation. In the low-vision version's large font a table cell never splits a
word (ГОСТ Р 52872-2019; «Педаго г-психол ог» was the bug)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ("teacher", "expert", "coordinator", "management", "director", "superuser")
# The cascade's pages each role finds in the header's «Проекты» menu (projects.navigation).
CASCADE_LINKS = {
    "teacher": ["Профессиональные сообщества", "Карта наставников"],
    "expert": ["Карта наставников"],
    "coordinator": ["Проектный офис", "Профессиональные сообщества", "«Школа – Школе»", "Карта наставников"],
    "management": ["Проектный офис", "Профессиональные сообщества", "«Школа – Школе»", "Карта наставников"],
    "director": ["«Школа – Школе»", "Карта наставников"],
    "superuser": ["Проектный офис", "Профессиональные сообщества"],
}
# Each role's own page is a link of the header's first line, not hidden in «Ещё».
LANDING_LINK = {
    "teacher": "Личный кабинет",
    "expert": "Рабочее место эксперта",
    "coordinator": "Администрирование",
    "management": "Показатели",
    "director": "Показатели",
    "superuser": "Администрирование",
}


@pytest.fixture
def portal_data():
    from experts.models import ExpertAssignment, ExpertRole, SeasonExpertRole
    from participants.models import Enrollment, SchoolApplication, User
    from programs.models import Program
    from tests.factories import (
        EnrollmentFactory,
        MunicipalityFactory,
        OrganisationFactory,
        PersonFactory,
        SeasonFactory,
        UserFactory,
    )

    home = MunicipalityFactory(name="Октябрьский район")
    school = OrganisationFactory(municipality=home, short_name="МБОУ «Андринская СОШ»")
    season = SeasonFactory(program__municipality=home, program__title="Прогрессивный педагог", program__slug="pp")
    for role, functions in (
        (ExpertRole.PSYCHOLOGIST, "Групповые встречи и индивидуальные консультации; профилактика выгорания"),
        (ExpertRole.CURATOR, "Основное сопровождение группы участников"),
    ):
        SeasonExpertRole.objects.create(season=season, role=role, functions=functions, planned_count=1)
    teacher = EnrollmentFactory(season=season, person__organisation=school, status=Enrollment.Status.ACTIVE)
    expert = PersonFactory(organisation=school, user__role=User.Role.EXPERT)
    ExpertAssignment.objects.create(season=season, person=expert, role=ExpertRole.PSYCHOLOGIST)
    director = PersonFactory(organisation=school, is_manager=True, user__role=User.Role.DIRECTOR)
    users = {
        "teacher": teacher.person.user,
        "expert": expert.user,
        "coordinator": UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=home),
        "management": UserFactory(role=User.Role.MANAGEMENT, municipality=home),
        "director": director.user,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    # Long names in every role's menu: the user menu shows the short name.
    subscription = SeasonFactory(program__municipality=home, program__kind=Program.Kind.SUBSCRIPTION)
    for n in range(3):
        organisation = OrganisationFactory(
            municipality=home, short_name=f"МБОУ «Средняя общеобразовательная школа № {n + 2} имени героев»"
        )
        SchoolApplication.objects.create(
            season=subscription,
            organisation=organisation,
            applicant=PersonFactory(organisation=organisation, is_manager=True),
            grounds=[ground.value for ground in SchoolApplication.Ground],
            details="Результаты ВПР ниже среднего по району; дефициты в математике и русском языке",
            teachers_planned=12,
        )
    # The cascade (сид 001) in the same district, so every role's header carries its «Проекты» menu.
    from projects.models import CommunityMember, CompetenceTheme, Project
    from projects.models.communities import Community
    from tests.factories import ProgramFactory

    Project.objects.create(municipality=home, title="Профессиональные сообщества «ПРОкомьюнити в мире VUCA»")
    SeasonFactory(program=ProgramFactory(municipality=home, slug="shkola-shkole", title="Школа – Школе"))
    CompetenceTheme.objects.create(municipality=home, title="Развивающая предметно-пространственная среда")
    community = Community.objects.create(season=season, name="Сообщество учителей математики")
    CommunityMember.objects.create(community=community, enrollment=teacher, joined_on=season.starts_on)
    return {"users": users, "season": season}


def _sign_in(browser, live_server, user, viewport, cookies=()):
    from tests.factories import PASSWORD

    context = browser.new_context(locale="ru-RU", viewport=viewport, base_url=live_server.url)
    if cookies:
        context.add_cookies([{"name": k, "value": v, "url": live_server.url} for k, v in cookies])
    page = context.new_page()
    page.goto(reverse("login"))
    page.get_by_label("Электронная почта").fill(user.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Войти").click()
    page.wait_for_load_state()
    return context, page


# Every top-level item of the header: its box, whether its text wraps (more than one line box) or is clipped.
HEADER_ITEMS = """() => {
  const nav = document.querySelector('.portal-navbar');
  const items = [...nav.querySelectorAll('.navbar-brand, .navbar-nav > .nav-item > .nav-link, .navbar-nav > .nav-item > details > summary, .navbar-tools > form button, .navbar-tools > details > summary, .navbar-tools > a')];
  return {
    navHeight: nav.getBoundingClientRect().height,
    viewport: document.documentElement.clientWidth,
    collapsed: getComputedStyle(document.querySelector('#portal-menu')).display === 'none',
    items: items.filter(el => el.offsetParent !== null).map(el => {
      const r = el.getBoundingClientRect();
      // Lines of the item's own text: a new line starts where a text box sits below the previous one.
      const boxes = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim() || node.parentElement.closest('.visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        boxes.push(...[...range.getClientRects()].filter(q => q.width > 0));
      }
      let lines = boxes.length ? 1 : 0;
      for (let i = 1; i < boxes.length; i++) {
        if (boxes[i].top >= boxes[i - 1].bottom - 2) lines += 1;
      }
      return {text: el.innerText.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
              clipped: el.scrollWidth > el.clientWidth + 1, lines};
    }),
  };
}"""


def test_every_roles_header_is_one_line_at_1280(live_server, portal_data, browser, shot):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")

    for role in ROLES:
        context, page = _sign_in(browser, live_server, portal_data["users"][role], {"width": 1280, "height": 800})
        try:
            for address in (reverse("home"), reverse("cabinet")):
                page.goto(address)
                shot(page, f"header-{role}")
                header = page.evaluate(HEADER_ITEMS)
                where = f"{role} on {address}"
                assert not header["collapsed"], f"{where}: the menu is folded behind the toggler"
                texts = [item["text"] for item in header["items"]]
                assert LANDING_LINK[role] in texts, (where, texts)
                for item in header["items"]:
                    assert item["lines"] == 1, f"{where}: «{item['text']}» wraps"
                    assert not item["clipped"], f"{where}: «{item['text']}» is clipped"
                    assert item["right"] <= header["viewport"], f"{where}: «{item['text']}» is off the screen"
                centres = [(item["top"] + item["bottom"]) / 2 for item in header["items"]]
                assert max(centres) - min(centres) < 12, f"{where}: the header is on more than one line: {texts}"
                assert header["navHeight"] < 80, f"{where}: the header is {header['navHeight']}px tall"
                menu = page.locator(".nav-projects")
                menu.locator("summary").click()
                links = [text.strip() for text in menu.locator(".nav-more__panel a").all_inner_texts()]
                assert links == CASCADE_LINKS[role], (where, links)
                menu.locator("summary").click()
        finally:
            context.close()


TABLES = """() => [...document.querySelectorAll('main table')].filter(t => t.offsetParent !== null).map(table => {
  const box = table.closest('.table-responsive, .results') || table.parentElement;
  const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
  return {
    id: table.id || table.className,
    right: table.getBoundingClientRect().right,
    boxRight: box.getBoundingClientRect().right,
    fits: table.getBoundingClientRect().right <= document.documentElement.clientWidth + 1,
    scrolls: scrolls && box.scrollWidth > box.clientWidth,
    columns: table.querySelectorAll('thead th').length,
  };
})"""


def _last_column_reachable(page, selector: str) -> bool:
    """Scroll the table's box to its end: the last header cell is then on the screen."""
    return page.evaluate(
        """(selector) => {
          const table = document.querySelector(selector);
          const box = table.closest('.table-responsive, .results') || table.parentElement;
          box.scrollLeft = box.scrollWidth;
          const last = [...table.querySelectorAll('thead th')].pop().getBoundingClientRect();
          return last.right <= document.documentElement.clientWidth + 1 && last.left >= 0;
        }""",
        selector,
    )


def _page_does_not_scroll_sideways(page) -> bool:
    """True, or the elements that stick out on the right (for the failure message)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width + 1) return true;
          return [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-responsive, .results'))
            .slice(0, 8).map(el => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
        }"""
    )


def test_school_applications_list_keeps_its_columns_at_1280(live_server, portal_data, browser, shot):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")

    context, page = _sign_in(browser, live_server, portal_data["users"]["superuser"], {"width": 1280, "height": 800})
    try:
        page.goto(reverse("admin:participants_schoolapplication_changelist"))
        shot(page, "school-applications-1280")
        [table] = [t for t in page.evaluate(TABLES) if t["id"] == "result_list"]
        assert table["columns"] >= 8
        assert table["fits"] or table["scrolls"], table
        assert _last_column_reachable(page, "#result_list")
        assert _page_does_not_scroll_sideways(page) is True
    finally:
        context.close()


def test_on_a_phone_tables_scroll_in_their_box_and_the_cabinet_has_a_contents(live_server, portal_data, browser, shot):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    phone = {"width": 390, "height": 844}
    context, page = _sign_in(browser, live_server, portal_data["users"]["teacher"], phone)
    try:
        page.goto(reverse("program_detail", args=["pp"]))
        shot(page, "program-phone")
        assert _page_does_not_scroll_sideways(page) is True
        for table in page.evaluate(TABLES):
            assert table["fits"] or table["scrolls"], table
        assert _last_column_reachable(page, "main table.team-table")

        page.goto(reverse("cabinet"))
        shot(page, "cabinet-phone")
        contents = page.get_by_role("navigation", name="Разделы кабинета")
        expect(contents).to_be_visible()
        contents.get_by_role("link", name="Мои программы").click()
        expect(page).to_have_url(f"{live_server.url}{reverse('cabinet')}#cabinet-programs")
        assert _page_does_not_scroll_sideways(page) is True
    finally:
        context.close()


# Every word of a cell (hyphenated parts apart: a break after a hyphen is allowed) lies on one line.
SPLIT_WORDS = """(selector) => {
  const split = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-‐–—]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_large_font_never_splits_a_word_in_a_table_cell(live_server, portal_data, browser, shot, viewport):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")

    context = browser.new_context(locale="ru-RU", viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(reverse("program_detail", args=["pp"]))
        # Through the portal's own buttons, as a person would: the version on (in the folded menu on a phone),
        # then the large font and the large letter spacing from the panel.
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        page.get_by_role("button", name="Версия для слабовидящих").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Крупный").click()
        page.get_by_role("button", name="Большой").click()
        page.wait_for_load_state()
        assert "a11y-font-3" in page.locator("html").get_attribute("class")
        assert "a11y-spacing-3" in page.locator("body").get_attribute("class")
        shot(page, f"a11y-large-{viewport['width']}")

        assert page.locator("main table.team-table").get_by_text("Педагог-психолог").is_visible()
        assert page.evaluate(SPLIT_WORDS, "main table td, main table th") == []
        assert _page_does_not_scroll_sideways(page) is True

        # The way back is on screen without opening any menu.
        back = page.get_by_role("button", name="Обычная версия сайта")
        assert back.is_visible()
        back.click()
        page.wait_for_load_state()
        assert "a11y" not in (page.locator("body").get_attribute("class") or "").split()
    finally:
        context.close()
