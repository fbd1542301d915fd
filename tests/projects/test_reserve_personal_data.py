"""The reserve's part of a person's data (152-FZ): the export holds every reserve record of the person but never
a diagnostic's findings; the erasure clears the free text and keeps the rows for the yearly report's counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants import personal_data
from projects.models.reserve import ReserveDiagnostic, ReserveMember, TrajectoryItem
from projects.services_reserve import (
    reserve_analysis_record,
    reserve_diagnostic_record,
    reserve_member_set_status,
    trajectory_item_add,
    trajectory_item_report,
    young_director_record,
)
from tests.projects.reserve_world import member_in, reserve_world

pytestmark = pytest.mark.django_db

SECTIONS = (
    "reserve_membership",
    "reserve_status_history",
    "reserve_trajectory",
    "reserve_analyses",
    "reserve_diagnostics",
    "reserve_young_director",
)
SECRET = "Дефицит-маркер"


def fill(w, n: int) -> ReserveMember:
    member = member_in(w, status="candidate")
    member = reserve_member_set_status(
        member=member, to_status="excluded", on=date(2025, 4, 1), reason="Основание-маркер"
    )
    member = reserve_member_set_status(member=member, to_status="candidate", on=date(2025, 4, 2))
    for i in range(n):
        item = trajectory_item_add(member=member, kind="project", title=f"Проект {i}", due_on=date(2026, 5, 1))
        trajectory_item_report(item=item, person=member.person, report=f"Отчёт-маркер {i}")
        reserve_analysis_record(
            member=member, year=2020 + i, analysis="Анализ-маркер", consulted_on=date(2020 + i, 11, 5)
        )
        reserve_diagnostic_record(
            member=member,
            psychologist=w.psychologist,
            year=2020 + i,
            held_on=date(2020 + i, 10, 5),
            strengths="Сильное-маркер",
            deficits=SECRET,
        )
        young_director_record(member=member, year=2020 + i, state="completed", note="Примечание-маркер")
    return member


def collect(person) -> dict:
    return {s.key: s.rows for s in personal_data.personal_data_collect(person) if s.key in SECTIONS}


def test_the_export_holds_the_reserve_but_not_the_diagnostics_findings():
    member = fill(reserve_world(), 2)
    sections = collect(member.person)
    assert [len(sections[key]) for key in SECTIONS] == [1, 3, 2, 2, 2, 2]
    text = repr(sections)
    assert "Отчёт-маркер 1" in text and "Анализ-маркер" in text and "Основание-маркер" in text
    assert SECRET not in text and "Сильное-маркер" not in text
    assert "конфиденциальны" in str(sections["reserve_diagnostics"][0])


def test_the_exporters_run_the_same_queries_for_one_and_three_rows():
    w = reserve_world()
    one, three = fill(w, 1), fill(w, 3)
    exporters = [e for e in personal_data.registered_exporters() if e.key in SECTIONS]
    assert len(exporters) == len(SECTIONS)

    def counts(person):
        result = []
        for exporter in exporters:
            with CaptureQueriesContext(connection) as ctx:
                exporter.fn(person)
            result.append(len(ctx.captured_queries))
        return result

    assert counts(one.person) == counts(three.person)
    assert max(counts(three.person)) == 1


def test_the_erasure_clears_the_texts_and_keeps_the_rows():
    member = fill(reserve_world(), 2)
    done = personal_data.run_erasers(member.person)
    assert any("Кадровый резерв" in line for line in done)
    text = repr(collect(member.person))
    for marker in ("Отчёт-маркер", "Анализ-маркер", "Основание-маркер", "Примечание-маркер"):
        assert marker not in text, marker
    assert not ReserveDiagnostic.objects.filter(deficits=SECRET).exists()
    assert TrajectoryItem.objects.filter(member=member).count() == 2
    assert ReserveDiagnostic.objects.filter(member=member).count() == 2
