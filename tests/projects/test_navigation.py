"""The header's «Проекты» menu (projects.navigation): each role sees the cascade's pages it may open, only where its
municipality runs that part; the whole menu is one query, and pages after sign-in spend none on it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import User
from projects.models import CompetenceTheme, Project, ReserveMember, ReserveSource
from projects.navigation import SESSION_KEY, cascade_links
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)
from tests.projects.communities_fixtures import community_with, coordinator_of, management_of, season_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    """Московский район running every part; a second municipality running none."""
    season = season_of()
    town = season.program.municipality
    community, members = community_with(season, 5)
    Project.objects.create(municipality=town, title="ПРОкомьюнити в мире VUCA")
    SeasonFactory(program=ProgramFactory(municipality=town, slug="shkola-shkole", title="Школа – Школе"))
    CompetenceTheme.objects.create(municipality=town, title="Развивающая предметно-пространственная среда")
    school = OrganisationFactory(municipality=town, short_name="ГБОУ Школа № 1")
    reservist = PersonFactory(organisation=school)
    ReserveMember.objects.create(
        municipality=town,
        person=reservist,
        organisation=school,
        source=ReserveSource.SELF,
        listed_on=date(2025, 9, 1),
        status_changed_on=date(2025, 9, 1),
    )
    return {
        "season": season,
        "town": town,
        "community": community,
        "members": members,
        "school": school,
        "reservist": reservist,
    }


def keys(user) -> list[str]:
    return [key for key, _url in cascade_links(user)]


def test_the_coordinator_finds_every_part_of_the_district(district):
    links = dict(cascade_links(coordinator_of(district["season"])))
    assert list(links) == ["office", "communities", "reserve", "school_pairs", "lab"]
    assert links["lab"] == reverse("lab_map", args=[district["town"].pk])


def test_management_reads_all_but_the_reserve(district):
    assert keys(management_of(district["season"])) == ["office", "communities", "school_pairs", "lab"]


def test_a_member_finds_their_communities_and_the_map_of_their_town(district):
    teacher = district["members"][1].enrollment.person
    teacher.organisation = district["school"]
    teacher.save(update_fields=["organisation"])
    assert keys(teacher.user) == ["communities", "lab"]


def test_a_reserve_member_finds_their_trajectory(district):
    assert keys(district["reservist"].user) == ["trajectory", "lab"]


def test_a_director_finds_the_pairs_of_their_town(district):
    director = PersonFactory(organisation=district["school"], is_manager=True, user__role=User.Role.DIRECTOR)
    assert keys(director.user) == ["school_pairs", "lab"]


def test_another_municipality_sees_nothing_of_the_district(district):
    elsewhere = MunicipalityFactory(name="Октябрьский район")
    coordinator = UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=elsewhere)
    teacher = EnrollmentFactory(person__organisation=OrganisationFactory(municipality=elsewhere)).person.user
    assert keys(coordinator) == []
    assert keys(teacher) == []


def test_a_teacher_in_no_part_gets_no_menu(client, district):
    teacher = EnrollmentFactory(season=district["season"]).person.user
    client.force_login(teacher)
    body = client.get(reverse("home")).content.decode()
    assert "nav-projects" not in body


def test_every_link_opens(client, district):
    for user in (coordinator_of(district["season"]), management_of(district["season"]), district["reservist"].user):
        client.force_login(user)
        for _key, url in cascade_links(user):
            assert client.get(url).status_code == 200, (user.role, url)


def test_the_menu_is_one_query_and_pages_after_sign_in_spend_none(client, district):
    coordinator = coordinator_of(district["season"])
    with CaptureQueriesContext(connection) as computed:
        cascade_links(coordinator)
    assert len(computed) == 1
    client.force_login(coordinator)
    assert client.session[SESSION_KEY]["links"]
    home = reverse("home")
    client.get(home)
    with CaptureQueriesContext(connection) as shown:
        body = client.get(home).content.decode()
    with CaptureQueriesContext(connection) as without:
        client.cookies.pop("sessionid")
        client.get(home)
    assert "nav-projects" in body and reverse("office_registry") in body
    assert not any("projects_project" in q["sql"] for q in shown.captured_queries)
    assert len(shown) > len(without)  # the signed-in page ran its own queries; none of them the menu's


def test_a_teachers_menu_query_reads_only_their_own_parts(district):
    """A teacher's links never come from the municipality's parts or the role groups: their sign-in's query
    leaves them out (projects.navigation.cascade_facts); a coordinator's reads them."""
    teacher = district["members"][1].enrollment.person.user
    coordinator = coordinator_of(district["season"])
    with CaptureQueriesContext(connection) as taught:
        assert keys(teacher) == ["communities"]
    with CaptureQueriesContext(connection) as coordinated:
        keys(coordinator)
    assert len(taught) == len(coordinated) == 1
    teacher_sql, coordinator_sql = taught.captured_queries[0]["sql"], coordinated.captured_queries[0]["sql"]
    for table in ("projects_project", "auth_group", "projects_schoolpair"):
        assert table not in teacher_sql and table in coordinator_sql, table


def test_a_stale_menu_is_worked_out_again_in_one_query(client, district):
    coordinator = coordinator_of(district["season"])
    client.force_login(coordinator)
    session = client.session
    session[SESSION_KEY] = {"user": coordinator.pk, "at": 0, "links": []}
    session.save()
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("home")).content.decode()
    assert reverse("reserve_list") in body
    assert sum("projects_project" in q["sql"] for q in queries.captured_queries) == 1
