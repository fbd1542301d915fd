"""The yearly report of «Школа – Школе» as XLSX (сид 001, мероприятие 6: «Анализ реализации Проекта, оценка
результативности, итоги — июнь – сентябрь»: «Обработка всех данных, сравнение результатов…», «Отчет по
реализации Проекта»): the pairs, their plan items held, the turnout of both schools, the dynamics of results."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import sheet_title, spreadsheet_value

from .selectors_school_pairs import YearlyReport


def _sheet(workbook, used: set[str], title: str, header: list[str], rows: list[list]):
    sheet = workbook.create_sheet(sheet_title(title, used))
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [spreadsheet_value(v) for v in row]
        sheet.append(values)
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):
            if isinstance(value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", (34, 34, 18, 40, 14, 14, 14, 14, 14, 14), strict=False):
        sheet.column_dimensions[column].width = width
    return sheet


def yearly_report_xlsx(report: YearlyReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    _sheet(
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
    )
    _sheet(
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
    _sheet(
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
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
