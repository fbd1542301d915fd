"""No self-escalation through the accounts admin (docs/decisions/0001-municipality-boundary.md).

A coordinator opened their own account, cleared «Муниципалитет» and saved: the account then saw every
municipality. Only a superuser changes an account's municipality, role, flags, groups or permissions — one's own
included; a coordinator edits their own e-mail and password, and no other staff account at all.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from participants.models import User
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

RIGHTS = ["role", "municipality", "is_active", "is_staff", "is_superuser", "groups", "user_permissions"]


def _coordinator(municipality, **kwargs):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality, **kwargs)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    return user


@pytest.fixture
def town():
    return MunicipalityFactory(name="Октябрьский")


def _change(user):
    return reverse("admin:participants_user_change", args=[user.pk])


def _escalation(user, **extra):
    """Everything a crafted POST would set to widen the account's reach."""
    return {
        "email": user.email,
        "role": User.Role.MANAGEMENT,
        "municipality": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=MANAGEMENT).pk],
        "user_permissions": [Permission.objects.get(codename="change_user").pk],
        **extra,
    }


def _rights(user) -> tuple:
    user.refresh_from_db()
    return (
        user.role,
        user.municipality_id,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("pk", flat=True)),
        sorted(user.user_permissions.values_list("pk", flat=True)),
    )


def test_a_coordinator_s_own_account_form_has_only_e_mail_and_password(client, town):
    me = _coordinator(town)
    client.force_login(me)
    response = client.get(_change(me))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.fields) == {"email", "password"}


def test_a_crafted_post_on_one_s_own_account_changes_only_the_e_mail(client, town):
    me = _coordinator(town)
    before = _rights(me)
    client.force_login(me)
    response = client.post(_change(me), _escalation(me, email="new-address@example.ru"))
    assert response.status_code == 302
    assert _rights(me) == before
    assert me.email == "new-address@example.ru"  # the form itself was accepted


def test_a_coordinator_without_a_municipality_cannot_give_themselves_one(client, town):
    me = _coordinator(None)
    client.force_login(me)
    client.post(_change(me), _escalation(me, municipality=town.pk))
    me.refresh_from_db()
    assert me.municipality_id is None


def test_a_coordinator_changes_no_other_staff_account_nor_its_password(client, town):
    colleague = _coordinator(town)
    me = _coordinator(town)
    before = _rights(colleague)
    client.force_login(me)
    assert client.post(_change(colleague), _escalation(colleague, email="taken@example.ru")).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[colleague.pk])
    response = client.post(password, {"password1": "Zx-New-Password-987", "password2": "Zx-New-Password-987"})
    assert response.status_code == 403
    assert _rights(colleague) == before
    assert colleague.email != "taken@example.ru" and colleague.check_password(PASSWORD)


def test_a_coordinator_cannot_raise_a_teacher_of_their_municipality(client, town):
    teacher = PersonFactory(organisation=OrganisationFactory(municipality=town)).user
    before = _rights(teacher)
    client.force_login(_coordinator(town))
    response = client.post(_change(teacher), _escalation(teacher, email="teacher-new@example.ru"))
    assert response.status_code == 302
    assert _rights(teacher) == before
    assert teacher.email == "teacher-new@example.ru"


def test_a_coordinator_changes_no_group_s_permissions(client, town):
    group = Group.objects.get(name=MANAGEMENT)
    before = set(group.permissions.values_list("pk", flat=True))
    client.force_login(_coordinator(town))
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_a_superuser_still_sets_municipality_role_and_rights(client, town):
    elsewhere = MunicipalityFactory(name="Заречный")
    coordinator = _coordinator(town)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    form = client.get(_change(coordinator)).context["adminform"].form
    assert set(RIGHTS) <= set(form.fields)
    response = client.post(
        _change(coordinator),
        {
            "email": coordinator.email,
            "role": User.Role.MANAGEMENT,
            "municipality": elsewhere.pk,
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=MANAGEMENT).pk],
            "date_joined_0": "01.09.2025",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    coordinator.refresh_from_db()
    assert (coordinator.municipality, coordinator.role) == (elsewhere, User.Role.MANAGEMENT)
