import pytest
from django.contrib.auth.models import AnonymousUser, Group

from experts.models import ExpertRole
from participants.roles import COORDINATORS
from ratings.rules_achievements import (
    can_decide_achievement,
    can_view_achievement_proof,
    is_achievement_owner,
    is_achievement_season_coordinator,
    is_achievement_season_expert,
)
from tests.factories import MunicipalityFactory, SeasonFactory, UserFactory

from .achievement_helpers import AchievementFactory, coordinator_of, expert_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def achievement():
    return AchievementFactory(enrollment__season=SeasonFactory())


def test_owner(achievement):
    owner = achievement.enrollment.person.user
    assert is_achievement_owner(owner, achievement)
    assert can_view_achievement_proof(owner, achievement)
    assert not can_decide_achievement(owner, achievement)
    assert not is_achievement_owner(UserFactory(), achievement)
    assert not is_achievement_owner(AnonymousUser(), achievement)
    assert not is_achievement_owner(owner, None)


@pytest.mark.parametrize(
    "role",
    [
        ExpertRole.CURATOR,
        ExpertRole.METHODIST,
        ExpertRole.PSYCHOLOGIST,
        ExpertRole.TUTOR,
        ExpertRole.MENTOR,
        ExpertRole.PROJECT_HEAD,
    ],
)
def test_every_role_of_the_expert_group_of_the_season(achievement, role):
    user = expert_of(achievement.enrollment.season, role=role).person.user
    assert is_achievement_season_expert(user, achievement)
    assert can_view_achievement_proof(user, achievement)
    assert can_decide_achievement(user, achievement)


@pytest.mark.parametrize("role", [ExpertRole.TECH_SPECIALIST, ExpertRole.ADMINISTRATOR])
def test_roles_outside_the_expert_group(achievement, role):
    user = expert_of(achievement.enrollment.season, role=role).person.user
    assert not can_view_achievement_proof(user, achievement)
    assert not can_decide_achievement(user, achievement)


def test_inactive_expert_and_expert_of_another_season(achievement):
    inactive = expert_of(achievement.enrollment.season, is_active=False).person.user
    foreign = expert_of(SeasonFactory()).person.user
    for user in (inactive, foreign):
        assert not can_view_achievement_proof(user, achievement)
        assert not can_decide_achievement(user, achievement)


def test_coordinator_of_the_municipality_only(achievement):
    season = achievement.enrollment.season
    mine = coordinator_of(season)
    assert is_achievement_season_coordinator(mine, achievement)
    assert can_decide_achievement(mine, achievement)
    assert can_view_achievement_proof(mine, achievement)
    elsewhere = UserFactory(is_staff=True, role="coordinator", municipality=MunicipalityFactory())
    assert not can_decide_achievement(elsewhere, achievement)
    not_staff = UserFactory(role="coordinator", municipality=season.program.municipality)
    assert not can_decide_achievement(not_staff, achievement)


def test_coordinator_by_group_membership(achievement):
    user = UserFactory(is_staff=True, municipality=achievement.enrollment.season.program.municipality)
    assert not can_decide_achievement(user, achievement)
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS)[0])
    assert can_decide_achievement(user, achievement)


def test_superuser(achievement):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert can_decide_achievement(admin, achievement)
    assert can_view_achievement_proof(admin, achievement)


def test_perms_are_registered(achievement):
    owner = achievement.enrollment.person.user
    assert owner.has_perm("ratings.view_achievement_proof", achievement)
    assert not owner.has_perm("ratings.decide_achievement", achievement)
