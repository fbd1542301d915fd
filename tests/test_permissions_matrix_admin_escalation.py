"""Self-escalation through the accounts admin, by every staff role that is not a superuser (docs/decisions/0001).

Only a superuser changes anyone's municipality, role, staff or superuser flag, groups or permissions — one's own
account included; a coordinator edits their own name, e-mail and password only. Each case posts the account's own
change form (as the admin renders it) with one of those fields changed, as A's coordinator (by role and by group),
B's coordinator, a staff member of A's management and a staff expert of A, against their own account, a teacher
and a coordinator of their municipality, a coordinator of the other municipality and the superuser; and sets the
password of another municipality's account and of the superuser. The account stays as it was (its row, groups and
permissions); the answer is a form error, a 403, or the admin's "no such object" — never a 500.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.urls import reverse

from participants.models import User
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from tests import permissions_world
from tests.admin_write_probes import form_data
from tests.factories import UserFactory
from tests.permissions_world import COORDINATOR, COORDINATOR_BY_GROUP, COORDINATOR_OTHER, World

world = permissions_world.world  # the shared fixture

MANAGER_STAFF, EXPERT_STAFF = "management_staff", "expert_staff"
ACTORS = [COORDINATOR, COORDINATOR_BY_GROUP, COORDINATOR_OTHER, MANAGER_STAFF, EXPERT_STAFF]
TARGETS = ["self", "teacher_same", "coordinator_same", "coordinator_elsewhere", "superuser"]


@pytest.fixture(scope="module")
def staff(world: World, django_db_blocker):
    """The world with a staff account of A's management (the «Руководство» group) and a staff expert of A."""
    with django_db_blocker.unblock():
        town = world.season_a.program.municipality
        manager = UserFactory(is_staff=True, role=User.Role.MANAGEMENT, municipality=town)
        manager.groups.add(role_groups_ensure()[MANAGEMENT])
        world.users[MANAGER_STAFF] = manager
        world.users[EXPERT_STAFF] = UserFactory(is_staff=True, role=User.Role.EXPERT, municipality=town)
        # The teachers bound to their municipality, so that clearing it is a change to refuse.
        elsewhere = world.users[COORDINATOR_OTHER].municipality
        for role, municipality in (("teacher", town), ("teacher_other_season", elsewhere)):
            User.objects.filter(pk=world.users[role].pk).update(municipality=municipality)
            world.users[role].refresh_from_db()
    return world


def _target(w: World, actor: str, target: str) -> User:
    in_b = actor == COORDINATOR_OTHER
    return {
        "self": w.users[actor],
        "teacher_same": w.users["teacher_other_season" if in_b else "teacher"],
        "coordinator_same": w.users[COORDINATOR_BY_GROUP if actor == COORDINATOR else COORDINATOR],
        "coordinator_elsewhere": w.users[COORDINATOR if in_b else COORDINATOR_OTHER],
        "superuser": w.users["superuser"],
    }[target]


def _changes(w: World, user: User) -> dict[str, tuple[str, list[str]]]:
    """name → (field, the value posted): each a right only a superuser hands out."""
    town, elsewhere = w.season_a.program.municipality, w.users[COORDINATOR_OTHER].municipality
    other_municipality = elsewhere if user.municipality_id == town.pk else town
    other_role = User.Role.COORDINATOR if user.role != User.Role.COORDINATOR else User.Role.MANAGEMENT
    groups = {str(pk) for pk in user.groups.values_list("pk", flat=True)}
    coordinators = str(Group.objects.get(name=COORDINATORS).pk)
    management = str(Group.objects.get(name=MANAGEMENT).pk)
    changed_groups = sorted(groups ^ {coordinators}) or [management]
    permission = str(Permission.objects.get(codename="change_group").pk)
    return {
        "municipality_cleared": ("municipality", [""]),
        "municipality_moved": ("municipality", [str(other_municipality.pk)]),
        "role": ("role", [other_role]),
        "is_staff": ("is_staff", [] if user.is_staff else ["on"]),
        "is_superuser": ("is_superuser", [] if user.is_superuser else ["on"]),
        "groups": ("groups", changed_groups),
        "user_permissions": ("user_permissions", [permission]),
    }


CHANGES = [
    "municipality_cleared",
    "municipality_moved",
    "role",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
]


def _account(user: User) -> str:
    """The account's row, groups and permissions, hashed."""
    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(User._meta.db_table)} WHERE id = %s", [user.pk])
        rows.append(cursor.fetchall())
        for field in ("groups", "user_permissions"):
            through = User._meta.get_field(field).remote_field.through._meta.db_table
            cursor.execute(f"SELECT * FROM {quote(through)} WHERE user_id = %s ORDER BY 1", [user.pk])
            rows.append(cursor.fetchall())
    return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()


def _params():
    for actor in ACTORS:
        for target in TARGETS:
            for change in CHANGES:
                yield pytest.param(actor, target, change, id=f"{actor}-{target}-{change}")


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "target", "change"), list(_params()))
def test_only_a_superuser_changes_rights(client, staff: World, actor: str, target: str, change: str):
    w = staff
    account = _target(w, actor, target)
    # The change form as it is rendered with every field, the account's own values in it, one right changed.
    data, _has_relation = form_data("participants.User", account, w.users["superuser"], change=True)
    field, value = _changes(w, account)[change]
    data[field] = value
    client.force_login(w.users[actor])
    before = _account(account)
    response = client.post(reverse("admin:participants_user_change", args=[account.pk]), data)
    where = f"{actor} → {target}: {change}"
    assert response.status_code != 500, where
    assert _account(account) == before, f"{where}: the account changed ({response.status_code})"
    if response.status_code == 200:
        assert response.context_data["errors"], f"{where}: 200 without a form error"
    else:
        assert response.status_code in (302, 403), f"{where}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("target", ["coordinator_elsewhere", "superuser"])
def test_no_password_set_beyond_the_municipality(client, staff: World, actor: str, target: str):
    w = staff
    account = _target(w, actor, target)
    client.force_login(w.users[actor])
    before = _account(account)
    address = reverse("admin:auth_user_password_change", args=[account.pk])
    password = "Pr0be-Passw0rd-Matrix"
    response = client.post(address, {"password1": password, "password2": password, "usable_password": "true"})
    missing = client.post(
        reverse("admin:auth_user_password_change", args=[999_999_999]),
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert _account(account) == before, f"{actor} set the password of {target} ({response.status_code})"
    assert response.status_code in (403, 404), f"{actor} → {target}: {response.status_code}"
    assert response.status_code == missing.status_code, f"{actor} → {target}: not what a missing id gives"
