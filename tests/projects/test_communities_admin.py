"""The communities' admin keeps the services' rules: a member of a community is a participant of its season
(«В сообщество входят участники того же сезона», projects.services_communities.community_member_add)."""

import pytest
from django.urls import reverse

from participants.roles import COORDINATORS, role_groups_ensure
from projects.models import CommunityMember
from tests.factories import EnrollmentFactory, SeasonFactory

from .communities_fixtures import JOINED, community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db


def _post_members(client, community, enrollment):
    data = {
        "season": str(community.season_id),
        "name": community.name,
        "kind": community.kind,
        "organisation": "",
        "goals": community.goals,
        "tasks": community.tasks,
        "curator": "",
        "leader": str(community.leader_id or ""),
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-enrollment": str(enrollment.pk),
        "members-0-role": "member",
        "members-0-joined_on": JOINED.isoformat(),
        "members-0-left_on": "",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "reports-MIN_NUM_FORMS": "0",
        "reports-MAX_NUM_FORMS": "1000",
    }
    return client.post(reverse("admin:projects_community_change", args=[community.pk]), data)


def test_the_admin_refuses_a_member_of_another_season_of_the_same_municipality(client):
    season = season_of()
    community, members = community_with(season, 5)
    other_season = SeasonFactory(program=season.program, time_zone="Europe/Moscow")
    stranger = EnrollmentFactory(season=other_season)
    coordinator = coordinator_of(season)
    coordinator.groups.add(role_groups_ensure()[COORDINATORS])
    client.force_login(coordinator)
    response = _post_members(client, community, stranger)
    assert response.status_code == 200
    assert "В сообщество входят участники того же сезона." in response.content.decode()
    assert not CommunityMember.objects.filter(enrollment=stranger).exists()
    newcomer = EnrollmentFactory(season=season)
    response = _post_members(client, community, newcomer)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert CommunityMember.objects.filter(community=community, enrollment=newcomer).exists()
