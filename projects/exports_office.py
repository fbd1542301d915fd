"""The project office's report as XLSX (сид 001): one project or the whole cascade, written row by row by
openpyxl's write-only workbook into a temporary file that the response streams, with every cell through
core.spreadsheets (formula injection, dates as dates)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _

from core.spreadsheets import sheet_title, spreadsheet_value

from .models.office import Project, WorkState
from .selectors_office import project_rows

DATE_FORMAT = "DD.MM.YYYY"


def _state(item, today: date) -> str:
    if item.is_overdue(today):
        return _("%(state)s, просрочено") % {"state": WorkState(item.state).label}
    return str(WorkState(item.state).label)


def _sheet(workbook, used: set[str], title: str, header: Sequence[str], widths: Sequence[int], rows: Iterable):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(sheet_title(title, used))
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=spreadsheet_value(value))
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)


def office_xlsx(projects: Sequence[Project], *, today: date):
    """The report of the projects given (prefetched by selectors_office): a temporary file, positioned at 0."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    summary = []
    for project, tally in project_rows(projects, today):
        summary.append(
            [
                project.title,
                ", ".join(d.get_direction_display() for d in project.directions.all()),
                ", ".join(s.get_kind_display() for s in tally.current_stages),
                tally.events,
                tally.done,
                tally.in_progress,
                tally.cancelled,
                tally.overdue,
                project.program.title if project.program else "",
                "; ".join(m.name for m in project.working_group.all() if m.is_head),
                "\n".join(str(gap) for gap in tally.intensive_gaps),
            ]
        )
    _sheet(
        workbook,
        used,
        _("Проекты"),
        [
            _("Проект"),
            _("Направления НП «Образование»"),
            _("Текущий этап"),
            _("Мероприятий"),
            _("Выполнено"),
            _("Идёт"),
            _("Отменено"),
            _("Просрочено"),
            _("Программа для педагогов"),
            _("Руководитель рабочей группы"),
            _("Образовательные интенсивы (не менее 1 раза в учебном полугодии)"),
        ],
        [40, 30, 20, 12, 12, 10, 12, 12, 30, 40, 60],
        summary,
    )
    _sheet(
        workbook,
        used,
        _("Этапы"),
        [_("Проект"), _("Этап"), _("Сроки по проекту"), _("Начало"), _("Окончание"), _("Состояние"), _("Результат")],
        [40, 18, 30, 12, 12, 22, 50],
        (
            [p.title, s.get_kind_display(), s.schedule, s.starts_on, s.ends_on, _state(s, today), s.result_note]
            for p in projects
            for s in p.stages.all()
        ),
    )
    _sheet(
        workbook,
        used,
        _("Мероприятия"),
        [
            _("Проект"),
            _("№"),
            _("Мероприятие"),
            _("Сроки по проекту"),
            _("Начало"),
            _("Окончание"),
            _("Состояние"),
            _("Прогнозируемый результат"),
            _("Результат"),
            _("Ответственный"),
        ],
        [30, 6, 50, 24, 12, 12, 22, 40, 40, 30],
        (
            [
                p.title,
                e.number,
                e.title,
                e.schedule,
                e.starts_on,
                e.ends_on,
                _state(e, today),
                e.expected_result,
                e.result_note,
                e.responsible,
            ]
            for p in projects
            for e in p.events.all()
        ),
    )
    _sheet(
        workbook,
        used,
        _("Рабочие группы"),
        [_("Проект"), _("ФИО"), _("Должность"), _("Руководитель")],
        [40, 40, 50, 14],
        ([p.title, m.name, m.position, m.is_head] for p in projects for m in p.working_group.all()),
    )
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file


def office_pdf(projects: Sequence[Project], *, municipality, today: date, project: Project | None = None) -> bytes:
    """The same report as a PDF (WeasyPrint): A4 landscape, one section per project, nothing fetched from outside."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "documents/office_report.html",
            {
                "rows": project_rows(projects, today),
                "municipality": municipality,
                "today": today,
                "project": project,
            },
        )
        fetcher = URLFetcher(allowed_protocols=("data",))
        return HTML(string=html, base_url=settings.SITE_URL, url_fetcher=fetcher).write_pdf()
