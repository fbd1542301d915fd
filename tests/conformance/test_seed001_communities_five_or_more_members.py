"""Seed 001, «ПРОкомьюнити в мире VUCA», footnote: «СООБЩЕСТВО — это группа людей, состоящая из пяти и более
человек». A community with fewer than five active members is shown as «не набран состав» and cannot be marked
«действует»; a member who left on a date stops counting from that date. Real services, explicit dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from projects.models import Community, CommunityRole
from projects.selectors_communities import communities_of_season, is_staffed
from projects.services_communities import community_member_add, community_member_leave, community_status_set
from tests.factories import EnrollmentFactory
from tests.projects.communities_fixtures import community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db


def test_four_members_are_no_community_five_are():
    season = season_of()
    coordinator = coordinator_of(season)
    community, _members = community_with(season, 4)
    assert not is_staffed(communities_of_season(season).get().active_count)
    with pytest.raises(ValidationError, match="Не набран состав"):
        community_status_set(
            community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2024, 10, 1)
        )
    fifth = community_member_add(
        community=community,
        enrollment=EnrollmentFactory(season=season),
        role=CommunityRole.ACTIVATOR,
        joined_on=date(2024, 9, 20),
        by=coordinator,
    )
    community_status_set(community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2024, 10, 1))
    assert Community.objects.get(pk=community.pk).status == Community.Status.ACTIVE
    # The fifth leaves on 1 November: from that day the group is four again.
    community_member_leave(member=fifth, left_on=date(2024, 11, 1), by=coordinator)
    community_status_set(community=community, status=Community.Status.FORMING, by=coordinator)
    with pytest.raises(ValidationError):
        community_status_set(
            community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2024, 11, 2)
        )
    # …though on 31 October they still counted.
    community_status_set(community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2024, 10, 31))


def test_a_member_who_joins_later_does_not_count_before_joining():
    season = season_of()
    coordinator = coordinator_of(season)
    community, _members = community_with(season, 4)
    community_member_add(
        community=community,
        enrollment=EnrollmentFactory(season=season),
        role=CommunityRole.MEMBER,
        joined_on=date(2024, 12, 1),
        by=coordinator,
    )
    with pytest.raises(ValidationError):
        community_status_set(
            community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2024, 11, 30)
        )
