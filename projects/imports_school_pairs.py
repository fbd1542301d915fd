"""Импорт результатов оценочных процедур (ВПР, ОГЭ, ЕГЭ) школ из XLSX или CSV: всё или ничего, с отчётом по
строкам (сид 001, «Школа – Школе», задача 3: «модель мониторинга динамики образовательных результатов»).

Чтение — core.tables.read_register (строка заголовков ищется в первых строках, размеры файла ограничены
core.spreadsheet_reader); школы ищутся среди организаций муниципалитета, предметы — в справочнике; проверка
идёт постоянным числом запросов при любом числе строк; сохранение — participants.imports.save_imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_templates import TemplateColumn
from core.tables import Table, columns_guess, normalise, read_register
from participants.imports import save_imported
from participants.services import RowProblem
from programs.models import Municipality, Organisation, Subject

from .models.school_pairs import ASSESSMENT_YEARS, FIXED_GRADES, VPR_GRADES, Assessment, AssessmentResult

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
MAX_PARTICIPANTS = 100_000

LABELS = {
    "organisation": gettext_lazy("Школа"),
    "year": gettext_lazy("Год"),
    "assessment": gettext_lazy("Процедура"),
    "subject": gettext_lazy("Предмет"),
    "grade": gettext_lazy("Класс"),
    "participants": gettext_lazy("Участников"),
    "average": gettext_lazy("Средний балл"),
    "low_share": gettext_lazy("Доля низких результатов, %"),
}
REQUIRED = ("organisation", "year", "assessment", "subject", "participants", "average", "low_share")

_GUESSES: list[tuple[str, list[str], list[str]]] = [
    ("low_share", ["доля низких", "доля", "низк", "двоек", "не преодолел", "ниже минимал"], []),
    ("average", ["средний балл", "средняя отметка", "средн", "балл"], []),
    ("participants", ["участников", "количество участников", "участник", "писали", "сдавали", "кол-во"], []),
    ("assessment", ["процедура", "оценочная процедура", "вид", "экзамен"], []),
    ("subject", ["предмет"], []),
    ("grade", ["класс", "параллель"], []),
    ("year", ["год"], []),
    ("organisation", ["школа", "образовательная организация", "организац", "оу", "оо"], []),
]
# The template's headers are the file's format (the reader recognises them), not interface text.
TEMPLATE_COLUMNS = [
    TemplateColumn(
        "organisation",
        "Школа",
        True,
        "ГБОУ школа № 358",
        gettext_lazy("Краткое или полное название, как в справочнике организаций муниципалитета."),
    ),
    TemplateColumn("year", "Год", True, "2025", gettext_lazy("Год проведения процедуры, четыре цифры.")),
    TemplateColumn("assessment", "Процедура", True, "ВПР", gettext_lazy("ВПР, ОГЭ или ЕГЭ.")),
    TemplateColumn("subject", "Предмет", True, "Математика", gettext_lazy("Из справочника предметов.")),
    TemplateColumn(
        "grade", "Класс", False, "5", gettext_lazy("Для ВПР — с 4 по 11 (обязательно); для ОГЭ — 9, для ЕГЭ — 11.")
    ),
    TemplateColumn("participants", "Участников", True, "54", gettext_lazy("Целое число больше нуля.")),
    TemplateColumn(
        "average",
        "Средний балл",
        True,
        "3,6",
        gettext_lazy("ВПР и ОГЭ — средняя отметка от 2 до 5, ЕГЭ — средний тестовый балл от 0 до 100."),
    ),
    TemplateColumn(
        "low_share",
        "Доля низких результатов, %",
        True,
        "12,5",
        gettext_lazy("ВПР и ОГЭ — доля отметок «2», ЕГЭ — доля не набравших минимальный балл; от 0 до 100."),
    ),
]
_ASSESSMENTS = {"впр": Assessment.VPR, "огэ": Assessment.OGE, "гиа-9": Assessment.OGE, "егэ": Assessment.EGE}
_ASSESSMENTS.update({"vpr": Assessment.VPR, "oge": Assessment.OGE, "ege": Assessment.EGE, "гиа-11": Assessment.EGE})
_MARK_RANGE = (Decimal(2), Decimal(5))


def guess_columns(headers: list[str]) -> dict[str, int]:
    return columns_guess(headers, _GUESSES)


def missing_columns(columns: dict[str, int]) -> list[str]:
    return [str(LABELS[key]) for key in REQUIRED if key not in columns]


@dataclass
class ResultRow:
    row_number: int
    organisation_id: int
    organisation_label: str
    year: int
    assessment: str
    subject_id: int
    subject_label: str
    grade: int
    participants: int
    average: Decimal
    low_share: Decimal


@dataclass
class AssessmentImportReport:
    rows: list[ResultRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's header
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def assessment_results_read(*, file) -> Table:
    """The uploaded XLSX or CSV as a Table whose header row names the columns; FileProblem otherwise."""
    return read_register(
        file,
        max_rows=MAX_ROWS,
        search_rows=HEADER_SEARCH_ROWS,
        missing=lambda headers: missing_columns(guess_columns(headers)),
        not_found=_(
            "Не найдена строка заголовков: нет столбцов «%(missing)s». Ожидаются заголовки «Школа», «Год», "
            "«Процедура», «Предмет», «Класс», «Участников», «Средний балл», «Доля низких результатов, %%»."
        ),
    )


class _Row:
    def __init__(self, report: AssessmentImportReport, columns: dict[str, int], number: int, cells: list[str]):
        self.report, self.columns, self.number, self.cells = report, columns, number, cells
        self.failed = False

    def get(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return " ".join(str(self.cells[index]).split())

    def problem(self, key: str, message: str) -> None:
        self.failed = True
        self.report.problems.append(RowProblem(self.number, self.report.columns.get(key, str(LABELS[key])), message))


def _organisations(municipality: Municipality) -> dict[str, list[tuple[int, str]]]:
    index: dict[str, list[tuple[int, str]]] = {}
    for pk, name, short_name in Organisation.objects.filter(municipality=municipality).values_list(
        "pk", "name", "short_name"
    ):
        for key in {normalise(name), normalise(short_name)}:
            index.setdefault(key, []).append((pk, short_name))
    return index


def _decimal(r: _Row, key: str, low: Decimal, high: Decimal, what: str) -> Decimal | None:
    text = r.get(key).replace(" ", "").replace("\u00a0", "").rstrip("%").replace(",", ".")
    if not text:
        r.problem(key, _("Не указано: %(what)s.") % {"what": what})
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not low <= value <= high:
        r.problem(
            key,
            _("«%(value)s» — не число от %(low)s до %(high)s.") % {"value": r.get(key), "low": low, "high": high},
        )
        return None
    return value.quantize(Decimal("0.01"))


def assessment_results_check(*, table: Table, municipality: Municipality) -> AssessmentImportReport:
    """Every row parsed and checked against the file and the database. Nothing is written."""
    report = AssessmentImportReport()
    columns = guess_columns(table.headers)
    report.columns = {key: table.headers[i] for key, i in columns.items()}
    organisations = _organisations(municipality)
    subjects = {normalise(name): (pk, name) for pk, name in Subject.objects.values_list("pk", "name")}
    seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        r = _Row(report, columns, number, cells)

        organisation = None
        text = r.get("organisation")
        found = organisations.get(normalise(text), []) if text else []
        if not text:
            r.problem("organisation", _("Не указана школа."))
        elif not found:
            r.problem(
                "organisation",
                _("Школа «%(value)s» не найдена среди организаций муниципалитета «%(municipality)s».")
                % {"value": text, "municipality": municipality},
            )
        elif len(found) > 1:
            r.problem(
                "organisation",
                _("Названию «%(value)s» соответствуют несколько организаций: укажите полное название.")
                % {"value": text},
            )
        else:
            organisation = found[0]

        year = None
        text = r.get("year")
        if not re.fullmatch(r"\d{4}", text) or not ASSESSMENT_YEARS[0] <= int(text) <= ASSESSMENT_YEARS[1]:
            r.problem(
                "year",
                _("Год «%(value)s» — не год от %(low)d до %(high)d.")
                % {"value": text, "low": ASSESSMENT_YEARS[0], "high": ASSESSMENT_YEARS[1]},
            )
        else:
            year = int(text)

        assessment = _ASSESSMENTS.get(normalise(r.get("assessment")))
        if assessment is None:
            r.problem(
                "assessment",
                _("Процедура «%(value)s» не распознана: ожидается ВПР, ОГЭ или ЕГЭ.") % {"value": r.get("assessment")},
            )

        subject = subjects.get(normalise(r.get("subject"))) if r.get("subject") else None
        if not r.get("subject"):
            r.problem("subject", _("Не указан предмет."))
        elif subject is None:
            r.problem("subject", _("Предмета «%(value)s» нет в справочнике предметов.") % {"value": r.get("subject")})

        grade = None
        text = r.get("grade").lower().removesuffix("класс").removesuffix("кл.").removesuffix("кл").strip()
        if assessment in FIXED_GRADES:
            grade = FIXED_GRADES[assessment]
            if text and text != str(grade):
                r.problem(
                    "grade",
                    _("%(assessment)s сдают в %(grade)d классе, а в строке — «%(value)s».")
                    % {"assessment": Assessment(assessment).label, "grade": grade, "value": r.get("grade")},
                )
        elif assessment == Assessment.VPR:
            if not text.isdecimal() or not VPR_GRADES[0] <= int(text) <= VPR_GRADES[1]:
                r.problem(
                    "grade",
                    _("Для ВПР укажите класс от %(low)d до %(high)d; в строке — «%(value)s».")
                    % {"low": VPR_GRADES[0], "high": VPR_GRADES[1], "value": r.get("grade")},
                )
            else:
                grade = int(text)

        participants = None
        text = r.get("participants")
        if not text.isdecimal() or not 0 < int(text) <= MAX_PARTICIPANTS:
            r.problem(
                "participants",
                _("Число участников «%(value)s» — не целое число от 1 до %(max)d.")
                % {"value": text, "max": MAX_PARTICIPANTS},
            )
        else:
            participants = int(text)

        if assessment == Assessment.EGE:
            average = _decimal(r, "average", Decimal(0), Decimal(100), _("средний тестовый балл"))
        else:
            average = _decimal(r, "average", *_MARK_RANGE, _("средняя отметка"))
        low_share = _decimal(r, "low_share", Decimal(0), Decimal(100), _("доля низких результатов"))

        if organisation and year and assessment and subject and grade:
            key = (organisation[0], year, assessment, subject[0], grade)
            earlier = seen.setdefault(key, number)
            if earlier != number:
                r.problem(
                    "subject",
                    _("Результат этой школы по этой процедуре, предмету, классу и году уже есть в строке %(row)d.")
                    % {"row": earlier},
                )
        if r.failed:
            continue
        report.rows.append(
            ResultRow(
                row_number=number,
                organisation_id=organisation[0],
                organisation_label=organisation[1],
                year=year,
                assessment=assessment,
                subject_id=subject[0],
                subject_label=subject[1],
                grade=grade,
                participants=participants,
                average=average,
                low_share=low_share,
            )
        )
    _check_database(report)
    report.problems.sort(key=lambda p: p.row_number)
    return report


def _check_database(report: AssessmentImportReport) -> None:
    """Results already on the portal: the same school, year, assessment, subject and grade (one query)."""
    if not report.rows:
        return
    existing = set(
        AssessmentResult.objects.filter(
            organisation_id__in={row.organisation_id for row in report.rows},
            year__in={row.year for row in report.rows},
        ).values_list("organisation_id", "year", "assessment", "subject_id", "grade")
    )
    for row in report.rows:
        if (row.organisation_id, row.year, row.assessment, row.subject_id, row.grade) in existing:
            report.problems.append(
                RowProblem(
                    row.row_number,
                    report.columns.get("subject", ""),
                    _("Результат %(assessment)s %(year)d школы «%(school)s» по предмету «%(subject)s» уже внесён.")
                    % {
                        "assessment": Assessment(row.assessment).label,
                        "year": row.year,
                        "school": row.organisation_label,
                        "subject": row.subject_label,
                    },
                )
            )


def assessment_results_import(*, file, municipality: Municipality) -> AssessmentImportReport:
    """Check every row and save them all, or save nothing and return the row-by-row report. `file` is an uploaded
    XLSX/CSV or a Table read from one; a file that cannot be read raises FileProblem."""
    table = file if isinstance(file, Table) else assessment_results_read(file=file)
    report = assessment_results_check(table=table, municipality=municipality)
    if report.problems:
        return report
    records = [
        AssessmentResult(
            organisation_id=row.organisation_id,
            year=row.year,
            assessment=row.assessment,
            subject_id=row.subject_id,
            grade=row.grade,
            participants=row.participants,
            average=row.average,
            low_share=row.low_share,
        )
        for row in report.rows
    ]
    return save_imported(
        AssessmentResult,
        records,
        report,
        _("Пока шла проверка, эти результаты внесли на портал: загрузите файл ещё раз."),
    )
