"""The points scale on a page (сид 001: «Построение системы мотивации и геймификации»): the coordinator sees the
season's values next to the portal's labelled defaults, changes them (a Russian refusal at the field, nothing lost)
or returns to the defaults; the board counts by the saved scale; nobody else opens the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS, MotivationScale
from projects.selectors_communities import motivation_scale
from tests.factories import MunicipalityFactory, SeasonFactory

from .communities_fixtures import community_with, coordinator_of, management_of, season_of

pytestmark = pytest.mark.django_db


def _values(**changes):
    return {**DEFAULT_WEIGHTS, **DEFAULT_THRESHOLDS, **changes}


@pytest.fixture
def season():
    return season_of()


def test_the_defaults_are_shown_and_labelled(client, season):
    client.force_login(coordinator_of(season))
    assert (
        reverse("community_scale", args=[season.pk])
        in client.get(reverse("community_list", args=[season.pk])).content.decode()
    )
    body = client.get(reverse("community_scale", args=[season.pk])).content.decode()
    assert "Сезон считает по умолчанию портала" in body
    assert "по умолчанию портала: 10 (в сиде чисел нет)" in body  # group_trained
    assert "Баллов за проведённое занятие каскадного обучения" in body


def test_the_coordinator_saves_a_scale_the_board_uses_and_resets_it(client, season):
    client.force_login(coordinator_of(season))
    url = reverse("community_scale", args=[season.pk])
    response = client.post(url, _values(group_trained=15, elite_from=80), follow=True)
    assert "Шкала баллов сезона сохранена" in response.content.decode()
    scale = motivation_scale(season)
    assert (scale.group_trained, scale.elite_from, scale.is_default) == (15, 80, False)
    assert "Сезон считает по своей шкале" in response.content.decode()
    client.post(url, {"reset": "1"})
    assert not MotivationScale.objects.filter(season=season).exists()
    assert motivation_scale(season).is_default


def test_levels_that_do_not_ascend_are_refused_and_kept(client, season):
    client.force_login(coordinator_of(season))
    response = client.post(
        reverse("community_scale", args=[season.pk]), _values(active_from=70, elite_from=60, practice_added=7)
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Порог «педагогической элиты» должен быть выше порога «актива сообщества»." in body
    assert 'value="7"' in body and 'value="70"' in body
    assert not MotivationScale.objects.exists()


def test_a_weight_out_of_range_is_refused(client, season):
    client.force_login(coordinator_of(season))
    response = client.post(reverse("community_scale", args=[season.pk]), _values(rating_given=5000))
    assert response.status_code == 400
    assert "меньше либо равно 1000" in response.content.decode()
    assert not MotivationScale.objects.exists()


def test_a_missing_value_is_refused(client, season):
    client.force_login(coordinator_of(season))
    data = _values()
    del data["meeting_attended"]
    response = client.post(reverse("community_scale", args=[season.pk]), data)
    assert response.status_code == 400 and "Обязательное поле." in response.content.decode()


def test_only_the_coordinator_opens_the_scale(client, season):
    url = reverse("community_scale", args=[season.pk])
    _community, members = community_with(season, 5)
    client.force_login(management_of(season))
    assert client.get(url).status_code == 403
    client.force_login(members[0].enrollment.person.user)
    assert client.post(url, _values(group_trained=1)).status_code == 403
    elsewhere = SeasonFactory(program__municipality=MunicipalityFactory(name="Октябрьский район"))
    client.force_login(coordinator_of(elsewhere))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert not MotivationScale.objects.exists()
