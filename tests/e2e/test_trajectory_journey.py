"""«Траектория развития» (сид 001) in real Chromium: a director enters their school's monitoring of mentoring forms
(first with a negative number, then corrected); a member of the school's informal mentor community submits a
mentoring practice to the bank; the coordinator reviews it with a conclusion and recommends it for contests; the
project page and the project office's card flag the half-year that passed without an educational intensive; the
member's cabinet follows their practice from «на рассмотрении» to the recommendation. axe-core runs on every page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Traektoriya-2026"
DIRECTOR, MEMBER, COORDINATOR = "director.358@example.ru", "mentor.358@example.ru", "coordinator.tr@example.ru"
SCHOOL, PRACTICE = "ГБОУ школа № 358", "Клуб молодого педагога"


@pytest.fixture
def portal_data():
    from participants.models import User
    from projects.models import Community, CommunityMember, CommunityRole
    from projects.models.office import Project
    from tests.factories import (
        EnrollmentFactory,
        MunicipalityFactory,
        OrganisationFactory,
        PersonFactory,
        ProgramFactory,
        SeasonFactory,
    )

    town = MunicipalityFactory(name="Московский район", region="Санкт-Петербург", time_zone="Europe/Moscow")
    program = ProgramFactory(slug="traektoriya-razvitiya", title="Траектория развития", municipality=town)
    today = timezone.localdate()
    season = SeasonFactory(
        program=program,
        title="Траектория",
        starts_on=date(today.year - 1, 1, 10),
        ends_on=today + timedelta(days=200),
        time_zone="Europe/Moscow",
    )
    school = OrganisationFactory(municipality=town, short_name=SCHOOL)
    User.objects.create_user(COORDINATOR, PASSWORD, is_staff=True, role=User.Role.COORDINATOR, municipality=town)
    director = User.objects.create_user(DIRECTOR, PASSWORD, role=User.Role.DIRECTOR)
    PersonFactory(organisation=school, is_manager=True, user=director)
    member = User.objects.create_user(MEMBER, PASSWORD, role=User.Role.TEACHER, municipality=town)
    community = Community.objects.create(
        season=season,
        name="Наставники школы № 358",
        kind=Community.Kind.SCHOOL_MENTORS,
        organisation=school,
        status=Community.Status.ACTIVE,
    )
    people = [PersonFactory(organisation=school, user=member)] + [PersonFactory(organisation=school) for _ in range(4)]
    roles = [
        CommunityRole.PED_MENTOR,
        CommunityRole.PED_METHODIST,
        CommunityRole.PED_TUTOR,
        CommunityRole.PED_RESEARCHER,
        CommunityRole.PED_INNOVATOR,
    ]
    for person, role in zip(people, roles, strict=True):
        CommunityMember.objects.create(
            community=community,
            enrollment=EnrollmentFactory(season=season, person=person),
            role=role,
            joined_on=season.starts_on,
        )
    project = Project.objects.create(
        municipality=town, slug="traektoriya-razvitiya", title="Траектория развития", program=program, position=1
    )
    return {"season": season, "project": project}


def _login(page, email):
    page.goto(reverse("login"))
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_director_member_and_coordinator_run_the_trajectory(live_server, portal_data, browser, shot, axe_check):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    season = portal_data["season"]
    journey = ((DIRECTOR, "director"), (MEMBER, "member"), (COORDINATOR, "coordinator"), (MEMBER, "cabinet"))
    for email, steps in journey:
        context = browser.new_context(locale="ru-RU", base_url=live_server.url)
        page = context.new_page()
        try:
            _login(page, email)
            if steps == "director":
                page.goto(reverse("trajectory_monitoring"))
                expect(page.locator("#not-reported")).to_contain_text(SCHOOL)
                axe_check(page, "monitoring")
                page.get_by_role("link", name="Внести мониторинг школы").click()
                page.get_by_label("Пар формы «педагог – педагог»").fill("3")
                page.get_by_label("Пар формы «учитель – ученик»").fill("-2")
                page.get_by_label("Комментарий школы").fill("Пары созданы в сентябре")
                page.get_by_role("button", name="Сохранить").click()
                expect(page.get_by_label("Комментарий школы")).to_have_value("Пары созданы в сентябре")
                axe_check(page, "monitoring form with an error")
                page.get_by_label("Пар формы «учитель – ученик»").fill("5")
                page.get_by_role("button", name="Сохранить").click()
                expect(page.get_by_text("сохранён")).to_be_visible()
                expect(page.locator("#not-reported")).to_have_count(0)
                shot(page, "trajectory-01-monitoring")
            elif steps == "member":
                page.goto(reverse("community_bank", args=[season.pk]))
                page.get_by_role("link", name="Добавить в банк: Наставники школы № 358").click()
                page.get_by_label("Вид").select_option(label="Наставническая практика")
                page.get_by_label("Название").fill(PRACTICE)
                page.get_by_label("Описание").fill("Наставники сопровождают педагогов первого года работы.")
                page.get_by_label("Ссылка").fill("https://school358.example/klub")
                page.get_by_role("button", name="Добавить в банк").click()
                expect(page.locator('[data-review="submitted"]').first).to_have_text("Подана")
                axe_check(page, "bank with a submitted mentoring practice")
                page.goto(reverse("cabinet"))
                expect(page.locator("#trajectory-practices")).to_contain_text("на рассмотрении")
            elif steps == "cabinet":
                page.goto(reverse("cabinet"))
                expect(page.locator("#trajectory-communities")).to_contain_text("Наставники школы № 358")
                expect(page.locator("#trajectory-practices")).to_contain_text(
                    "рекомендована к представлению на конкурсных и иных мероприятиях"
                )
                axe_check(page, "cabinet with the trajectory section")
                shot(page, "trajectory-03-cabinet")
            else:
                page.goto(reverse("trajectory"))
                expect(page.locator("#intensive-halves")).to_contain_text("Полугодие прошло без интенсива")
                axe_check(page, "project page")
                page.goto(reverse("trajectory_practices"))
                page.get_by_label("Заключение методиста").fill("Опыт школы стоит представить на конкурсе")
                page.get_by_role("button", name="Рассмотреть").click()
                expect(page.get_by_text(f"Практика «{PRACTICE}» рассмотрена.")).to_be_visible()
                page.get_by_role(
                    "button", name="Рекомендовать к представлению на конкурсных и иных мероприятиях"
                ).click()
                expect(page.locator("#mentoring-practices")).to_contain_text(
                    "Рекомендована к представлению на конкурсных и иных мероприятиях"
                )
                axe_check(page, "bank of mentoring practices")
                shot(page, "trajectory-02-recommended")
                page.goto(reverse("office_project", args=[portal_data["project"].pk]))
                expect(page.locator(f"#intensive-gaps-{portal_data['project'].pk}")).to_contain_text(
                    "Интенсив в полугодии не проводился"
                )
                axe_check(page, "project office card with the intensive flag")
        finally:
            context.close()
    connections.close_all()
