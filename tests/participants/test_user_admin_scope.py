"""The accounts admin is limited to the coordinator's municipality (docs/decisions/0001-municipality-boundary.md; found by the permissions matrix).

Before, a coordinator of one district listed, searched and changed every account of the region — another
district's teachers and coordinators included (their e-mail, role, password) — and could move their own account
to another municipality, becoming its coordinator.
"""

import pytest
from django.urls import reverse

from participants.models import User
from participants.roles import COORDINATORS, role_groups_ensure
from tests.factories import (
    PASSWORD,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    return user


@pytest.fixture
def place():
    town, elsewhere = MunicipalityFactory(name="Октябрьский"), MunicipalityFactory(name="Заречный")
    teacher = PersonFactory(last_name="Городская", organisation=OrganisationFactory(municipality=town)).user
    return {
        "town": town,
        "elsewhere": elsewhere,
        "teacher": teacher,
        "coordinator": _coordinator(town),
        "other": _coordinator(elsewhere),
    }


def _change(user):
    return reverse("admin:participants_user_change", args=[user.pk])


def test_the_own_municipality_s_coordinator_opens_and_finds_the_account(client, place):
    client.force_login(place["coordinator"])
    assert client.get(_change(place["teacher"])).status_code == 200
    found = client.get(reverse("admin:participants_user_changelist"), {"q": "Городская"})
    assert place["teacher"].email in found.content.decode()


def test_another_municipality_s_coordinator_gets_what_a_missing_id_gives(client, place):
    client.force_login(place["other"])
    missing = client.get(reverse("admin:participants_user_change", args=[999_999]))
    for user in (place["teacher"], place["coordinator"]):
        for name in ("admin:participants_user_change", "admin:participants_user_history"):
            response = client.get(reverse(name, args=[user.pk]))
            assert (response.status_code, response.get("Location")) == (missing.status_code, missing.get("Location"))
    found = client.get(reverse("admin:participants_user_changelist"), {"q": "Городская"})
    assert found.status_code == 200 and place["teacher"].email not in found.content.decode()


def test_another_municipality_s_coordinator_cannot_set_a_password(client, place):
    client.force_login(place["other"])
    address = reverse("admin:auth_user_password_change", args=[place["coordinator"].pk])
    response = client.post(address, {"password1": "Zx-New-Password-987", "password2": "Zx-New-Password-987"})
    assert response.status_code in (302, 404)
    place["coordinator"].refresh_from_db()
    assert place["coordinator"].check_password(PASSWORD)


def test_a_coordinator_cannot_move_their_account_to_another_municipality(client, place):
    # The municipality is not a coordinator's field at all: the posted one is ignored.
    me = place["other"]
    client.force_login(me)
    response = client.post(
        _change(me),
        {
            "email": me.email,
            "role": User.Role.COORDINATOR,
            "municipality": place["town"].pk,
            "is_active": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.municipality == place["elsewhere"]


def test_people_enrolled_or_engaged_in_the_municipality_are_in_its_list(client, place):
    season = SeasonFactory(program__municipality=place["town"])
    enrolled = EnrollmentFactory(season=season).person.user  # their school is elsewhere
    expert = ExpertAssignmentFactory(season=season).person.user
    client.force_login(place["coordinator"])
    for user in (enrolled, expert):
        assert client.get(_change(user)).status_code == 200
    client.force_login(place["other"])
    for user in (enrolled, expert):
        assert client.get(_change(user)).status_code == 302


def test_an_account_a_coordinator_creates_is_of_their_municipality(client, place):
    client.force_login(place["coordinator"])
    response = client.post(
        reverse("admin:participants_user_add"),
        {"email": "new@example.ru", "password1": "Zx-New-Password-987", "password2": "Zx-New-Password-987"},
    )
    created = User.objects.get(email="new@example.ru")
    assert response.status_code == 302 and response.url == _change(created)
    assert created.municipality == place["town"]
    assert client.get(_change(created)).status_code == 200
