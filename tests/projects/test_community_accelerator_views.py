"""«Prof-акселератор» invitation from a page (сид 001: «Создание особых возможностей для лидеров… – «Prof-акселератор»
по трем направлениям»): the coordinator confirms which module and which leaders, then one button invites the
season's community leaders to the module's sessions for the invited; the message says how many were invited."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from activities.models import ActivityAudience, ActivityKind
from tests.factories import (
    ActivityFactory,
    MunicipalityFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SessionFactory,
)

from .communities_fixtures import community_with, coordinator_of, management_of, season_of

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def world():
    season = season_of()
    _maths, maths = community_with(season, 5)
    _mentors, mentors = community_with(season, 5, name="Сообщество наставников")
    RoadmapModuleFactory(season=season, title="Стартовый модуль", order=1)
    module = RoadmapModuleFactory(season=season, title="«Prof-акселератор» для лидеров сообществ", order=2)
    start = datetime(2030, 2, 10, 15, 0, tzinfo=MSK)
    sessions = []
    for i, title in enumerate(("Новации в образовании", "Эффективное обучение взрослых")):
        activity = ActivityFactory(
            season=season,
            module=module,
            title=title,
            kind=ActivityKind.MODULAR_TRAINING,
            audience=ActivityAudience.INVITED,
        )
        sessions.append(
            SessionFactory(
                activity=activity,
                starts_at=start + timedelta(days=7 * i),
                ends_at=start + timedelta(days=7 * i, hours=3),
            )
        )
    leaders = {maths[0].enrollment_id, mentors[0].enrollment_id}
    return {"season": season, "module": module, "sessions": sessions, "leaders": leaders, "maths": maths}


def _url(world):
    return reverse("community_accelerator", args=[world["season"].pk])


def test_the_confirmation_names_the_leaders_and_preselects_the_accelerator(client, world):
    client.force_login(coordinator_of(world["season"]))
    listing = client.get(reverse("community_list", args=[world["season"].pk])).content.decode()
    assert _url(world) in listing
    body = client.get(_url(world)).content.decode()
    assert "Лидеры сообществ сезона: 2" in body
    assert world["maths"][0].enrollment.person.full_name in body
    assert f'value="{world["module"].pk}" selected' in body
    assert "занятий для приглашённых: 2" in body
    assert "Стартовый модуль" not in body  # no sessions for the invited: not offered


def test_the_button_invites_and_says_how_many(client, world):
    client.force_login(coordinator_of(world["season"]))
    response = client.post(_url(world), {"module": world["module"].pk}, follow=True)
    assert "добавлено приглашений — 4" in response.content.decode()
    for session in world["sessions"]:
        assert set(session.invited.values_list("pk", flat=True)) == world["leaders"]
    again = client.post(_url(world), {"module": world["module"].pk}, follow=True)
    assert "Все лидеры сообществ уже приглашены" in again.content.decode()


def test_a_module_of_another_season_is_refused(client, world):
    client.force_login(coordinator_of(world["season"]))
    foreign = RoadmapModuleFactory(title="Чужой модуль")
    response = client.post(_url(world), {"module": foreign.pk})
    assert response.status_code == 400
    assert "Выберите модуль этого сезона" in response.content.decode()
    assert not world["sessions"][0].invited.exists()


def test_no_module_chosen_is_refused(client, world):
    client.force_login(coordinator_of(world["season"]))
    response = client.post(_url(world), {})
    assert response.status_code == 400
    assert "Выберите модуль «Prof-акселератора»." in response.content.decode()


def test_a_season_without_leaders_has_no_one_to_invite(client):
    season = season_of()
    community_with(season, 5, leader=False)
    module = RoadmapModuleFactory(season=season, title="«Prof-акселератор»")
    SessionFactory(activity=ActivityFactory(season=season, module=module, audience=ActivityAudience.INVITED))
    client.force_login(coordinator_of(season))
    response = client.post(reverse("community_accelerator", args=[season.pk]), {"module": module.pk})
    assert response.status_code == 400
    assert "приглашать некого" in response.content.decode()


def test_only_the_coordinator_invites(client, world):
    client.force_login(management_of(world["season"]))
    assert client.get(_url(world)).status_code == 403
    client.force_login(world["maths"][0].enrollment.person.user)
    assert client.post(_url(world), {"module": world["module"].pk}).status_code == 403
    elsewhere = SeasonFactory(program__municipality=MunicipalityFactory(name="Октябрьский район"))
    client.force_login(coordinator_of(elsewhere))
    assert client.post(_url(world), {"module": world["module"].pk}).status_code == 404
    client.logout()
    assert client.get(_url(world)).status_code == 302
    assert not world["sessions"][0].invited.exists()
