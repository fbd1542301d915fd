"""The yearly report of «Школа – Школе» as XLSX (сид 001, мероприятие 6: «Анализ реализации Проекта, оценка
результативности, итоги — июнь – сентябрь»: «Обработка всех данных, сравнение результатов…», «Отчет по
реализации Проекта»): the pairs, their plan items held, the turnout of both schools, the dynamics of results."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import table_sheet

from .selectors_school_pairs import YearlyReport

WIDTHS = (34, 34, 18, 40, 14, 14, 14, 14, 14, 14)


def yearly_report_xlsx(report: YearlyReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    table_sheet(
        workbook,
        used,
        _("Пары"),
        [_("Школа-лидер"), _("Школа ШНОР"), _("Роль"), _("Период"), _("Мероприятий в плане"), _("Проведено")],
        [
            [
                p.pair.leader.short_name,
                p.pair.partner.short_name,
                p.pair.get_leader_role_display(),
                p.period,
                p.planned,
                p.held,
            ]
            for p in report.pairs
        ],
        widths=WIDTHS,
    )
    table_sheet(
        workbook,
        used,
        _("Мероприятия плана"),
        [
            _("Пара"),
            _("Форма"),
            _("Дата"),
            _("Тема"),
            _("Проведено"),
            _("Приглашено: лидер"),
            _("Пришли: лидер"),
            _("Приглашено: ШНОР"),
            _("Пришли: ШНОР"),
        ],
        [
            [
                str(p.pair),
                row.item.get_kind_display(),
                row.item.planned_on,
                row.item.title,
                row.item.is_held,
                row.leader.invited,
                row.leader.attended,
                row.partner.invited,
                row.partner.attended,
            ]
            for p in report.pairs
            for row in p.plan
        ],
        widths=WIDTHS,
    )
    dynamics_rows = []
    for school in report.dynamics:
        for row in school.rows:
            before = row.values.get(report.year - 1)
            now = row.values.get(report.year)
            dynamics_rows.append(
                [
                    school.name,
                    row.assessment_label,
                    row.grade,
                    row.subject,
                    before.average if before else None,
                    now.average if now else None,
                    before.low_share if before else None,
                    now.low_share if now else None,
                    (now.low_share - before.low_share) if before and now else None,
                ]
            )
    table_sheet(
        workbook,
        used,
        _("Динамика результатов"),
        [
            _("Школа"),
            _("Процедура"),
            _("Класс"),
            _("Предмет"),
            _("Средний балл, %(year)d") % {"year": report.year - 1},
            _("Средний балл, %(year)d") % {"year": report.year},
            _("Доля низких, %%, %(year)d") % {"year": report.year - 1},
            _("Доля низких, %%, %(year)d") % {"year": report.year},
            _("Изменение доли низких, п. п."),
        ],
        dynamics_rows,
        widths=WIDTHS,
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
