from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db


def closed_past_season(**kwargs):
    """A season long over, registration long closed: its program belongs to «other programs»."""
    return SeasonFactory(
        starts_on=date(2020, 9, 1),
        ends_on=date(2021, 5, 31),
        registration_opens_at=datetime(2020, 8, 1, tzinfo=ZoneInfo("Europe/Moscow")),
        registration_closes_at=datetime(2020, 8, 20, tzinfo=ZoneInfo("Europe/Moscow")),
        **kwargs,
    )


def running_closed_season(**kwargs):
    """A season under way whose registration has closed."""
    now = timezone.now()
    return SeasonFactory(
        registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=40), **kwargs
    )


def test_home_lists_open_running_and_other_programs_and_hides_unpublished(client):
    open_season = SeasonFactory(program__title="Прогрессивный педагог", title="2026–2027")
    running = running_closed_season(program__title="Методический абонемент")
    other = closed_past_season(program__title="Педкластер 27")
    SeasonFactory(program__title="Черновик программы", program__is_published=False)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    listing = response.context["listing"]
    assert [c.program for c in listing.open_for_registration] == [open_season.program]
    assert [c.program for c in listing.running] == [running.program]
    assert [c.program for c in listing.other] == [other.program]
    html = response.content.decode()
    assert "Прогрессивный педагог" in html
    assert "Методический абонемент" in html
    assert "Педкластер 27" in html
    assert "Черновик программы" not in html
    assert open_season.program.organiser.short_name in html
    assert open_season.program.municipality.name in html
    assert "2026–2027" in html
    assert reverse("program_detail", kwargs={"slug": open_season.program.slug}) in html


def test_home_shows_registration_dates_in_the_season_time_zone(client):
    # 05:00 UTC is 10:00 in Yekaterinburg (UTC+5) and 08:00 in Moscow.
    opens = datetime(2020, 1, 10, 5, 0, tzinfo=ZoneInfo("UTC"))
    SeasonFactory(
        time_zone="Asia/Yekaterinburg",
        registration_opens_at=opens,
        registration_closes_at=timezone.now() + timedelta(days=3),
    )

    html = client.get(reverse("home")).content.decode()

    assert "10 января 2020, 10:00" in html
    assert "время Екатеринбурга, МСК+2" in html and "Asia/Yekaterinburg" not in html


def test_program_without_season_is_listed_among_other_programs(client):
    program = ProgramFactory(title="Новая программа")

    response = client.get(reverse("home"))

    assert [c.program for c in response.context["listing"].other] == [program]
    assert "Сезон не объявлен" in response.content.decode()


def test_home_without_programs_says_so(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Пока нет опубликованных программ." in response.content.decode()


def make_programs(count: int):
    for _ in range(count):
        SeasonFactory()
        running_closed_season()
        closed_past_season()
        ProgramFactory()


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_does_not_grow_with_programs(client, django_assert_num_queries, count):
    make_programs(count)

    # Programs with organiser and municipality, then their seasons.
    with django_assert_num_queries(2):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert len(response.context["listing"].open_for_registration) == count


def test_cards_say_when_a_season_is_over_or_registration_is_ahead(client):
    closed_past_season(program__title="Педкластер 27")
    now = timezone.now()
    SeasonFactory(
        program__title="Методический абонемент",
        starts_on=timezone.localdate() + timedelta(days=60),
        ends_on=timezone.localdate() + timedelta(days=300),
        registration_opens_at=now + timedelta(days=5),
        registration_closes_at=now + timedelta(days=20),
    )

    html = client.get(reverse("home")).content.decode()

    assert "Сезон завершён" in html
    assert "Регистрация скоро откроется" in html
