from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from activities.models import ActivityFormat, ActivityKind
from experts.models import ExpertRole, SeasonExpertRole
from tests.factories import ActivityFactory, ProgramFactory, RoadmapModuleFactory, SeasonFactory, SessionFactory

pytestmark = pytest.mark.django_db

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


def page_text(response) -> str:
    """The page as a person reads it: no tags, single spaces."""
    return " ".join(strip_tags(response.content.decode()).split())


def url(program):
    return reverse("program_detail", kwargs={"slug": program.slug})


def test_program_page_shows_the_program_and_its_latest_season(client):
    program = ProgramFactory(
        title="Прогрессивный педагог",
        description="Описание проекта",
        goals="Цели проекта",
        eligibility="Педагогические работники",
        mandatory_conditions="Вступить в чат участников",
        order_reference="приказ № 643-од от 09.09.2024",
    )
    SeasonFactory(program=program, title="2023–2024", starts_on=date(2023, 9, 1), ends_on=date(2024, 5, 31))
    SeasonFactory(
        program=program,
        title="2024–2025",
        starts_on=date(2024, 9, 1),
        ends_on=date(2025, 5, 31),
        time_zone="Asia/Yekaterinburg",
        registration_opens_at=datetime(2024, 9, 10, 9, 0, tzinfo=YEKATERINBURG),
        registration_closes_at=datetime(2024, 9, 23, 18, 0, tzinfo=YEKATERINBURG),
    )

    response = client.get(url(program))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Прогрессивный педагог",
        "Описание проекта",
        "Цели проекта",
        "Педагогические работники",
        "Вступить в чат участников",
        "приказ № 643-од от 09.09.2024",
        "Сезон 2024–2025",
        "10 сентября 2024, 09:00",
        "23 сентября 2024, 18:00",
    ):
        assert text in html
    assert response.context["page"].season.title == "2024–2025"


def test_roadmap_timeline_in_order_with_numbers_activities_and_local_times(client):
    season = SeasonFactory(time_zone="Asia/Yekaterinburg")
    # Created out of order, and numbered as the order numbers them (with a gap).
    late = RoadmapModuleFactory(
        season=season,
        order=2,
        number="6",
        title="Нейросеть – помощник педагога",
        starts_on=date(2024, 12, 1),
        ends_on=date(2025, 1, 31),
    )
    early = RoadmapModuleFactory(
        season=season,
        order=1,
        number="1",
        title="Знакомство. Цифровой профиль педагога",
        starts_on=date(2024, 9, 1),
        ends_on=date(2024, 9, 30),
    )
    activity = ActivityFactory(
        season=season,
        module=early,
        title="Установочная встреча участников",
        kind=ActivityKind.SETUP_MEETING,
        format=ActivityFormat.IN_PERSON,
        is_mandatory=True,
        gives_certificate=True,
        hours=Decimal("2"),
    )
    SessionFactory(
        activity=activity,
        starts_at=datetime(2024, 9, 12, 10, 0, tzinfo=YEKATERINBURG),
        ends_at=datetime(2024, 9, 12, 12, 0, tzinfo=YEKATERINBURG),
    )
    ActivityFactory(
        season=season,
        module=late,
        title="Индивидуальная обратная связь куратора",
        kind=ActivityKind.INDIVIDUAL_FEEDBACK,
        is_mandatory=False,
        gives_certificate=False,
    )

    response = client.get(url(season.program))

    html = response.content.decode()
    page = response.context["page"]
    assert [(m.number, m.title) for m, _ in page.timeline] == [
        ("1", "Знакомство. Цифровой профиль педагога"),
        ("6", "Нейросеть – помощник педагога"),
    ]
    assert html.index("Знакомство. Цифровой профиль педагога") < html.index("Нейросеть – помощник педагога")
    assert "сентябрь 2024" in html
    assert "декабрь 2024 – январь 2025" in html
    assert "Установочная встреча участников" in html
    assert "Установочная встреча</span>" in html  # the kind label
    assert "Очно" in html
    assert "Обязательное" in html
    assert "Сертификат" in html
    assert "2 ч" in html
    # 10:00 in Yekaterinburg is 08:00 in Moscow, the server's zone: the page shows the season's 10:00.
    assert "12 сентября 2024, 10:00–12:00" in page_text(response)
    assert "По выбору" in html


def test_program_page_shows_the_expert_team_structure(client):
    season = SeasonFactory()
    SeasonExpertRole.objects.create(
        season=season, role=ExpertRole.CURATOR, functions="Основное сопровождение группы", planned_count=3
    )
    SeasonExpertRole.objects.create(season=season, role=ExpertRole.PSYCHOLOGIST, functions="Встречи", planned_count=1)

    html = client.get(url(season.program)).content.decode()

    assert "Экспертная команда" in html
    assert "Куратор" in html
    assert "Основное сопровождение группы" in html
    assert "Педагог-психолог" in html


def test_program_without_season_still_opens(client):
    program = ProgramFactory()

    response = client.get(url(program))

    assert response.status_code == 200
    assert "Сезон программы ещё не объявлен." in response.content.decode()


def test_unknown_program_is_404(client):
    assert client.get(reverse("program_detail", kwargs={"slug": "no-such-program"})).status_code == 404


def test_unpublished_program_is_404(client):
    program = ProgramFactory(is_published=False)

    assert client.get(url(program)).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_program_page_query_count_does_not_grow_with_the_roadmap(client, django_assert_num_queries, count):
    season = SeasonFactory()
    for n in range(count):
        module = RoadmapModuleFactory(season=season, order=n + 1)
        for _ in range(count):
            activity = ActivityFactory(season=season, module=module)
            SessionFactory.create_batch(count, activity=activity)
        SeasonExpertRole.objects.create(season=season, role=list(ExpertRole)[n], planned_count=n + 1)
    ActivityFactory(season=season, module=None)

    # Program, season, modules, activities, sessions, expert roles.
    with django_assert_num_queries(6):
        response = client.get(url(season.program))

    assert response.status_code == 200
    assert len(response.context["page"].timeline) == count


def test_program_page_says_when_registration_is_over(client):
    season = SeasonFactory(
        registration_opens_at=datetime(2020, 8, 1, tzinfo=YEKATERINBURG),
        registration_closes_at=datetime(2020, 8, 20, tzinfo=YEKATERINBURG),
    )

    html = client.get(url(season.program)).content.decode()

    assert "Регистрация завершена" in html
    assert "Регистрация открыта" not in html
