"""After signing in each role lands on its own working page; a safe `next` still wins."""

import pytest
from django.urls import reverse

from participants.models import User
from tests.factories import PASSWORD, MunicipalityFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD, **extra})


def test_teacher_lands_in_the_cabinet(client):
    person = PersonFactory(user__role=User.Role.TEACHER)

    assert sign_in(client, person.user)["Location"] == reverse("cabinet")


def test_expert_lands_in_the_workspace(client):
    person = PersonFactory(user__role=User.Role.EXPERT)

    assert sign_in(client, person.user)["Location"] == reverse("expert_workspace")


def test_coordinator_lands_in_the_admin(client):
    user = UserFactory(role=User.Role.COORDINATOR, is_staff=True, municipality=MunicipalityFactory())

    assert sign_in(client, user)["Location"] == reverse("admin:index")


def test_coordinator_without_admin_access_lands_on_the_dashboard(client):
    user = UserFactory(role=User.Role.COORDINATOR, is_staff=False, municipality=MunicipalityFactory())

    assert sign_in(client, user)["Location"] == reverse("kpi_dashboard")


def test_superuser_lands_in_the_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)

    assert sign_in(client, user)["Location"] == reverse("admin:index")


def test_other_staff_lands_in_the_admin(client):
    user = UserFactory(role=User.Role.TEACHER, is_staff=True)

    assert sign_in(client, user)["Location"] == reverse("admin:index")


def test_management_lands_on_the_kpi_dashboard(client):
    user = UserFactory(role=User.Role.MANAGEMENT, municipality=MunicipalityFactory())

    assert sign_in(client, user)["Location"] == reverse("kpi_dashboard")


def test_director_lands_on_the_dashboard_of_their_school(client):
    person = PersonFactory(user__role=User.Role.DIRECTOR)

    response = sign_in(client, person.user)

    assert response["Location"] == reverse("kpi_dashboard")
    assert client.get(response["Location"]).status_code == 200


def test_director_without_a_school_lands_in_the_cabinet(client):
    user = UserFactory(role=User.Role.DIRECTOR)

    assert sign_in(client, user)["Location"] == reverse("cabinet")


@pytest.mark.parametrize("role", [r.value for r in User.Role])
def test_every_landing_page_opens_for_its_role(client, role):
    person = PersonFactory(user__role=role, user__is_staff=role == User.Role.COORDINATOR)
    if role in {User.Role.COORDINATOR, User.Role.MANAGEMENT}:
        person.user.municipality = person.organisation.municipality
        person.user.save()

    landing = sign_in(client, person.user)["Location"]

    assert landing != reverse("home")
    assert client.get(landing).status_code == 200


def test_a_safe_next_still_wins(client):
    person = PersonFactory(user__role=User.Role.EXPERT)

    assert sign_in(client, person.user, next="/programs/x/")["Location"] == "/programs/x/"


def test_an_unsafe_next_falls_back_to_the_landing(client):
    person = PersonFactory(user__role=User.Role.EXPERT)

    assert sign_in(client, person.user, next="https://evil.example/")["Location"] == reverse("expert_workspace")


def test_the_login_page_sends_a_signed_in_person_to_their_landing(client):
    user = UserFactory(role=User.Role.MANAGEMENT, municipality=MunicipalityFactory())
    client.force_login(user)

    assert client.get(reverse("login"))["Location"] == reverse("kpi_dashboard")
