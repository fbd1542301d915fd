"""Scoping fails closed (docs/decisions/0001-municipality-boundary.md): a staff account that is not a superuser and is bound to no
municipality sees nothing — in every admin list, in the autocompletes and filters, on the dashboards — where it
used to see everything. Superusers still see everything."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from participants.models import User
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, admin_scope
from tests import permissions_world
from tests.factories import UserFactory
from tests.permissions_world import TEACHER_NAME

world = permissions_world.world

# Lists that hold no municipality's rows: reference data, the job log, one's own long jobs.
GLOBAL_LISTS = {"programs.Subject", "auth.Group", "core.JobRun", "core.BackgroundJob"}


@pytest.fixture
def nowhere(db):
    """A coordinator whose municipality was cleared (as the attack left it), in the coordinators' group."""
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=None)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    return user


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.django_db
def test_every_admin_list_is_empty(world, nowhere):
    superuser = world.users["superuser"]
    checked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.label in GLOBAL_LISTS:
            continue
        rows = model_admin.get_queryset(_request(superuser)).count()
        if rows:
            checked.append(model._meta.label)
        assert model_admin.get_queryset(_request(nowhere)).count() == 0, model._meta.label
    assert len(checked) >= 20  # the world has rows for the lists that matter: the check is not vacuous


@pytest.mark.django_db
def test_scope_and_filters_fail_closed(world, nowhere):
    assert admin_scope(world.users["superuser"]) is None
    assert admin_scope(nowhere) not in (None, 0)
    request = _request(nowhere)
    enrollment_admin = admin.site._registry[world.enrollment.__class__]
    season_field = world.enrollment.__class__._meta.get_field("season")
    assert SeasonFilter.field_choices(None, season_field, request, enrollment_admin) == []
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, MunicipalityScopedAdmin):
            assert not model_admin.has_add_permission(request), type(model_admin).__name__


@pytest.mark.django_db
def test_admin_pages_show_nothing(client, world, nowhere):
    client.force_login(nowhere)
    changelist = client.get(reverse("admin:participants_enrollment_changelist"))
    assert changelist.status_code == 200 and TEACHER_NAME not in changelist.content.decode()
    change = client.get(reverse("admin:participants_enrollment_change", args=[world.enrollment.pk]))
    assert change.status_code == 302  # the admin's «no such object»
    query = "?app_label=experts&model_name=expertassignment&field_name=person&term="
    found = client.get(reverse("admin:autocomplete") + query)
    assert found.status_code == 200 and json.loads(found.content)["results"] == []
    users = client.get(reverse("admin:participants_user_changelist"))
    assert world.users["teacher"].email not in users.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("group", [MANAGEMENT, COORDINATORS], ids=["management", "coordinator"])
def test_dashboards_show_nothing(client, world, group):
    role = User.Role.MANAGEMENT if group == MANAGEMENT else User.Role.COORDINATOR
    user = UserFactory(is_staff=True, role=role, municipality=None)
    user.groups.add(role_groups_ensure()[group])
    client.force_login(user)
    assert client.get(reverse("kpi_dashboard")).status_code == 404
    assert client.post(reverse("kpi_download"), {"format": "xlsx"}).status_code == 404
    snapshot_period = client.get(reverse("admin:reports_kpisnapshot_period"))
    if snapshot_period.status_code == 200:
        assert list(snapshot_period.context["form"].fields["municipality"].queryset) == []
