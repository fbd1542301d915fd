"""The personnel reserve's pages are valid HTML by the Nu HTML checker (see test_nu_checker.py): the list, the
member page with its five forms (their ids must not clash), the update form, the member's own pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from projects.services_reserve import reserve_diagnostic_record, trajectory_item_add, trajectory_item_report
from tests.html.test_nu_checker import _report, vnu
from tests.projects.reserve_world import member_in, reserve_world

pytestmark = pytest.mark.django_db


def test_reserve_pages_are_valid_html(client, tmp_path):
    w = reserve_world()
    member = member_in(w, last_name="Лидерова")
    item = trajectory_item_add(member=member, kind="internship", title="Стажировка", due_on=date(2025, 1, 10))
    trajectory_item_report(item=item, person=member.person, report="Отчёт")
    reserve_diagnostic_record(
        member=member, psychologist=w.psychologist, year=2025, held_on=date(2025, 10, 1), strengths="С", deficits="Д"
    )
    pages = {
        "list": (w.coordinator, reverse("reserve_list")),
        "new": (w.coordinator, reverse("reserve_member_new")),
        "member": (w.coordinator, reverse("reserve_member", args=[member.pk])),
        "member-psychologist": (w.psychologist.person.user, reverse("reserve_member", args=[member.pk])),
        "item": (w.coordinator, reverse("reserve_item_edit", args=[item.pk])),
        "review": (w.coordinator, reverse("reserve_review")),
        "my": (member.person.user, reverse("my_trajectory")),
        "report": (member.person.user, reverse("my_trajectory_report", args=[item.pk])),
    }
    paths = []
    for name, (user, url) in pages.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_text(response.content.decode(), encoding="utf-8")
        paths.append(path)
    errors = [m for m in vnu(paths) if m.get("type") == "error"]
    assert not errors, _report(errors)
