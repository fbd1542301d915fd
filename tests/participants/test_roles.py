import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from participants.models import User
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_groups_exist_after_migrate_and_ensure_is_idempotent():
    # pytest-django migrated the test database, so post_migrate has already run.
    coordinators = Group.objects.get(name=COORDINATORS)
    before = set(coordinators.permissions.values_list("pk", flat=True))
    assert "add_enrollment" in set(coordinators.permissions.values_list("codename", flat=True))
    role_groups_ensure()
    call_command("migrate", verbosity=0)
    assert set(Group.objects.get(name=COORDINATORS).permissions.values_list("pk", flat=True)) == before
    assert Group.objects.filter(name__in=[COORDINATORS, MANAGEMENT]).count() == 2


def test_the_groups_are_made_once_a_migrate_with_every_apps_permissions(monkeypatch):
    """post_migrate comes once per app with models; the groups are made at the last one, when every app's
    permissions exist — not once per app."""
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal

    from participants import roles

    made = []
    original = roles.role_groups_ensure
    monkeypatch.setattr(roles, "role_groups_ensure", lambda: made.append(1) or original())
    Group.objects.filter(name=COORDINATORS).delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert made == [1]
    granted = set(Group.objects.get(name=COORDINATORS).permissions.values_list("pk", flat=True))
    portal = set(Permission.objects.filter(content_type__app_label__in=roles.PORTAL_APPS).values_list("pk", flat=True))
    assert portal and portal <= granted


def test_management_can_only_view():
    codenames = set(Group.objects.get(name=MANAGEMENT).permissions.values_list("codename", flat=True))
    assert codenames and all(c.startswith("view_") for c in codenames)
    assert "view_enrollment" in codenames


def test_coordinator_cannot_grant_superuser(client):
    # Bound to a municipality: an account without one sees nothing in the admin, its own account included.
    coordinator = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=MunicipalityFactory())
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(coordinator)
    url = reverse("admin:participants_user_change", args=[coordinator.pk])
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields and "groups" not in form.fields
    client.post(
        url,
        {"email": coordinator.email, "role": "coordinator", "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )
    coordinator.refresh_from_db()
    assert not coordinator.is_superuser
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert client.get(reverse("admin:participants_user_change", args=[superuser.pk])).status_code == 302
