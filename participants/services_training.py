"""Import of professional-development (ДПО) records from a spreadsheet: all-or-nothing, with a row report.

The columns are recognised from their Russian (or English) headers; each row's person is found by e-mail first, then by
ФИО (and the birth date when the file gives one) among the people of the coordinator's municipality. Reading
and matching run a constant number of queries whatever the number of rows; the rows are written with one
bulk_create, or nothing is written at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_templates import TemplateColumn
from core.tables import Table, columns_guess, normalise, read_register
from programs.models import Municipality

from .imports import parse_date, save_imported
from .models import Person, ProfessionalDevelopment, User
from .services import RowProblem

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10  # a title line or two above the header row is common in registers kept by hand
EARLIEST = date(1990, 1, 1)
MAX_HOURS = 32767  # PositiveSmallIntegerField

LABELS = {
    "full_name": gettext_lazy("ФИО"),
    "last_name": gettext_lazy("Фамилия"),
    "first_name": gettext_lazy("Имя"),
    "middle_name": gettext_lazy("Отчество"),
    "email": gettext_lazy("E-mail"),
    "birth_date": gettext_lazy("Дата рождения"),
    "course_title": gettext_lazy("Программа (курс)"),
    "provider": gettext_lazy("Организация, проводившая обучение"),
    "hours": gettext_lazy("Часы"),
    "starts_on": gettext_lazy("Дата начала"),
    "ends_on": gettext_lazy("Дата окончания"),
    "in_federal_registry": gettext_lazy("Федеральный реестр"),
    "is_remote": gettext_lazy("Дистанционно"),
    "based_on_diagnostics": gettext_lazy("По итогам диагностики"),
    "is_continuous_format": gettext_lazy("Непрерывный формат"),
    "per_individual_route": gettext_lazy("По ИОМ"),
    "document_number": gettext_lazy("Номер удостоверения"),
}
REQUIRED = ("course_title", "provider", "hours", "ends_on")
FLAGS = ("in_federal_registry", "is_remote", "based_on_diagnostics", "is_continuous_format", "per_individual_route")

# (field, header fragments that name it, fragments that rule the header out); the yes/no columns come first
# because their headers also contain «программа», «обучение» and the like.
_GUESSES: list[tuple[str, list[str], list[str]]] = [
    ("in_federal_registry", ["реестр", "registry"], []),
    ("based_on_diagnostics", ["диагност", "diagnostic"], []),
    ("is_continuous_format", ["непрерывн", "continuous"], []),
    # «По ИОМ», «Индивидуальный образовательный маршрут» (сид 001, «Школа – Школе», ожидаемые результаты).
    ("per_individual_route", ["иом", "индивидуальн", "маршрут", "individual route", "route"], []),
    ("is_remote", ["дистанц", "без отрыва", "онлайн", "remote", "online", "distance"], []),
    (
        "document_number",
        ["номер удостоверения", "удостоверени", "номер документа", "документ", "certificate", "document"],
        [],
    ),
    ("birth_date", ["дата рождения", "рожден", "birth"], []),
    ("starts_on", ["дата начала", "начало", "начат", "с даты", "start"], []),
    ("ends_on", ["дата окончания", "окончан", "завершен", "по дату", "end", "finish", "complet"], []),
    ("hours", ["количество часов", "объем", "час", "hours"], []),
    ("email", ["e-mail", "email", "электронн", "почта", "mail"], []),
    ("full_name", ["фио", "фамилия имя отчество", "фамилия, имя", "full name"], []),
    ("last_name", ["фамилия", "last name", "surname"], ["имя"]),
    ("middle_name", ["отчество", "middle name", "patronymic"], ["имя"]),
    ("first_name", ["имя", "first name"], ["фамилия", "отчество"]),
    (
        "provider",
        [
            "организация-провайдер",
            "провайдер",
            "проводивш",
            "организац",
            "учреждени",
            "место обучения",
            "provider",
            "organization",
            "organisation",
            "institution",
        ],
        [],
    ),
    ("course_title", ["программа", "курс", "наименование", "название", "тема", "program", "course", "title"], []),
]
# The downloadable template's columns, with headers guess_columns recognises (the file's format: not translated).
_YES_NO = gettext_lazy("Да или нет.")
TEMPLATE_COLUMNS = [
    TemplateColumn(
        "last_name", "Фамилия", True, "Иванова", gettext_lazy("Или один столбец «ФИО»; можно только e-mail.")
    ),
    TemplateColumn("first_name", "Имя", True, "Мария"),
    TemplateColumn("middle_name", "Отчество", False, "Петровна"),
    TemplateColumn(
        "email", "E-mail", False, "ivanova@example.ru", gettext_lazy("По нему педагог находится в первую очередь.")
    ),
    TemplateColumn(
        "birth_date", "Дата рождения", False, "12.04.1990", gettext_lazy("ДД.ММ.ГГГГ; различает однофамильцев.")
    ),
    TemplateColumn("course_title", "Программа", True, "Формирование функциональной грамотности обучающихся"),
    TemplateColumn("provider", "Организация-провайдер", True, "ГАУ ДПО «Институт развития образования»"),
    TemplateColumn("hours", "Часы", True, "36", gettext_lazy("Целое число часов больше нуля.")),
    TemplateColumn("starts_on", "Дата начала", False, "01.10.2024", gettext_lazy("ДД.ММ.ГГГГ.")),
    TemplateColumn("ends_on", "Дата окончания", True, "25.10.2024", gettext_lazy("ДД.ММ.ГГГГ.")),
    TemplateColumn("in_federal_registry", "Федеральный реестр", False, "Да", _YES_NO),
    TemplateColumn("is_remote", "Дистанционно", False, "Да", _YES_NO),
    TemplateColumn("based_on_diagnostics", "По итогам диагностики", False, "Нет", _YES_NO),
    TemplateColumn("is_continuous_format", "Непрерывный формат", False, "Нет", _YES_NO),
    TemplateColumn(
        "per_individual_route",
        "По ИОМ",
        False,
        "Да",
        gettext_lazy("Да — курс пройден в соответствии с индивидуальным образовательным маршрутом (ИОМ)."),
    ),
    TemplateColumn("document_number", "Номер удостоверения", False, "722400012345"),
]
_YES = {"да", "+", "1", "true", "yes", "истина", "v", "✓", "✔", "x", "х"}
_NO = {"нет", "-", "—", "0", "false", "no", "ложь", ""}


def guess_columns(headers: list[str]) -> dict[str, int]:
    """Which column holds each field, from the headers; a column is used once."""
    return columns_guess(headers, _GUESSES)


def missing_columns(columns: dict[str, int]) -> list[str]:
    missing = [str(LABELS[key]) for key in REQUIRED if key not in columns]
    has_name = "full_name" in columns or ("last_name" in columns and "first_name" in columns)
    if not has_name and "email" not in columns:
        missing.append(_("ФИО (одним столбцом или фамилия и имя отдельно) или e-mail"))
    return missing


@dataclass
class TrainingRow:
    row_number: int
    person_id: int
    person_label: str
    matched_by: str
    course_title: str
    provider: str
    hours: int
    starts_on: date | None
    ends_on: date
    in_federal_registry: bool
    is_remote: bool
    based_on_diagnostics: bool
    is_continuous_format: bool
    per_individual_route: bool
    document_number: str


@dataclass
class TrainingImportReport:
    rows: list[TrainingRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's header
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


# --- Reading ------------------------------------------------------------------------------------------------


def professional_development_read(*, file) -> Table:
    """The uploaded XLSX or CSV as a Table whose header row names the columns; FileProblem otherwise."""
    return read_register(
        file,
        max_rows=MAX_ROWS,
        search_rows=HEADER_SEARCH_ROWS,
        missing=lambda headers: missing_columns(guess_columns(headers)),
        not_found=_(
            "Не найдена строка заголовков: нет столбцов «%(missing)s». Ожидаются заголовки вроде «ФИО», «E-mail», «Программа», «Организация», «Часы», «Дата окончания»."
        ),
    )


# --- Checking -----------------------------------------------------------------------------------------------


def _flag(text: str) -> bool | None:
    value = normalise(text)
    if value in _NO or value.startswith("нет"):
        return False
    if value in _YES or value.startswith("да"):
        return True
    return None


@dataclass
class _Candidate:
    pk: int
    label: str
    email: str
    name: tuple[str, str, str]
    birth_date: date | None


def _people(municipality: Municipality) -> tuple[dict[str, list[_Candidate]], dict[tuple[str, str], list[_Candidate]]]:
    """The municipality's people indexed by e-mail and by (surname, name): one query.

    Names are compared case- and «ё»-insensitively in Python: SQLite's LOWER() leaves Cyrillic as it is.
    """
    by_email: dict[str, list[_Candidate]] = {}
    by_name: dict[tuple[str, str], list[_Candidate]] = {}
    rows = (
        Person.objects.filter(organisation__municipality=municipality, is_anonymised=False)
        .order_by("pk")
        .values_list("pk", "last_name", "first_name", "middle_name", "email", "birth_date", "organisation__short_name")
    )
    for pk, last, first, middle, email, birth_date, organisation in rows:
        full = " ".join(p for p in (last, first, middle) if p)
        candidate = _Candidate(
            pk=pk,
            label=f"{full}, {organisation}" if organisation else full,
            email=(email or "").strip().lower(),
            name=(normalise(last), normalise(first), normalise(middle)),
            birth_date=birth_date,
        )
        if candidate.email:
            by_email.setdefault(candidate.email, []).append(candidate)
        by_name.setdefault(candidate.name[:2], []).append(candidate)
    return by_email, by_name


class _Row:
    def __init__(self, report: TrainingImportReport, columns: dict[str, int], number: int, cells: list[str]):
        self.report, self.columns, self.number, self.cells = report, columns, number, cells
        self.failed = False
        self.matched_by = ""

    def get(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return " ".join(str(self.cells[index]).split())

    def problem(self, key: str, message: str) -> None:
        self.failed = True
        self.report.problems.append(RowProblem(self.number, self.report.columns.get(key, ""), message))


def _date(r: _Row, key: str, latest: date) -> date | None:
    text = r.get(key)
    if not text:
        return None
    try:
        value = parse_date(text)
    except ValueError:
        r.problem(key, _("«%(value)s» — не дата: пишите ДД.ММ.ГГГГ, например 25.03.2025.") % {"value": text})
        return None
    if not EARLIEST <= value <= latest:
        r.problem(key, _("Дата %(value)s вне допустимого диапазона.") % {"value": value.strftime("%d.%m.%Y")})
        return None
    return value


def _match(r: _Row, by_email, by_name) -> _Candidate | None:
    email = r.get("email").lower()
    if email:
        found = by_email.get(email, [])
        if len(found) == 1:
            r.matched_by = _("по e-mail")
            return found[0]
        if len(found) > 1:
            r.problem(
                "email",
                _("Адрес %(email)s указан у нескольких педагогов: укажите ФИО и дату рождения.") % {"email": email},
            )
            return None
    if "full_name" in r.columns:
        parts = r.get("full_name").split()
        last, first, middle = (parts + ["", ""])[0], (parts + ["", ""])[1], " ".join(parts[2:])
    else:
        last, first, middle = r.get("last_name"), r.get("first_name"), r.get("middle_name")
    name_key = "full_name" if "full_name" in r.columns else "last_name"
    if not last or not first:
        if email:
            r.problem(
                "email",
                _("Педагог с адресом %(email)s не найден в муниципалитете, а ФИО в строке не указано.")
                % {"email": email},
            )
        else:
            r.problem(name_key, _("Не указаны ни e-mail, ни фамилия и имя педагога."))
        return None
    found = by_name.get((normalise(last), normalise(first)), [])
    if middle:
        found = [c for c in found if c.name[2] == normalise(middle)]
    birth_date = _date(r, "birth_date", timezone.localdate())
    if r.failed:
        return None
    if birth_date:
        found = [c for c in found if c.birth_date == birth_date]
    full = " ".join(p for p in (last, first, middle) if p)
    if not found:
        r.problem(
            name_key,
            _("Педагог «%(name)s»%(born)s не найден среди педагогов муниципалитета.")
            % {
                "name": full,
                "born": _(", %(date)s г. р.") % {"date": birth_date.strftime("%d.%m.%Y")} if birth_date else "",
            },
        )
        return None
    if len(found) > 1:
        r.problem(
            name_key,
            _("ФИО «%(name)s» соответствует нескольким педагогам (%(n)d): укажите e-mail или дату рождения.")
            % {"name": full, "n": len(found)},
        )
        return None
    r.matched_by = _("по ФИО и дате рождения") if birth_date else _("по ФИО")
    return found[0]


def professional_development_check(*, table: Table, municipality: Municipality) -> TrainingImportReport:
    """Every row parsed, its person found and checked against the file and the database. Nothing is written."""
    report = TrainingImportReport()
    columns = guess_columns(table.headers)
    report.columns = {key: table.headers[i] for key, i in columns.items()}
    by_email, by_name = _people(municipality)
    today = timezone.localdate()
    latest = today + timedelta(days=366)
    seen_documents: dict[tuple[int, str], int] = {}
    seen_records: dict[tuple[int, str, date], int] = {}
    for number, cells in table.rows:
        r = _Row(report, columns, number, cells)
        candidate = _match(r, by_email, by_name)

        course, provider, document = r.get("course_title"), r.get("provider"), r.get("document_number")
        for key, value, limit in (
            ("course_title", course, 400),
            ("provider", provider, 300),
            ("document_number", document, 100),
        ):
            if len(value) > limit:
                r.problem(key, _("Значение длиннее %(n)d знаков.") % {"n": limit})
        if not course:
            r.problem("course_title", _("Не указано название программы (курса)."))
        if not provider:
            r.problem("provider", _("Не указана организация, проводившая обучение."))

        hours = None
        text = r.get("hours").replace(",", ".")
        match = re.fullmatch(r"(\d+(?:\.0+)?)\s*(?:ч|час|часа|часов|ч\.)?", text)
        if not text:
            r.problem("hours", _("Не указан объём программы в часах."))
        elif match is None or not 0 < float(match.group(1)) <= MAX_HOURS:
            r.problem("hours", _("Часы «%(value)s» — не целое положительное число.") % {"value": r.get("hours")})
        else:
            hours = int(float(match.group(1)))

        starts_on = _date(r, "starts_on", latest)
        ends_on = _date(r, "ends_on", latest)
        if not r.get("ends_on"):
            r.problem("ends_on", _("Не указана дата окончания обучения."))
        if starts_on and ends_on and ends_on < starts_on:
            r.problem(
                "ends_on",
                _("Обучение заканчивается (%(end)s) раньше, чем начинается (%(start)s).")
                % {"end": ends_on.strftime("%d.%m.%Y"), "start": starts_on.strftime("%d.%m.%Y")},
            )

        flags = {}
        for key in FLAGS:
            value = _flag(r.get(key))
            if value is None:
                r.problem(key, _("«%(value)s» — ожидается «да» или «нет».") % {"value": r.get(key)})
            flags[key] = bool(value)

        if candidate is not None and document:
            earlier = seen_documents.setdefault((candidate.pk, document.casefold()), number)
            if earlier != number:
                r.problem(
                    "document_number",
                    _("Удостоверение № %(doc)s этого педагога уже есть в строке %(row)d.")
                    % {"doc": document, "row": earlier},
                )
        if candidate is not None and course and ends_on:
            earlier = seen_records.setdefault((candidate.pk, normalise(course), ends_on), number)
            if earlier != number:
                r.problem(
                    "course_title",
                    _("Тот же курс этого педагога с той же датой окончания уже есть в строке %(row)d.")
                    % {"row": earlier},
                )

        if r.failed or candidate is None:
            continue
        report.rows.append(
            TrainingRow(
                row_number=number,
                person_id=candidate.pk,
                person_label=candidate.label,
                matched_by=r.matched_by,
                course_title=course,
                provider=provider,
                hours=hours,
                starts_on=starts_on,
                ends_on=ends_on,
                document_number=document,
                **flags,
            )
        )
    _check_database(report)
    report.problems.sort(key=lambda p: p.row_number)
    return report


def _check_database(report: TrainingImportReport) -> None:
    """Records already in the database: the same document of the person, or the same course ending that day."""
    if not report.rows:
        return
    documents, records = {}, {}
    existing = ProfessionalDevelopment.objects.filter(person_id__in={row.person_id for row in report.rows}).values_list(
        "person_id", "document_number", "course_title", "ends_on"
    )
    for person_id, document, course, ends_on in existing:
        if document:
            documents[(person_id, document.casefold())] = True
        records[(person_id, normalise(course), ends_on)] = True
    column = report.columns.get
    for row in list(report.rows):
        if row.document_number and (row.person_id, row.document_number.casefold()) in documents:
            report.problems.append(
                RowProblem(
                    row.row_number,
                    column("document_number", ""),
                    _("Удостоверение № %(doc)s у педагога %(person)s уже внесено на портал.")
                    % {"doc": row.document_number, "person": row.person_label},
                )
            )
        elif (row.person_id, normalise(row.course_title), row.ends_on) in records:
            report.problems.append(
                RowProblem(
                    row.row_number,
                    column("course_title", ""),
                    _("Этот курс педагога %(person)s с окончанием %(date)s уже внесён на портал.")
                    % {"person": row.person_label, "date": row.ends_on.strftime("%d.%m.%Y")},
                )
            )


# --- Importing ----------------------------------------------------------------------------------------------


def professional_development_import(*, file, municipality: Municipality, by: User | None) -> TrainingImportReport:
    """Check every row and save them all, or save nothing and return the row-by-row report.

    `file` is an uploaded XLSX/CSV file or a Table already read from one (the admin keeps it between the
    preview and the confirmation). A file that cannot be read raises FileProblem.
    """
    table = file if isinstance(file, Table) else professional_development_read(file=file)
    report = professional_development_check(table=table, municipality=municipality)
    if report.problems:
        return report
    now = timezone.now()
    records = [
        ProfessionalDevelopment(
            person_id=row.person_id,
            course_title=row.course_title,
            provider=row.provider,
            hours=row.hours,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            in_federal_registry=row.in_federal_registry,
            is_remote=row.is_remote,
            based_on_diagnostics=row.based_on_diagnostics,
            is_continuous_format=row.is_continuous_format,
            per_individual_route=row.per_individual_route,
            document_number=row.document_number,
            source=ProfessionalDevelopment.Source.IMPORT,
            created_at=now,
            created_by=by,
        )
        for row in report.rows
    ]
    return save_imported(
        ProfessionalDevelopment,
        records,
        report,
        _("Пока шла проверка, эти удостоверения внесли на портал: загрузите файл ещё раз."),
    )
