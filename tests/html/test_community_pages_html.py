"""The communities' pages with their new forms are valid HTML by the Nu HTML checker (see test_nu_checker.py): the
community page with the cascade-training and report-planning forms (their ids must not clash with the meeting
form's), the «Prof-акселератор» confirmation, the points scale, and the header's «Проекты» menu on each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import ActivityAudience
from projects.models import CommunityMember, CommunityRole, CompetenceTheme, Project
from tests.factories import ActivityFactory, EnrollmentFactory, RoadmapModuleFactory, SessionFactory
from tests.html.test_nu_checker import _report, vnu
from tests.projects.communities_fixtures import JOINED, community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db


def test_community_pages_are_valid_html(client, tmp_path):
    season = season_of()
    town = season.program.municipality
    community, members = community_with(season, 5)
    CommunityMember.objects.create(
        community=community, enrollment=EnrollmentFactory(season=season), role=CommunityRole.TUTOR, joined_on=JOINED
    )
    Project.objects.create(municipality=town, title="ПРОкомьюнити в мире VUCA")
    CompetenceTheme.objects.create(municipality=town, title="Развивающая среда")
    module = RoadmapModuleFactory(season=season, title="«Prof-акселератор»")
    SessionFactory(activity=ActivityFactory(season=season, module=module, audience=ActivityAudience.INVITED))
    coordinator = coordinator_of(season)
    leader = members[0].enrollment.person.user
    pages = {
        "community-coordinator": (coordinator, reverse("community_detail", args=[community.pk])),
        "community-leader": (leader, reverse("community_detail", args=[community.pk])),
        "community-list": (coordinator, reverse("community_list", args=[season.pk])),
        "accelerator": (coordinator, reverse("community_accelerator", args=[season.pk])),
        "scale": (coordinator, reverse("community_scale", args=[season.pk])),
    }
    paths = []
    for name, (user, url) in pages.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, name
        assert "nav-projects" in response.content.decode(), name
        path = tmp_path / f"{name}.html"
        path.write_text(response.content.decode(), encoding="utf-8")
        paths.append(path)
    # A refused form, re-shown with its errors, is valid too.
    client.force_login(coordinator)
    refused = client.post(reverse("community_training_new", args=[community.pk]), {"title": ""})
    assert refused.status_code == 400
    path = tmp_path / "training-refused.html"
    path.write_text(refused.content.decode(), encoding="utf-8")
    paths.append(path)
    errors = [m for m in vnu(paths) if m.get("type") == "error"]
    assert not errors, _report(errors)
