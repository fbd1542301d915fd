"""The reserve's yearly report as a workbook (сид 001: «Кадровый резерв включает 35 человек, 7 из них приняли
участие в конкурсе «Управленцы будущего»»): counts by status and by source, the year's work, and the members."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _

from core.spreadsheets import spreadsheet_value

from .models.reserve import ReserveSource, ReserveStatus, YoungDirectorParticipation
from .selectors_reserve import YearReport


def _row(sheet, values, *, bold=False) -> None:
    from openpyxl.styles import Font

    sheet.append([spreadsheet_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)


def year_report_xlsx(report: YearReport) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Итоги")
    _row(
        summary,
        [_("Кадровый резерв: %(m)s, %(y)d год") % {"m": report.municipality.name, "y": report.year}],
        bold=True,
    )
    _row(
        summary,
        [
            _("Кадровый резерв включает %(n)d человек, %(c)d из них пришли через конкурс «Управленцы будущего».")
            % {"n": report.in_reserve, "c": report.contest_in_reserve}
        ],
    )
    summary.append([])
    _row(summary, [_("Статус"), _("Человек")], bold=True)
    for status in ReserveStatus:
        _row(summary, [str(status.label), report.by_status[status.value]])
    summary.append([])
    _row(summary, [_("Источник"), _("Человек")], bold=True)
    for source in ReserveSource:
        _row(summary, [str(source.label), report.by_source[source.value]])
    summary.append([])
    _row(summary, [_("Работа за год"), _("Человек")], bold=True)
    _row(summary, [_("Анализ отчётов и консультация (ноябрь – декабрь)"), report.analyses])
    _row(summary, [_("Психолого-педагогическая диагностика (октябрь – ноябрь)"), report.diagnostics])
    _row(summary, [_("Участие в «Школе молодого директора»"), report.young_directors])
    review = report.review
    _row(
        summary,
        [
            _("Обновление состава резерва %(a)d/%(b)d") % {"a": report.year, "b": report.year + 1},
            (_("%(d)s, %(decision)s") % {"d": review.held_on.strftime("%d.%m.%Y"), "decision": review.decision})
            if review
            else _("не проводилось"),
        ],
    )
    summary.column_dimensions["A"].width = 70
    summary.column_dimensions["B"].width = 40

    members = workbook.create_sheet(_("Состав резерва"))
    _row(
        members,
        [
            _("ФИО"),
            _("Организация"),
            _("Должность"),
            _("Статус"),
            _("Статус с"),
            _("Источник"),
            _("В списке с"),
            _("Включён в резерв"),
            _("Решение о включении"),
            _("Пунктов траектории"),
            _("Выполнено"),
            _("Анализ за год"),
            _("Диагностика за год"),
            _("«Школа молодого директора»"),
        ],
        bold=True,
    )
    states = dict(YoungDirectorParticipation.State.choices)
    for m in report.members:
        _row(
            members,
            [
                m.person.full_name,
                str(m.organisation) if m.organisation_id else "",
                m.position,
                m.get_status_display(),
                m.status_changed_on,
                m.get_source_display(),
                m.listed_on,
                m.included_on,
                m.decision,
                m.items,
                m.items_done,
                m.analysed,
                m.diagnosed,
                str(states.get(m.young_director, "")),
            ],
        )
    for cell in members["E"][1:] + members["G"][1:] + members["H"][1:]:
        cell.number_format = "DD.MM.YYYY"
    members.freeze_panes = "A2"
    members.column_dimensions["A"].width = 36
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
