"""The personnel reserve's pages («Школа Лидеров образования», сид 001) × every kind of visitor.

Reserve records are personal data: the coordinators of the member's municipality and the member read them;
another municipality's coordinator keeps their own (empty) reserve and gets 404 on this one; directors, management,
experts, other teachers and the superuser get 404; an anonymous visitor is sent to the login page. The world's
psychologist works in a season of another program, so they are not the leaders' school's psychologist and the
diagnostics stay closed to them (tests/projects/test_reserve_views.py covers the leaders' school's psychologist).
The reserve rows are made on first use inside each case's savepoint.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from projects.models.reserve import (
    ReserveAnalysis,
    ReserveDiagnostic,
    ReserveMember,
    ReserveReview,
    ReserveStatus,
    TrajectoryItem,
    YoungDirectorParticipation,
)
from projects.services_reserve import reserve_member_add, trajectory_item_add
from tests import permissions_world
from tests.factories import PersonFactory
from tests.permissions_world import COORDINATOR, COORDINATOR_OTHER, TEACHER_NAME, Case, World, ok, params, run_case, url

world = permissions_world.world  # the shared fixture

ITEM_TITLE = "Пункт-маркер траектории"
COORDINATORS = {COORDINATOR, COORDINATOR_OTHER}


def _member(w: World) -> ReserveMember:
    person = w.enrollment.person
    member = ReserveMember.objects.filter(person=person).first()
    if member is None:
        member = reserve_member_add(
            municipality=w.season_a.program.municipality,
            person=person,
            source="contest",
            listed_on=date(2025, 3, 1),
            status=ReserveStatus.IN_RESERVE,
            decision="Распоряжение-маркер",
        )
        trajectory_item_add(member=member, kind="mentoring", title=ITEM_TITLE, due_on=date(2026, 5, 1))
    return member


def _member_pk(w: World) -> int:
    return _member(w).pk


def _item_pk(w: World) -> int:
    return TrajectoryItem.objects.get(member=_member(w), title=ITEM_TITLE).pk


def _new_person(w: World) -> dict:
    person = PersonFactory(organisation=w.enrollment.person.organisation, user=None)
    return {
        "person": person.pk,
        "status": "candidate",
        "source": "recommendation",
        "listed_on": "2025-10-01",
        "position": "Должность-маркер",
    }


def _listed(w: World) -> bool:
    return ReserveMember.objects.filter(position="Должность-маркер").exists()


def _review_data(w: World) -> dict:
    return {"held_on": "2026-01-15", "decision": "Обновление-маркер", f"outcome_{_member_pk(w)}": "kept"}


def _reviewed(w: World) -> bool:
    return ReserveReview.objects.filter(decision="Обновление-маркер").exists()


def _appointed(w: World) -> bool:
    return ReserveMember.objects.filter(status=ReserveStatus.APPOINTED).exists()


def _item_added(w: World) -> bool:
    return TrajectoryItem.objects.filter(title="Новый пункт-маркер").exists()


def _analysed(w: World) -> bool:
    return ReserveAnalysis.objects.exists()


def _diagnosed(w: World) -> bool:
    return ReserveDiagnostic.objects.exists()


def _young_director(w: World) -> bool:
    return YoungDirectorParticipation.objects.exists()


def _item_done(w: World) -> bool:
    return TrajectoryItem.objects.filter(title=ITEM_TITLE, state=TrajectoryItem.State.DONE).exists()


def _reported(w: World) -> bool:
    return TrajectoryItem.objects.filter(report="Отчёт-маркер").exists()


MEMBER_READERS = frozenset({COORDINATOR})

CASES = [
    Case(
        "reserve_list",
        lambda w: (_member(w), url("reserve_list")(w))[1],
        "get",
        ok(COORDINATORS),
        secrets=((TEACHER_NAME, MEMBER_READERS),),
        shows=((TEACHER_NAME, MEMBER_READERS),),
    ),
    Case("reserve_member_new", url("reserve_member_new"), "get", ok(COORDINATORS)),
    Case(
        "reserve_member_new_post",
        url("reserve_member_new"),
        "post",
        {COORDINATOR: 302, COORDINATOR_OTHER: 200},  # another municipality's person is not offered: a form error
        data=_new_person,
        effect=_listed,
        effect_roles=frozenset({COORDINATOR}),
    ),
    Case(
        "reserve_review",
        lambda w: (_member(w), url("reserve_review")(w))[1],
        "get",
        ok(COORDINATORS),
        secrets=((TEACHER_NAME, MEMBER_READERS),),
        shows=((TEACHER_NAME, MEMBER_READERS),),
    ),
    Case(
        "reserve_review_post",
        url("reserve_review"),
        "post",
        {COORDINATOR: 302, COORDINATOR_OTHER: 200},  # their own reserve has nobody to decide on: a form error
        data=_review_data,
        effect=_reviewed,
        effect_roles=frozenset({COORDINATOR}),
    ),
    Case("reserve_report", url("reserve_report"), "get", ok(COORDINATORS)),
    Case(
        "reserve_member",
        url("reserve_member", _member_pk),
        "get",
        ok(MEMBER_READERS),
        shows=((ITEM_TITLE, MEMBER_READERS),),
    ),
    Case(
        "reserve_member_status",
        url("reserve_member_status", _member_pk),
        "post",
        ok(MEMBER_READERS, 302),
        data=lambda w: {
            "to_status": "appointed",
            "on": timezone.localdate().isoformat(),
            "decision": "Приказ-маркер о назначении",
        },
        effect=_appointed,
    ),
    Case(
        "reserve_item_new",
        url("reserve_item_new", _member_pk),
        "post",
        ok(MEMBER_READERS, 302),
        data=lambda w: {"kind": "coaching", "title": "Новый пункт-маркер", "due_on": "2026-06-01", "state": "planned"},
        effect=_item_added,
    ),
    Case(
        "reserve_analysis_new",
        url("reserve_analysis_new", _member_pk),
        "post",
        ok(MEMBER_READERS, 302),
        data=lambda w: {"year": "2025", "consulted_on": "2025-11-20", "analysis": "Анализ-маркер"},
        effect=_analysed,
    ),
    Case(
        "reserve_diagnostic_new",
        url("reserve_diagnostic_new", _member_pk),
        "post",
        {},
        data=lambda w: {"year": "2025", "held_on": "2025-10-20", "strengths": "С", "deficits": "Д"},
        effect=_diagnosed,
    ),
    Case(
        "reserve_young_director",
        url("reserve_young_director", _member_pk),
        "post",
        ok(MEMBER_READERS, 302),
        data=lambda w: {"year": "2025", "state": "studying"},
        effect=_young_director,
    ),
    Case("reserve_item_edit", url("reserve_item_edit", _item_pk), "get", ok(MEMBER_READERS)),
    Case(
        "reserve_item_edit_post",
        url("reserve_item_edit", _item_pk),
        "post",
        ok(MEMBER_READERS, 302),
        data=lambda w: {"kind": "mentoring", "title": ITEM_TITLE, "due_on": "2026-05-01", "state": "done"},
        effect=_item_done,
    ),
    Case(
        "my_trajectory",
        lambda w: (_member(w), url("my_trajectory")(w))[1],
        "get",
        ok({"teacher"}),
        shows=((ITEM_TITLE, frozenset({"teacher"})),),
    ),
    Case("my_trajectory_report", url("my_trajectory_report", _item_pk), "get", ok({"teacher"})),
    Case(
        "my_trajectory_report_post",
        url("my_trajectory_report", _item_pk),
        "post",
        ok({"teacher"}, 302),
        data=lambda w: {"report": "Отчёт-маркер"},
        effect=_reported,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), list(params(CASES)))
def test_permission(client, world, case: Case, role: str):
    run_case(client, world, case, role)
