"""Outsiders' writes through the admin, for every registered model (docs/decisions/0001).

A coordinator of municipality B, every signed-in role that is not staff, and an anonymous visitor post against
the rows of municipality A: the add form filled with an A row's values (A's ids in its relation fields), the
change form and the delete confirmation of the A row, and every bulk action of the model's admin (delete_selected
included) with the A row's id in `_selected_action`. Nothing in the database changes (every table is compared
before and after, inside the case's savepoint); the answer is what a missing id gives, a form error, a 403 or the
admin's sign-in page — never a 500, never a success.

Each add probe is first made by A's own coordinator: beside the row it copies (a uniqueness rule answers with a
form error, not a 500), then with that row removed, when it must go through, or the probe would prove nothing. The registry is walked, not listed: a model
registered later without a row of A in tests/admin_write_probes.py fails `test_every_registered_model_is_probed`.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.test import RequestFactory
from django.urls import reverse

from participants.roles import COORDINATORS, role_groups_ensure
from tests import admin_write_probes, permissions_world
from tests.admin_write_probes import (
    A_ROWS,
    SHARED,
    action_data,
    admin_of,
    base_actions,
    changed_tables,
    fingerprint,
    form_data,
    registered,
    savepoint,
    url_name,
)
from tests.factories import UserFactory
from tests.permissions_world import (
    ALIASES,
    COORDINATOR,
    COORDINATOR_OTHER,
    ROLES,
    STAFF,
    TEACHER_NAME,
    World,
)

world = permissions_world.world  # the shared fixture
rows_of_a = admin_write_probes.rows_of_a  # and a row of A for every registered model

NON_STAFF = [role for role in ROLES if ALIASES.get(role, role) not in STAFF]
PROBED = sorted(A_ROWS)


def _probes(label: str) -> list[str]:
    return ["add", "change", "delete", *(f"action:{name}" for name in base_actions(label))]


def _params():
    for label in PROBED:
        for probe in _probes(label):
            yield pytest.param(label, probe, id=f"{label}-{probe}")


def test_every_registered_model_is_probed():
    labels = {label for label, _model_admin in registered()}
    missing = sorted(labels - set(A_ROWS) - set(SHARED))
    assert not missing, f"registered admin models without a row of A in tests/admin_write_probes.py: {missing}"
    assert not (set(A_ROWS) | set(SHARED)) - labels, "A_ROWS / SHARED name a model the admin no longer has"


@pytest.mark.django_db
def test_the_probed_actions_are_every_action_offered(rows_of_a: World):
    request = RequestFactory().post("/")
    for user in (rows_of_a.users["superuser"], rows_of_a.users[COORDINATOR]):
        request.user = user
        for label in PROBED:
            offered = set(admin_of(label).get_actions(request))
            assert offered <= set(base_actions(label)), f"{label}: {offered - set(base_actions(label))}"


def _delete_source(obj, depth: int = 0) -> None:
    """Removes the A row so that the add form's copy of it meets no uniqueness rule (undone with the savepoint);
    rows that protect it go first."""
    try:
        with transaction.atomic():
            type(obj)._default_manager.filter(pk=obj.pk).delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        assert depth < 5, f"cannot remove {obj!r}: {exc}"
        for blocker in list(blockers):
            _delete_source(blocker, depth + 1)
        _delete_source(obj, depth + 1)


def _probe_request(w: World, label: str, probe: str, obj, user):
    """(address, data) of a probe against the A row."""
    if probe == "add":
        return reverse(url_name(label, "add")), form_data(label, obj, user)[0]
    if probe == "change":
        return reverse(url_name(label, "change"), args=[obj.pk]), form_data(label, obj, user)[0]
    if probe == "delete":
        return reverse(url_name(label, "delete"), args=[obj.pk]), {"post": "yes"}
    action = probe.removeprefix("action:")
    return reverse(url_name(label, "changelist")), action_data(w, action, [obj.pk])


def _add_control(client, w: World, label: str, obj) -> bool:
    """A's coordinator posts the same add form: it must create the row (True), or be refused outright (False)."""
    coordinator = w.users[COORDINATOR]
    data, _has_relation = form_data(label, obj, coordinator)
    model = type(obj)
    permissions_world.sign_in(client, w, COORDINATOR)
    with savepoint():  # a copy beside the row it copies: a uniqueness rule answers with a form error, not a 500
        duplicate = client.post(reverse(url_name(label, "add")), data)
        assert duplicate.status_code in (200, 302, 403), f"{label}: a copy of A's row: {duplicate.status_code}"
    with savepoint():
        _delete_source(obj)
        count = model._default_manager.count()
        response = client.post(reverse(url_name(label, "add")), data)
        if response.status_code == 403:
            return False
        errors = response.context_data.get("errors") if response.status_code == 200 else None
        assert response.status_code == 302, f"{label}: A's own add form fails ({response.status_code}): {errors}"
        assert model._default_manager.count() == count + 1, f"{label}: A's own add form added nothing"
    return True


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "probe"), list(_params()))
def test_outside_coordinator_writes_nothing(client, rows_of_a: World, label: str, probe: str):
    w = rows_of_a
    obj = A_ROWS[label](w)
    outsider = w.users[COORDINATOR_OTHER]
    if probe == "add":
        if not form_data(label, obj, w.users[COORDINATOR])[1]:
            return  # a form without relation fields posts no ids of A: nothing of A to write into
        opened = _add_control(client, w, label, obj)
    address, data = _probe_request(w, label, probe, obj, outsider)
    permissions_world.sign_in(client, w, COORDINATOR_OTHER)
    with savepoint():
        if probe == "add":
            _delete_source(obj)
        before = fingerprint()
        response = client.post(address, data)
        changed = changed_tables(before)
    where = f"{label} {probe} as {COORDINATOR_OTHER}"
    assert not changed, f"{where}: wrote {changed} ({response.status_code})"
    status = response.status_code
    assert status != 500, where
    if probe == "add":
        if not opened:
            assert status == 403, f"{where}: {status}"
        else:
            assert status in (200, 403), f"{where}: {status} — an add form with A's ids went through"
            if status == 200:
                assert response.context_data["errors"], f"{where}: 200 without a form error"
    elif probe in ("change", "delete"):
        missing = client.post(reverse(url_name(label, probe), args=[999_999_999]), data)
        assert (status, response.get("Location")) == (missing.status_code, missing.get("Location")), where
        assert status in (302, 403), f"{where}: {status}"
    else:
        assert status in (200, 302, 403), f"{where}: {status}"
        if status == 302:
            assert response["Location"].startswith(reverse(url_name(label, "changelist"))), where
        if status == 200:
            body = response.content.decode()
            assert TEACHER_NAME not in body and str(obj) not in body, f"{where}: the confirmation shows A's row"


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_STAFF)
def test_non_staff_write_nothing(client, rows_of_a: World, role: str):
    """Every probe of every model, as a signed-in non-staff role or anonymously: the admin's sign-in page."""
    w = rows_of_a
    if role != "anonymous":
        permissions_world.sign_in(client, w, role)
    login = reverse("admin:login")
    tried = 0
    before = fingerprint()
    for label in PROBED:
        obj = A_ROWS[label](w)
        for probe in _probes(label):
            address, data = _probe_request(w, label, probe, obj, w.users[COORDINATOR])
            response = client.post(address, data)
            assert response.status_code == 302, f"{label} {probe} as {role}: {response.status_code}"
            assert response["Location"].startswith(login), f"{label} {probe} as {role}: {response['Location']}"
            tried += 1
    assert not changed_tables(before), f"{role} wrote {changed_tables(before)}"
    assert tried == sum(len(_probes(label)) for label in PROBED)


# A staff account with no municipality that is not a superuser: the scope fails closed.


# The job log is the whole portal's (no municipality's rows in it): every coordinator reads the same list.
PORTAL_WIDE = {"core.JobRun"}


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(set(PROBED) - PORTAL_WIDE))
def test_staff_without_municipality_sees_nothing(client, rows_of_a: World, label: str):
    w = rows_of_a
    user = UserFactory(is_staff=True, municipality=None)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    client.force_login(user)
    response = client.get(reverse(url_name(label, "changelist")))
    assert response.status_code in (200, 403), f"{label}: {response.status_code}"
    if response.status_code == 200:
        changelist = response.context_data["cl"]
        assert changelist.result_count == 0, f"{label}: a staff account without a municipality sees rows"
    assert admin.site.is_registered(type(A_ROWS[label](w)))
