"""The coordinator records a management team's programme (seed 002, п. 6.2, показатель 2) in the admin: only
their municipality's rows and members, members of the chosen organisation only, at least two members (or the
whole team of one), dates within range; another municipality's ids are refused with a Russian message, never a 500."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import ManagementTeamMember, ManagementTeamProgramme, User
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:participants_managementteamprogramme_changelist"
ADD = "admin:participants_managementteamprogramme_add"
CHANGE = "admin:participants_managementteamprogramme_change"


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="participants"))
    return user


def _team(school, n: int) -> list[ManagementTeamMember]:
    return [
        ManagementTeamMember.objects.create(
            organisation=school, person=PersonFactory(organisation=school, last_name=f"Член{i}"), role=f"Роль {i}"
        )
        for i in range(n)
    ]


def _programme(school, members, title="Программа команды"):
    programme = ManagementTeamProgramme.objects.create(organisation=school, title=title, ends_on=date(2025, 5, 1))
    programme.members.set(members)
    return programme


@pytest.fixture
def world():
    mine, other = MunicipalityFactory(), MunicipalityFactory()
    school, neighbour = OrganisationFactory(municipality=mine), OrganisationFactory(municipality=mine)
    foreign = OrganisationFactory(municipality=other)
    team, neighbours, strangers = _team(school, 3), _team(neighbour, 2), _team(foreign, 2)
    return {
        "mine": mine,
        "school": school,
        "team": team,
        "neighbours": neighbours,
        "foreign_school": foreign,
        "strangers": strangers,
        "own": _programme(school, team[:2], "Своя программа"),
        "foreign": _programme(foreign, strangers, "Чужая программа"),
    }


def _post(school, members, **kw):
    return {
        "organisation": school.pk,
        "title": "  Эффективная   школа ",
        "provider": "ИРО",
        "starts_on": "01.02.2025",
        "ends_on": "30.04.2025",
        "members": [m.pk for m in members],
        **kw,
    }


def test_coordinator_sees_only_own_municipality(client, world):
    client.force_login(_coordinator(world["mine"]))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert [o.pk for o in response.context["cl"].result_list] == [world["own"].pk]
    assert client.get(reverse(CHANGE, args=[world["own"].pk])).status_code == 200
    # Another municipality's row is not reachable by guessing its id (the admin redirects as for a missing one).
    assert client.get(reverse(CHANGE, args=[world["foreign"].pk])).status_code == 302
    assert client.get(reverse(CHANGELIST) + "?q=Своя&year=2025").status_code == 200
    assert client.get(reverse(ADD)).status_code == 200


def test_teacher_gets_no_admin(client, world):
    client.force_login(world["team"][0].person.user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_coordinator_records_a_team_programme(client, world):
    client.force_login(_coordinator(world["mine"]))
    response = client.post(reverse(ADD), _post(world["school"], world["team"][1:]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = ManagementTeamProgramme.objects.get(title="Эффективная школа")
    assert programme.organisation == world["school"]
    assert set(programme.members.all()) == set(world["team"][1:])


def _errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("one_of_three", "members", "отметьте не меньше 2"),
        ("neighbours", "members", "Не члены управленческой команды"),
        ("strangers", "members", "Такой записи нет среди доступных"),
        ("foreign_school", "organisation", "Такой записи нет среди доступных"),
        ("ends_before_start", "ends_on", "раньше даты начала"),
        ("year_1", "ends_on", ""),
        ("year_9999", "starts_on", ""),
    ],
)
def test_bad_input_is_refused_with_a_russian_message(client, world, case, field, message):
    client.force_login(_coordinator(world["mine"]))
    school, team = world["school"], world["team"]
    data = {
        "one_of_three": _post(school, team[:1]),
        "neighbours": _post(school, [team[0], world["neighbours"][0]]),
        "strangers": _post(school, [team[0], world["strangers"][0]]),
        "foreign_school": _post(world["foreign_school"], world["strangers"]),
        "ends_before_start": _post(school, team[:2], ends_on="01.01.2025"),
        "year_1": _post(school, team[:2], starts_on="", ends_on="01.01.0001"),
        "year_9999": _post(school, team[:2], starts_on="31.12.9999"),
    }[case]
    before = ManagementTeamProgramme.objects.count()
    errors = _errors(client.post(reverse(ADD), data))
    assert field in errors and message in " ".join(errors[field])
    assert ManagementTeamProgramme.objects.count() == before
    # What the coordinator typed is kept on the page.
    assert "Эффективная" in client.post(reverse(ADD), data).content.decode()


def test_a_team_of_one_takes_part_alone(client, world):
    (head,) = _team(OrganisationFactory(municipality=world["mine"]), 1)
    client.force_login(_coordinator(world["mine"]))
    response = client.post(reverse(ADD), _post(head.organisation, [head]))
    assert response.status_code == 302


def test_changelist_queries_do_not_grow_with_rows(client, world):
    client.force_login(_coordinator(world["mine"]))
    url = reverse(CHANGELIST)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(2):
        school = OrganisationFactory(municipality=world["mine"])
        _programme(school, _team(school, 2), f"Программа {i}")
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 3
    assert len(three.captured_queries) == len(one.captured_queries)
