"""The intermediate pages of bulk actions and the admin's own forms choose only rows of the coordinator's
municipality (docs/decisions/0001-municipality-boundary.md): a tutor, an expert, a group, a season or an activity of another municipality
posted by id is refused with a Russian message at the field, and nothing changes."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from core.models import BackgroundJob
from experts.models import ExpertRole, GroupMember
from ratings.models import ReviewAssignment
from reports.models import KpiSnapshot
from tests import permissions_world
from tests.admin import test_relation_scope
from tests.permissions_world import COORDINATOR

world = permissions_world.world
outside = test_relation_scope.outside  # the shared fixtures


def _expert(rows, role, subscription: bool):
    return next(
        e
        for e in rows["experts.ExpertAssignment"]
        if e.role == role and (e.season.program.kind == "subscription") == subscription
    )


def _action(model: str, action: str, selected, **data):
    return reverse(f"admin:{model}_changelist"), {
        "action": action,
        ACTION_CHECKBOX_NAME: [str(selected.pk)],
        "apply": "1",
        **{k: str(v) for k, v in data.items()},
    }


def _cases(world, outside):
    submission = world.submission
    member = GroupMember.objects.get(enrollment=world.enrollment)
    season, activity = outside["programs.Season"][1], outside["activities.Activity"][1]
    return [
        (
            "assign_tutor",
            *_action(
                "experts_individualrequest",
                "assign_tutor",
                world.new_request,
                tutor=_expert(outside, ExpertRole.TUTOR, True).pk,
            ),
            "tutor",
            lambda: (world.new_request.__class__.objects.get(pk=world.new_request.pk).tutor_id,),
        ),
        (
            "assign_expert",
            *_action(
                "activities_submission",
                "assign_expert",
                submission,
                expert=_expert(outside, ExpertRole.METHODIST, False).pk,
            ),
            "expert",
            lambda: tuple(ReviewAssignment.objects.filter(submission=submission).values_list("expert_id", flat=True)),
        ),
        (
            "reassign",
            *_action(
                "ratings_reviewassignment",
                "reassign",
                ReviewAssignment.objects.filter(submission=submission).first(),
                expert=_expert(outside, ExpertRole.METHODIST, False).pk,
            ),
            "expert",
            lambda: tuple(ReviewAssignment.objects.filter(submission=submission).values_list("expert_id", flat=True)),
        ),
        (
            "move_to_group",
            *_action("experts_groupmember", "move_to_group", member, group=outside["experts.ExpertGroup"][1].pk),
            "group",
            lambda: (GroupMember.objects.get(pk=member.pk).group_id,),
        ),
        (
            "certificate_issue_season",
            reverse("admin:activities_certificate_issue"),
            {"season": season.pk},
            "season",
            lambda: (BackgroundJob.objects.count(),),
        ),
        (
            "certificate_issue_activity",
            reverse("admin:activities_certificate_issue"),
            {"activity": activity.pk},
            "activity",
            lambda: (BackgroundJob.objects.count(),),
        ),
        (
            "groups_split",
            reverse("admin:experts_groups_split"),
            {"season": season.pk, "by": "size", "number": "5"},
            "season",
            lambda: (GroupMember.objects.count(),),
        ),
        (
            "kpi_period_snapshot",
            reverse("admin:reports_kpisnapshot_period"),
            {"municipality": outside["programs.Municipality"][0].pk, "year": "2025", "half": "1"},
            "municipality",
            lambda: (KpiSnapshot.objects.count(),),
        ),
    ]


@pytest.mark.django_db
def test_bulk_action_targets_and_admin_forms_refuse_another_municipality(world, outside, capsys):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[COORDINATOR])
    problems, probes, server_errors, accepted = [], 0, 0, 0
    for name, address, data, field, state in _cases(world, outside):
        probes += 1
        before = state()
        response = client.post(address, data)
        if response.status_code >= 500:
            server_errors += 1
            problems.append(f"{name}: {response.status_code}")
            continue
        form = (response.context or {}).get("form") if response.status_code == 200 else None
        errors = list(form.errors.get(field, [])) if form is not None else []
        if state() != before or not errors:
            accepted += 1
            problems.append(f"{name}: accepted ({response.status_code})")
        elif not re.search(r"[А-Яа-яЁё]", " ".join(errors)):
            problems.append(f"{name}: not in Russian: {errors}")
    with capsys.disabled():
        print(
            f"\nbulk-action and admin-form targets: {probes} probed, accepted: {accepted}, server errors: {server_errors}"
        )
    assert problems == []
