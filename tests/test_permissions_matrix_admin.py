"""The admin's pages of the key records × every kind of visitor.

Every record of the world belongs to municipality A. Its change and history pages open for A's coordinators and
the superuser; a coordinator of another municipality gets exactly what a missing id gives (the admin's "no such
object" redirect, with nothing of the record in it); anyone who is not staff, and an anonymous visitor, is sent
to the admin's sign-in page. A psychologist's confidential consultation keeps its topic and content from
everyone but its author, who never reads it in the admin: its change page hides them, its history is 404.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests import permissions_world
from tests.permissions_world import (
    ALIASES,
    CERTIFICATE_NUMBER,
    COORDINATOR,
    EXCLUSION_REASON,
    OPEN_TOPIC,
    REVIEW_STRENGTHS,
    ROLES,
    SECRET_CONTENT,
    SECRET_TOPIC,
    SESSION_TITLE,
    STAFF,
    TEACHER_NAME,
    World,
)

world = permissions_world.world  # the shared fixture

ADMIN_READERS = {COORDINATOR, "superuser"}
SECRET = (SECRET_TOPIC, SECRET_CONTENT)


@dataclass(frozen=True)
class AdminCase:
    name: str
    model: str  # "app_model", as in the admin's URL names
    obj: Callable[[World], object]
    shows: tuple[str, ...] = ()  # what A's coordinator reads on the change page
    hidden: tuple[str, ...] = ()  # what nobody reads on either page
    history_404: bool = False  # the history itself is closed to everyone but the author


CASES = [
    # The teacher's account: another municipality's coordinator neither finds it nor sets its password.
    AdminCase("user", "participants_user", lambda w: w.users["teacher"]),
    AdminCase("person", "participants_person", lambda w: w.enrollment.person, shows=(TEACHER_NAME,)),
    AdminCase("enrollment", "participants_enrollment", lambda w: w.enrollment, shows=(TEACHER_NAME,)),
    AdminCase("certificate", "activities_certificate", lambda w: w.other["certificate"], shows=(CERTIFICATE_NUMBER,)),
    AdminCase(
        "exclusion_case", "activities_exclusioncase", lambda w: w.other["exclusion_case"], shows=(EXCLUSION_REASON,)
    ),
    AdminCase("review", "ratings_review", lambda w: w.other["review"], shows=(REVIEW_STRENGTHS,)),
    AdminCase("attendance", "activities_attendance", lambda w: w.other["attendance"], shows=(TEACHER_NAME,)),
    AdminCase("session", "activities_session", lambda w: w.session, shows=(SESSION_TITLE,)),
    AdminCase("consultation_open", "experts_consultation", lambda w: w.open_consultation, shows=(OPEN_TOPIC,)),
    AdminCase(
        "consultation_confidential",
        "experts_consultation",
        lambda w: w.secret_consultation,
        hidden=SECRET,
        history_404=True,
    ),
]


def _params():
    for case in CASES:
        for view in ("change", "history"):
            for role in ROLES:
                yield pytest.param(case, view, role, id=f"{case.name}-{view}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "view", "role"), list(_params()))
def test_admin_page(client, world, case: AdminCase, view: str, role: str):
    name = f"admin:{case.model}_{view}"
    address = reverse(name, args=[case.obj(world).pk])
    as_role = ALIASES.get(role, role)
    if role != "anonymous":
        permissions_world.sign_in(client, world, role)
    response = client.get(address)

    if as_role in ADMIN_READERS:
        expected = 404 if view == "history" and case.history_404 else 200
        assert response.status_code == expected, f"{role} on {address}: {response.status_code}"
        body = response.content.decode()
        if view == "change" and expected == 200:
            for text in case.shows:
                assert text in body, f"{role} should read «{text}» on {address}"
        for text in case.hidden:
            assert text not in body, f"{role} reads «{text}» on {address}"
    elif as_role in STAFF:  # staff of another municipality: the same answer as for an id that does not exist
        missing = client.get(reverse(name, args=[999_999]))
        assert (response.status_code, response.get("Location")) == (missing.status_code, missing.get("Location"))
        assert response.status_code in (302, 404), f"{role} on {address}: {response.status_code}"
    else:
        assert response.status_code == 302, f"{role} on {address}: {response.status_code}"
        assert response.url.startswith(reverse("admin:login"))
    if as_role not in ADMIN_READERS and response.status_code != 302:
        body = response.content.decode()
        for text in (*case.shows, *case.hidden):
            assert text not in body, f"{role} reads «{text}» on {address}"


# --- The admin's own pages bound to a season or an activity of municipality A -------------------------------------


@dataclass(frozen=True)
class AdminView:
    name: str
    url: Callable[[World], str]
    other_staff: int  # what a coordinator of another municipality gets
    shows: tuple[str, ...] = ()  # what A's coordinator reads there, and nobody else


def _group_enrollments(w: World) -> str:
    query = f"?app_label=experts&model_name=groupmember&field_name=enrollment&term={TEACHER_NAME}"
    return reverse("admin:experts_group_enrollments", args=[w.season_a.pk]) + query


VIEWS = [
    AdminView("feedback_summary", lambda w: reverse("admin:participants_feedback_summary", args=[w.season_a.pk]), 404),
    AdminView("visit_coverage", lambda w: reverse("admin:experts_visit_coverage", args=[w.season_a.pk]), 404),
    AdminView("season_obligations", lambda w: reverse("admin:experts_season_obligations", args=[w.season_a.pk]), 404),
    AdminView(
        "certificate_zip",
        lambda w: reverse("admin:activities_certificate_zip", args=[w.other["certificate"].activity_id]),
        404,
    ),
    # The member search of a group's form: another municipality's coordinator finds nobody of season A.
    AdminView("group_enrollments", _group_enrollments, 200, shows=(TEACHER_NAME,)),
]


def _text(response) -> str:
    """The page, or a JSON answer with its letters unescaped (the autocomplete's names are \\u-escaped)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _view_params():
    for view in VIEWS:
        for role in ROLES:
            yield pytest.param(view, role, id=f"{view.name}-{role}")


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "role"), list(_view_params()))
def test_admin_view(client, world, view: AdminView, role: str):
    address = view.url(world)
    as_role = ALIASES.get(role, role)
    if role != "anonymous":
        permissions_world.sign_in(client, world, role)
    response = client.get(address)

    if as_role in ADMIN_READERS:
        assert response.status_code == 200, f"{role} on {address}: {response.status_code}"
        body = _text(response)
        for text in view.shows:
            assert text in body, f"{role} should read «{text}» on {address}"
    elif as_role in STAFF:
        assert response.status_code == view.other_staff, f"{role} on {address}: {response.status_code}"
        body = _text(response)
        for text in view.shows:
            assert text not in body, f"{role} reads «{text}» on {address}"
    else:
        assert response.status_code == 302, f"{role} on {address}: {response.status_code}"
        assert response.url.startswith(reverse("admin:login"))
