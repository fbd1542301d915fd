"""Сид 001, «Школа – Школе»: «объединение школ в сетевые пары (школа лидер-школа ШНОР)», мероприятия 2–5 плана
пары с посещаемостью педагогов обеих школ, мероприятие 6 «Анализ реализации Проекта, оценка результативности,
итоги» и ожидаемый результат «положительная динамика результатов оценочных процедур (ВПР, ОГЭ, ЕГЭ) обучающихся
школ, демонстрирующих низкие результаты обучения» — через настоящие сервисы, с явными датами."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from activities.models import Attendance
from projects.imports_school_pairs import TEMPLATE_COLUMNS, assessment_results_import
from projects.selectors_school_pairs import yearly_report
from projects.services_school_pairs import plan_item_add, plan_item_hold, school_pair_create
from tests.projects.school_pairs_world import build_world, teachers

pytestmark = pytest.mark.django_db


def _file(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append([c.header for c in TEMPLATE_COLUMNS])
    for row in rows:
        workbook.active.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return SimpleUploadedFile("vpr.xlsx", buf.getvalue())


def test_a_pair_holds_its_plan_and_the_year_shows_positive_dynamics_of_the_shnor_school():
    w = build_world()
    pair = school_pair_create(
        season=w["season"], leader=w["leader"], partner=w["weak"], starts_on=date(2025, 9, 1), leader_role="mentor"
    )
    leader_teachers, weak_teachers = teachers(w["season"], w["leader"], 2), teachers(w["season"], w["weak"], 4)
    # Мероприятие 4 (январь – март): «Мастер-класс «Подготовка к написанию изложения и сочинения ОГЭ, ЕГЭ»».
    held = plan_item_add(
        pair=pair,
        kind="master_class",
        title="Подготовка к написанию изложения и сочинения ОГЭ, ЕГЭ",
        planned_on=date(2026, 2, 12),
    )
    # Мероприятие 5 (апрель – май): «Круглый стол по подготовке учащихся к ВПР» — ещё не проведён.
    plan_item_add(
        pair=pair, kind="round_table", title="Круглый стол по подготовке учащихся к ВПР", planned_on=date(2026, 4, 16)
    )
    session = plan_item_hold(
        item=held, starts_at=datetime(2026, 2, 12, 12, tzinfo=UTC), ends_at=datetime(2026, 2, 12, 14, tzinfo=UTC)
    )
    for enrollment in weak_teachers[:3] + leader_teachers[:1]:
        Attendance.objects.create(session=session, enrollment=enrollment, status=Attendance.Status.PRESENT)

    # «Организация мониторинга динамики образовательных результатов учащихся»: ВПР 2025 и 2026 из файла.
    report = assessment_results_import(
        file=_file(
            [
                ["ГБОУ школа № 500", "2025", "ВПР", "Математика", "5", "48", "3,1", "21,0"],
                ["ГБОУ школа № 500", "2026", "ВПР", "Математика", "5", "51", "3,4", "13,7"],
                ["ГБОУ школа № 358", "2026", "ВПР", "Математика", "5", "75", "4,1", "2,5"],
            ]
        ),
        municipality=w["home"],
    )
    assert report.ok and report.created == 3

    year = yearly_report(municipality=w["home"], year=2026)
    [summary] = year.pairs
    assert (summary.planned, summary.held) == (2, 1)
    row = summary.plan[0]
    assert (row.partner.attended, row.partner.invited, row.leader.attended, row.leader.invited) == (3, 4, 1, 2)
    shnor = next(s for s in year.dynamics if s.organisation_id == w["weak"].pk)
    [math] = shnor.rows
    assert math.change(shnor.years) == (Decimal("0.30"), Decimal("-7.30"))
    assert math.improved is True  # «положительная динамика»: доля «2» снизилась
