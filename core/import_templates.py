"""The downloadable template of a spreadsheet import: the columns an import reads, listed on its upload page
and written into an XLSX built on request (openpyxl), so a coordinator starts from headers the reader accepts.

Each import names its columns as `TemplateColumn`s beside its reader; the headers are the reader's own, and a
test reads every template back through the real reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class TemplateColumn:
    key: str  # the reader's field
    header: str  # the header exactly as the reader recognises it
    required: bool
    example: str
    note: str = ""


def import_template_xlsx(columns: list[TemplateColumn], *, title: str) -> bytes:
    """A workbook whose first sheet holds only the header row (the reader takes the first sheet), and a second
    sheet «Как заполнять» listing every column: required or not, an example, and what is accepted."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    data = workbook.active
    data.title = _("Данные")
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, 1):
        cell = data.cell(row=1, column=index, value=str(column.header))
        cell.font = bold
        cell.data_type = "s"
        if column.required:
            cell.fill = required_fill
        data.column_dimensions[get_column_letter(index)].width = max(14, min(48, len(str(column.header)) + 4))
    data.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Как заполнять"))
    notes.append([str(title)])
    notes["A1"].font = Font(bold=True, size=12)
    notes.append([_("Заполните лист «Данные»: одна строка — одна запись, заголовки не меняйте.")])
    notes.append([_("Обязательные столбцы выделены цветом на листе «Данные».")])
    notes.append([])
    notes.append([_("Столбец"), _("Обязательный"), _("Пример"), _("Что принимается")])
    for cell in notes[5]:
        cell.font = bold
    for column in columns:
        notes.append(
            [str(column.header), _("да") if column.required else _("нет"), str(column.example), str(column.note)]
        )
    for row in notes.iter_rows(min_row=6):
        for cell in row:
            cell.data_type = "s"  # an example such as «+7 900 …» stays text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (34, 14, 34, 60), strict=True):
        notes.column_dimensions[letter].width = width

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_template_response(columns: list[TemplateColumn], *, title: str, filename: str) -> HttpResponse:
    response = HttpResponse(import_template_xlsx(columns, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
