"""Who reads the KPI dashboards, and over which municipality and school."""

import pytest
from django.http import Http404

from participants.models import User
from participants.roles import MANAGEMENT, role_groups_ensure
from reports.rules import dashboard_scope
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    home, other = MunicipalityFactory(), MunicipalityFactory()
    return {
        "home": home,
        "other": other,
        "school": OrganisationFactory(municipality=home),
        "school2": OrganisationFactory(municipality=home),
        "far_school": OrganisationFactory(municipality=other),
    }


def _management(municipality, *, by_group=False):
    user = UserFactory(role=User.Role.TEACHER if by_group else User.Role.MANAGEMENT, municipality=municipality)
    if by_group:
        user.groups.add(role_groups_ensure()[MANAGEMENT])
    return user


def _director(school):
    return PersonFactory(organisation=school, user=UserFactory(role=User.Role.DIRECTOR)).user


def _coordinator(municipality):
    return UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=municipality)


@pytest.mark.parametrize("by_group", [False, True])
def test_management_reads_its_municipality_and_any_school_in_it(place, by_group):
    user = _management(place["home"], by_group=by_group)
    scope = dashboard_scope(user)
    assert (scope.municipality, scope.organisation) == (place["home"], None)
    assert not scope.may_choose_municipality and scope.may_choose_organisation
    assert dashboard_scope(user, organisation_id=place["school2"].pk).organisation == place["school2"]
    with pytest.raises(Http404):
        dashboard_scope(user, municipality_id=place["other"].pk)
    with pytest.raises(Http404):
        dashboard_scope(user, organisation_id=place["far_school"].pk)


def test_a_coordinator_reads_like_management(place):
    scope = dashboard_scope(_coordinator(place["home"]), organisation_id=place["school"].pk)
    assert (scope.municipality, scope.organisation) == (place["home"], place["school"])


def test_a_director_reads_their_own_school_only(place):
    user = _director(place["school"])
    scope = dashboard_scope(user)
    assert (scope.municipality, scope.organisation) == (place["home"], place["school"])
    assert not scope.may_choose_municipality and not scope.may_choose_organisation
    assert dashboard_scope(user, organisation_id=place["school"].pk).organisation == place["school"]
    for other in ("school2", "far_school"):
        with pytest.raises(Http404):
            dashboard_scope(user, organisation_id=place[other].pk)
    with pytest.raises(Http404):
        dashboard_scope(user, municipality_id=place["other"].pk)


def test_teachers_experts_and_anonymous_read_nothing(place):
    from django.contrib.auth.models import AnonymousUser

    for user in (
        PersonFactory(organisation=place["school"]).user,
        UserFactory(role=User.Role.EXPERT, municipality=place["home"]),
        UserFactory(role=User.Role.MANAGEMENT),  # management without a municipality
        UserFactory(role=User.Role.DIRECTOR),  # a director's account without a person or school
        AnonymousUser(),
    ):
        with pytest.raises(Http404):
            dashboard_scope(user)


def test_a_superuser_reads_anything_but_an_impossible_pair(place):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert dashboard_scope(admin).municipality is None
    scope = dashboard_scope(admin, organisation_id=place["far_school"].pk)
    assert (scope.municipality, scope.organisation) == (place["other"], place["far_school"])
    with pytest.raises(Http404):
        dashboard_scope(admin, municipality_id=place["home"].pk, organisation_id=place["far_school"].pk)
    with pytest.raises(Http404):
        dashboard_scope(admin, municipality_id=999999)
