"""The header's «Проекты» menu (projects.navigation): each role sees the cascade's pages it may open, only where its
municipality runs that part; its facts ride on the signed-in user's row, so a page spends no query on it and a
change of rights shows on the very next page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import User
from projects.models import CompetenceTheme, Project, ReserveMember, ReserveSource
from projects.navigation import cascade_links
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


def test_the_menu_costs_no_query_of_its_own_and_a_user_loaded_elsewhere_one(client, district):
    coordinator = coordinator_of(district["season"])
    with CaptureQueriesContext(connection) as computed:
        cascade_links(coordinator)
    assert len(computed) == 1
    client.force_login(coordinator)
    assert client.session["_auth_user_backend"] == "projects.backends.CascadeUserBackend"
    home = reverse("home")
    client.get(home)
    with CaptureQueriesContext(connection) as shown:
        body = client.get(home).content.decode()
    assert "nav-projects" in body and reverse("office_registry") in body
    # The project table is read once — inside the query that loads the user — and by no query of the menu's own.
    touching = [q["sql"] for q in shown.captured_queries if "projects_project" in q["sql"]]
    assert len(touching) == 1 and '"participants_user"' in touching[0].split("WHERE")[0]


def test_a_change_of_rights_shows_on_the_very_next_page(client, district):
    teacher = EnrollmentFactory(season=district["season"]).person.user
    client.force_login(teacher)
    assert reverse("my_trajectory") not in client.get(reverse("home")).content.decode()
    ReserveMember.objects.create(
        municipality=district["town"],
        person=teacher.person,
        organisation=district["school"],
        source=ReserveSource.SELF,
        listed_on=date(2025, 9, 1),
        status_changed_on=date(2025, 9, 1),
    )
    assert reverse("my_trajectory") in client.get(reverse("home")).content.decode()
    ReserveMember.objects.filter(person=teacher.person).delete()  # a bulk delete: nothing to forget to clear
    assert reverse("my_trajectory") not in client.get(reverse("home")).content.decode()


def test_a_session_of_the_participants_backend_still_gets_its_menu(client, district):
    coordinator = coordinator_of(district["season"])
    client.force_login(coordinator, backend="participants.backends.PortalModelBackend")
    assert reverse("office_registry") in client.get(reverse("home")).content.decode()
