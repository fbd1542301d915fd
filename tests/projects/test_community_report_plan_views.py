"""Community reports planned on the community's page (сид 001, «Определение целей и отчетности»): the coordinator
sets a half-year report's due date; a repeat, a date before the half-year and a bad year are refused in Russian at
their field with what was typed kept; nobody else plans."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from projects.models import CommunityReport
from tests.factories import MunicipalityFactory, SeasonFactory

from .communities_fixtures import community_with, coordinator_of, management_of, season_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    season = season_of()
    community, members = community_with(season, 5)
    return season, community, members


def _plan(client, community, **changes):
    data = {"year": "2030", "half": "1", "due_on": "2030-06-20", **changes}
    return client.post(reverse("community_report_plan", args=[community.pk]), data)


def test_the_coordinator_plans_and_the_leader_sees_the_report(client, world):
    season, community, members = world
    client.force_login(coordinator_of(season))
    assert (
        "Запланировать отчёт за полугодие"
        in client.get(reverse("community_detail", args=[community.pk])).content.decode()
    )
    response = _plan(client, community)
    assert response.status_code == 302 and response["Location"].endswith("#reports")
    report = CommunityReport.objects.get()
    assert (report.year, report.half, report.due_on) == (2030, 1, date(2030, 6, 20))
    client.force_login(members[0].enrollment.person.user)
    body = client.get(reverse("community_detail", args=[community.pk])).content.decode()
    assert "срок 20.06.2030" in body and "Сдать отчёт" in body
    assert "Запланировать отчёт за полугодие" not in body


def test_the_same_half_twice_is_refused_and_kept(client, world):
    season, community, _members = world
    client.force_login(coordinator_of(season))
    _plan(client, community)
    response = _plan(client, community, due_on="2030-06-25")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Отчёт за это полугодие уже запланирован." in body
    assert 'value="2030-06-25"' in body
    assert CommunityReport.objects.count() == 1


def test_a_due_date_before_the_half_year_is_refused(client, world):
    season, community, _members = world
    client.force_login(coordinator_of(season))
    response = _plan(client, community, half="2", due_on="2030-05-01")
    assert response.status_code == 400
    assert "Срок сдачи не может быть раньше начала полугодия (01.07.2030)." in response.content.decode()
    assert not CommunityReport.objects.exists()


def test_a_bad_year_and_a_missing_date_are_refused(client, world):
    season, community, _members = world
    client.force_login(coordinator_of(season))
    response = _plan(client, community, year="1812", due_on="")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Укажите год от 2000 до 2100." in body and "Обязательное поле." in body
    assert not CommunityReport.objects.exists()


def test_only_the_coordinator_plans(client, world):
    season, community, members = world
    client.force_login(management_of(season))
    assert _plan(client, community).status_code == 403
    client.force_login(members[0].enrollment.person.user)
    assert _plan(client, community).status_code == 403
    elsewhere = SeasonFactory(program__municipality=MunicipalityFactory(name="Октябрьский район"))
    client.force_login(coordinator_of(elsewhere))
    assert _plan(client, community).status_code == 404
    client.logout()
    assert _plan(client, community).status_code == 302
    assert not CommunityReport.objects.exists()
