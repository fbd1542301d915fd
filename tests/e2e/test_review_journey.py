"""A video lesson's review in real Chromium (Playwright, sync API) against the live server.

A methodist of mathematics signs in → the expert's workspace counts one lesson waiting for them → the review
queue → «Взять на проверку» → the review page (the lesson's player beside the rubric) → every criterion
scored, a time-coded comment, strengths and recommendations → «Выставить оценку». The season releases
reviews after the coordinator's check, so the teacher does not see the feedback yet; the coordinator publishes
it from the admin's review list with «Опубликовать участникам»; the teacher's assignment page then shows the
scores, strengths, recommendations and the time-coded comment. axe-core runs on the expert's pages and on the
teacher's page with the feedback (no serious or critical violations). A 390 px phone pass of the review page:
no sideways scrolling, the rubric under the video.

Everything is written before the browser starts (see conftest.browser); the browser reaches only the live
server: every other request (RuTube's player included) is aborted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROGRAM = "Прогрессивный педагог"
PASSWORD = "Recenziya-Uroka-2026!"
METHODIST_EMAIL = "n.orlova@example.ru"
TEACHER_EMAIL = "a.sokolova@example.ru"
COORDINATOR_EMAIL = "coordinator.kondinsky@example.ru"
TOPIC = "Сложение дробей с разными знаменателями"
RUTUBE_ID = "5d2b8f1e0c3a4b6d9e7f1a2b3c4d5e6f"
TIMECODED = "01:30 — хорошая постановка задачи"
TIMECODED_SHOWN = "1:30 — хорошая постановка задачи"
STRENGTHS = "Ученики сами вывели правило сложения дробей; работа в парах организована чётко."
RECOMMENDATIONS = "Оставьте пять минут на рефлексию: пусть каждый оценит, что получилось."
FORMAT = "Обучение на основе вызовов"
PHONE_WIDTH = 390
# Points given per criterion, in the rubric's order (weights 2, 1, 1.5, 1, 1): 6 + 2 + 4.5 + 2 + 3 = 17.5.
POINTS = [3, 2, 3, 2, 3]
TOTAL = re.compile(r"Итого: 17[,.]5 из \d+([,.]\d+)? баллов")


@dataclass
class PortalData:
    season_id: int
    assignment_id: int
    submission_id: int
    criteria: list[tuple[str, bool]]  # (title, comment required), in order


def _running_season(program):
    """The 2024–2025 season relaunched for the academic year running today, reviews released after the
    coordinator's check."""
    from programs.models import ReviewRelease
    from programs.services import season_clone

    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    season = season_clone(source=program.seasons.get(title="2024–2025"), years=max(1, start_year - 2024))
    season.starts_on = min(season.starts_on, today - timedelta(days=30))
    season.ends_on = max(season.ends_on, today + timedelta(days=120))
    season.review_release = ReviewRelease.AFTER_CHECK
    season.full_clean()
    season.save()
    return season


@pytest.fixture
def portal_data():
    """The programs from their templates (with the Progressive Teacher's current rubric); its season running
    now; a methodist of mathematics; the municipality's coordinator; a teacher taking part whose RuTube lesson
    in mathematics was submitted an hour ago and put in the methodist's queue."""
    from activities.models import ActivityKind, Submission, VideoAssignment
    from experts.models import ExpertAssignment, ExpertRole
    from participants.models import Enrollment, User
    from participants.roles import COORDINATORS, role_groups_ensure
    from programs.models import Program, Subject
    from ratings.models import Rubric
    from ratings.services import review_assign
    from tests.factories import OrganisationFactory, PersonFactory

    call_command("load_programs", verbosity=0)
    program = Program.objects.get(title=PROGRAM)
    season = _running_season(program)
    now = timezone.now()
    maths = Subject.objects.get(name="Математика")
    school = OrganisationFactory(municipality=program.municipality, short_name="МБОУ «Андринская СОШ»")

    def account(email: str, **extra) -> User:
        return User.objects.create_user(email, PASSWORD, email_confirmed_at=now, **extra)

    methodist = PersonFactory(
        user=account(METHODIST_EMAIL, role=User.Role.EXPERT),
        last_name="Орлова",
        first_name="Наталья",
        middle_name="Сергеевна",
        organisation=school,
        position="Методист по математике",
    )
    ExpertAssignment.objects.create(season=season, person=methodist, role=ExpertRole.METHODIST, subject=maths)

    coordinator = account(
        COORDINATOR_EMAIL, is_staff=True, role=User.Role.COORDINATOR, municipality=program.municipality
    )
    coordinator.groups.add(role_groups_ensure()[COORDINATORS])

    teacher = PersonFactory(
        user=account(TEACHER_EMAIL),
        last_name="Соколова",
        first_name="Анна",
        middle_name="Викторовна",
        organisation=school,
        position="Учитель математики",
    )
    enrollment = Enrollment.objects.create(person=teacher, season=season, status=Enrollment.Status.ACTIVE)

    assignment = (
        VideoAssignment.objects.filter(activity__season=season, activity__kind=ActivityKind.VIDEO_LESSON)
        .order_by("activity__module__order", "activity__order")
        .first()
    )
    assert assignment is not None
    assignment.opens_at = now - timedelta(days=7)
    assignment.due_at = now + timedelta(days=7)
    assignment.cutoff_at = now + timedelta(days=14)
    assignment.full_clean()
    assignment.save()
    submission = Submission.objects.create(
        assignment=assignment,
        enrollment=enrollment,
        video_url=f"https://rutube.ru/video/{RUTUBE_ID}/",
        topic=TOPIC,
        grade="6 «Б»",
        subject=maths,
        learning_format=FORMAT,
        reflection="Дети сами сформулировали правило; на рефлексию не хватило пяти минут.",
        submitted_at=now - timedelta(hours=1),
    )
    assert review_assign(submissions=Submission.objects.filter(pk=submission.pk)) == 1

    rubric = Rubric.objects.get(program=program, is_current=True)
    criteria = [(c.title, c.comment_required) for c in rubric.criteria.order_by("order", "pk")]
    assert len(criteria) == len(POINTS)
    return PortalData(season_id=season.pk, assignment_id=assignment.pk, submission_id=submission.pk, criteria=criteria)


def _local_only(context, base_url: str) -> None:
    """Abort every request that does not go to the live server (RuTube's player, for one)."""

    def handle(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", handle)


def _context(browser, live_server, *, phone: bool = False):
    if phone:
        context = browser.new_context(
            locale="ru-RU",
            viewport={"width": PHONE_WIDTH, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            base_url=live_server.url,
        )
    else:
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    _local_only(context, live_server.url)
    return context


def _log_in(page, email: str, next_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{reverse('login')}?next={next_url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Вход на портал")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


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


def _feedback(page):
    return page.locator("section[aria-labelledby=feedback-title]")


def test_review_journey(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    review_url = reverse("review_page", args=[portal_data.submission_id])
    assignment_url = reverse("video_assignment", args=[portal_data.assignment_id])

    methodist = _context(browser, live_server)
    page = methodist.new_page()
    try:
        # The workspace: one lesson assigned to the methodist and waiting, none overdue, none in progress.
        _log_in(page, METHODIST_EMAIL, reverse("expert_workspace"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Рабочее место эксперта")
        panel = page.locator("section[aria-labelledby=ws-reviews-title]")
        expect(panel.get_by_role("heading", name="Проверка видеоуроков")).to_be_visible()
        row = panel.locator("tbody tr").filter(has_text=PROGRAM)
        expect(row).to_have_count(1)
        expect(row.locator("td")).to_have_text(["1", "0", "0", "1"])
        shot(page, "review-01-workspace")
        axe_check(page, "expert workspace")

        # The queue: the lesson, assigned to the methodist, free to take.
        panel.get_by_role("link", name="Открыть очередь проверки").click()
        expect(page).to_have_url(re.compile(re.escape(reverse("review_queue")) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Очередь проверки видеоуроков")
        row = page.locator("table.review-queue tbody tr").filter(has_text=TOPIC)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Соколова Анна Викторовна")
        expect(row).to_contain_text("назначен вам")
        expect(row).to_contain_text("Математика")
        expect(row).to_contain_text("свободен")
        shot(page, "review-02-queue")
        axe_check(page, "review queue")
        row.get_by_role("button", name=re.compile(r"^Взять на проверку")).click()

        # The review page: taken (locked for the methodist), the lesson's player beside the rubric.
        expect(page).to_have_url(re.compile(re.escape(review_url) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(TOPIC)
        expect(page.get_by_text("Видеоурок закреплён за вами до")).to_be_visible()
        player = page.locator("iframe#review-player")
        expect(player).to_have_attribute("src", re.compile(re.escape(f"rutube.ru/play/embed/{RUTUBE_ID}")))
        expect(player).to_have_attribute("title", re.compile(re.escape(TOPIC)))
        rubric = page.locator("form[aria-labelledby=rubric-title]")
        expect(rubric.get_by_role("heading", name=re.compile(r"^Критерии: «Оценка видеоурока"))).to_be_visible()
        video_box, rubric_box = player.bounding_box(), rubric.bounding_box()
        assert video_box and rubric_box
        assert video_box["x"] + video_box["width"] <= rubric_box["x"], (video_box, rubric_box)  # side by side
        assert rubric_box["y"] < video_box["y"] + video_box["height"], (video_box, rubric_box)
        shot(page, "review-03-review-page")
        axe_check(page, "review page")

        # The same page on the methodist's phone: one column, the rubric under the video, nothing sideways.
        phone = _context(browser, live_server, phone=True)
        small = phone.new_page()
        try:
            _log_in(small, METHODIST_EMAIL, review_url)
            small_player = small.locator("iframe#review-player")
            small_rubric = small.locator("form[aria-labelledby=rubric-title]")
            expect(small_player).to_be_visible()
            expect(small_rubric).to_be_visible()
            video_box, rubric_box = small_player.bounding_box(), small_rubric.bounding_box()
            assert video_box and rubric_box
            assert video_box["x"] >= 0 and video_box["x"] + video_box["width"] <= PHONE_WIDTH, video_box
            assert rubric_box["y"] >= video_box["y"] + video_box["height"], (video_box, rubric_box)
            _no_sideways_scroll(small)
            shot(small, "review-04-phone-review-page")
            axe_check(small, "review page on a phone")
        finally:
            phone.close()

        # Every criterion scored (the required comment given), a time-coded comment, strengths, recommendations.
        for (title, comment_required), points in zip(portal_data.criteria, POINTS, strict=True):
            group = rubric.get_by_role("radiogroup", name=f"Баллы: {title}")
            group.get_by_role("radio", name=re.compile(rf"^{points} — ")).check()
            if comment_required:
                rubric.locator("fieldset").filter(has_text=title).get_by_label("Комментарий (обязателен)").fill(
                    "Формат выдержан на всех этапах: проблемный вопрос, поиск в парах, общий вывод."
                )
        rubric.get_by_label("Сильные стороны урока").fill(STRENGTHS)
        rubric.get_by_label("Рекомендации").fill(RECOMMENDATIONS)
        rubric.get_by_label("Комментарии к моментам видео").fill(TIMECODED)
        shot(page, "review-05-review-filled")
        rubric.get_by_role("button", name="Выставить оценку").click()

        # Scored: back in the queue, which no longer offers the lesson; the teacher sees it only once released.
        expect(page).to_have_url(re.compile(re.escape(reverse("review_queue")) + "$"))
        expect(page.get_by_text("Оценка выставлена. Участник увидит её после проверки координатором.")).to_be_visible()
        expect(page.locator("table.review-queue tbody tr").filter(has_text=TOPIC)).to_have_count(0)
        shot(page, "review-06-scored")
        axe_check(page, "review queue after scoring")
    finally:
        methodist.close()

    teacher = _context(browser, live_server)
    page = teacher.new_page()
    try:
        # Not released yet: the teacher's assignment page shows the lesson under review and no feedback.
        _log_in(page, TEACHER_EMAIL, assignment_url)
        expect(page.get_by_role("heading", name="Сданная работа")).to_be_visible()
        expect(page.locator("main")).to_contain_text(TOPIC)
        expect(_feedback(page)).to_have_count(0)
        expect(page.get_by_text("хорошая постановка задачи")).to_have_count(0)
        expect(page.get_by_text(STRENGTHS)).to_have_count(0)
        shot(page, "review-07-teacher-before-release")

        # The coordinator publishes the review from the admin's review list.
        coordinator = _context(browser, live_server)
        admin = coordinator.new_page()
        try:
            _log_in(admin, COORDINATOR_EMAIL, reverse("admin:ratings_review_changelist"))
            row = admin.locator("#result_list tbody tr").filter(has_text=TOPIC)
            expect(row).to_have_count(1)
            expect(row).to_contain_text("Оценка выставлена")
            row.locator("input.action-select").check()
            admin.locator("select[name=action]").select_option(label="Опубликовать участникам")
            shot(admin, "review-08-admin-release")
            admin.locator("button[name=index]").click()
            expect(admin.locator("ul.messagelist li.success")).to_have_text(
                "Опубликована 1 рецензия: участник видит её в личном кабинете."
            )
            expect(admin.locator("ul.messagelist li.warning")).to_have_count(0)
            expect(admin.locator("#result_list tbody tr").filter(has_text=TOPIC)).to_contain_text(
                "Опубликована участнику"
            )
            shot(admin, "review-09-admin-released")
        finally:
            coordinator.close()

        # Released: the teacher's page shows every score, the strengths, recommendations and the comment.
        page.reload()
        feedback = _feedback(page)
        expect(feedback.get_by_role("heading", name="Отзыв экспертов")).to_be_visible()
        expect(feedback.locator(".badge")).to_have_text(TOTAL)
        scores = feedback.locator("table tbody tr")
        expect(scores).to_have_count(len(POINTS))
        for (title, _required), points, score_row in zip(portal_data.criteria, POINTS, scores.all(), strict=True):
            expect(score_row.get_by_role("rowheader")).to_have_text(title)
            expect(score_row).to_contain_text(f"{points} из 3")
        expect(feedback).to_contain_text("Формат выдержан на всех этапах")
        expect(feedback).to_contain_text(STRENGTHS)
        expect(feedback).to_contain_text(RECOMMENDATIONS)
        comments = feedback.locator("ul.feedback-timecodes li")
        expect(comments).to_have_count(1)
        expect(comments.first).to_have_text(TIMECODED_SHOWN)
        shot(page, "review-10-teacher-feedback")
        axe_check(page, "video assignment with released feedback")

        # The cabinet lists the lesson as checked.
        page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Личный кабинет").click()
        card = page.locator("section[aria-labelledby=cabinet-videos] article").filter(
            has=page.locator(f"a[href='{assignment_url}']")
        )
        expect(card.locator(".badge")).to_have_text("Проверен")
        shot(page, "review-11-teacher-cabinet")
        axe_check(page, "cabinet with a checked lesson")
    finally:
        teacher.close()
