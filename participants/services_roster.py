"""The staff roster (кадровый состав) of organisations per KPI year: import from a spreadsheet, matching to portal
people, the copy to the next year and what erasure leaves of a worker's rows.

The import follows the professional-development import (participants.services_training): columns recognised from their
headers, every row checked against the file and the database, a row-by-row report in Russian, and all rows saved
with one bulk_create or nothing at all. A row's worker is matched to a portal person of the same organisation by
ФИО and birth date, then by ФИО alone when exactly one person of the organisation has it; no portal person is ever
created from a roster row. Reading and matching run a constant number of queries whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.import_templates import TemplateColumn
from core.tables import Table, columns_guess, normalise, read_register
from core.typography import inner_quotes
from programs.models import Municipality, Organisation
from programs.signals import rows_changed

from .imports import _choice, parse_date, read_qualifications, save_imported
from .models import Person, StaffRosterEntry
from .services import RowProblem, erased_full_name

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
EARLIEST_BIRTH = date(1920, 1, 1)
EARLIEST_WORK = date(1950, 1, 1)

Kind = StaffRosterEntry.StaffKind

LABELS = {
    "organisation": gettext_lazy("Организация"),
    "full_name": gettext_lazy("ФИО"),
    "last_name": gettext_lazy("Фамилия"),
    "first_name": gettext_lazy("Имя"),
    "middle_name": gettext_lazy("Отчество"),
    "birth_date": gettext_lazy("Дата рождения"),
    "position": gettext_lazy("Должность"),
    "staff_kind": gettext_lazy("Категория персонала"),
    "education_level": gettext_lazy("Уровень образования"),
    "experience_years": gettext_lazy("Педагогический стаж, лет"),
    "category": gettext_lazy("Квалификационная категория"),
    "hired_on": gettext_lazy("Дата приёма"),
    "left_on": gettext_lazy("Дата увольнения"),
}
REQUIRED = ("organisation", "position")

_GUESSES: list[tuple[str, list[str], list[str]]] = [
    ("birth_date", ["дата рождения", "рожден", "birth"], []),
    ("hired_on", ["дата приема", "принят", "прием", "hired"], []),
    ("left_on", ["дата увольнения", "уволен", "увольнен", "left"], []),
    ("experience_years", ["педагогический стаж", "стаж", "experience"], []),
    ("education_level", ["уровень образования", "образование", "education"], []),
    ("category", ["квалификационная категория", "категория", "category"], ["персонал"]),
    ("staff_kind", ["категория персонала", "персонал", "вид работника", "руководящ", "staff"], []),
    ("position", ["должность", "должност", "position"], []),
    ("full_name", ["фио", "фамилия имя отчество", "фамилия, имя", "full name"], []),
    ("last_name", ["фамилия", "last name", "surname"], ["имя"]),
    ("middle_name", ["отчество", "middle name", "patronymic"], ["имя"]),
    ("first_name", ["имя", "first name"], ["фамилия", "отчество"]),
    ("organisation", ["образовательная организация", "организация", "организац", "школа", "оо", "organisation"], []),
]
# The downloadable template's columns, with headers guess_columns recognises (the file's format: not translated).
TEMPLATE_COLUMNS = [
    TemplateColumn(
        "organisation",
        "Организация",
        True,
        "МБОУ СОШ № 2",
        gettext_lazy("Краткое или полное название, как в справочнике организаций муниципалитета."),
    ),
    TemplateColumn("last_name", "Фамилия", True, "Иванова", gettext_lazy("Или один столбец «ФИО».")),
    TemplateColumn("first_name", "Имя", True, "Мария"),
    TemplateColumn("middle_name", "Отчество", False, "Петровна"),
    TemplateColumn(
        "birth_date",
        "Дата рождения",
        False,
        "12.04.1990",
        gettext_lazy("ДД.ММ.ГГГГ; помогает найти педагога на портале."),
    ),
    TemplateColumn("position", "Должность", True, "Учитель математики"),
    TemplateColumn(
        "staff_kind",
        "Категория персонала",
        False,
        "Педагогический",
        gettext_lazy("Педагогический или руководящий; пусто — по должности."),
    ),
    TemplateColumn(
        "education_level",
        "Уровень образования",
        False,
        "Высшее",
        gettext_lazy("Высшее, среднее профессиональное, среднее общее или другое."),
    ),
    TemplateColumn("experience_years", "Педагогический стаж, лет", False, "12", gettext_lazy("Целое число лет.")),
    TemplateColumn(
        "category",
        "Квалификационная категория",
        False,
        "Первая",
        gettext_lazy("Высшая, первая, соответствие занимаемой должности или без категории."),
    ),
    TemplateColumn("hired_on", "Дата приёма", False, "01.09.2015", gettext_lazy("ДД.ММ.ГГГГ.")),
    TemplateColumn("left_on", "Дата увольнения", False, "", gettext_lazy("ДД.ММ.ГГГГ; пусто — работает.")),
]
_MANAGEMENT_POSITIONS = ("директор", "заместитель директора", "заведующ", "руководител", "начальник")
_STAFF_KIND = [(("руковод", "управлен", "административ"), Kind.MANAGEMENT), (("педагог",), Kind.PEDAGOGICAL)]


def roster_is_teacher(*, staff_kind: str, position: str) -> bool:
    """Seed 003, показатель 2: «учителя» are the pedagogical workers whose position is «учитель…»."""
    return staff_kind == Kind.PEDAGOGICAL and normalise(position).startswith("учител")


def guess_columns(headers: list[str]) -> dict[str, int]:
    """Which column holds each field, from the headers; a column is used once."""
    return columns_guess(headers, _GUESSES)


def missing_columns(columns: dict[str, int]) -> list[str]:
    missing = [str(LABELS[key]) for key in REQUIRED if key not in columns]
    if "full_name" not in columns and ("last_name" not in columns or "first_name" not in columns):
        missing.append(_("ФИО (одним столбцом или фамилия и имя отдельно)"))
    return missing


@dataclass
class RosterRow:
    row_number: int
    organisation_id: int
    organisation_label: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: date | None
    position: str
    staff_kind: str
    education_level: str
    experience_years: int | None
    category: str
    hired_on: date | None
    left_on: date | None
    person_id: int | None
    match_note: str  # «сопоставлен с …» or «новый человек на портале не создаётся»

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


@dataclass
class RosterImportReport:
    year: int
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's header
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def matched(self) -> int:
        return sum(1 for row in self.rows if row.person_id)


# --- Reading ------------------------------------------------------------------------------------------------


def staff_roster_read(*, file) -> Table:
    """The uploaded XLSX or CSV as a Table whose header row names the columns; FileProblem otherwise."""
    return read_register(
        file,
        max_rows=MAX_ROWS,
        search_rows=HEADER_SEARCH_ROWS,
        missing=lambda headers: missing_columns(guess_columns(headers)),
        not_found=_(
            "Не найдена строка заголовков: нет столбцов «%(missing)s». Ожидаются заголовки вроде «Организация», «ФИО», «Дата рождения», «Должность»."
        ),
    )


# --- Checking -----------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    pk: int
    label: str
    birth_date: date | None


def _organisations(municipality: Municipality) -> dict[str, list[Organisation]]:
    index: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(municipality=municipality).order_by("pk"):
        for name in {normalise(org.short_name), normalise(org.name)}:
            index.setdefault(name, []).append(org)
    return index


def _people(municipality: Municipality) -> dict[tuple[int, str, str, str], list[_Candidate]]:
    """The municipality's people by (organisation, surname, name, patronymic): one query. Names are compared
    case- and «ё»-insensitively in Python (SQLite's LOWER() leaves Cyrillic as it is)."""
    index: dict[tuple[int, str, str, str], list[_Candidate]] = {}
    rows = (
        Person.objects.filter(organisation__municipality=municipality, is_anonymised=False)
        .order_by("pk")
        .values_list("pk", "organisation_id", "last_name", "first_name", "middle_name", "birth_date")
    )
    for pk, organisation_id, last, first, middle, birth_date in rows:
        key = (organisation_id, normalise(last), normalise(first), normalise(middle))
        label = " ".join(p for p in (last, first, middle) if p)
        index.setdefault(key, []).append(_Candidate(pk, label, birth_date))
    return index


class _Row:
    def __init__(self, report: RosterImportReport, columns: dict[str, int], number: int, cells: list[str]):
        self.report, self.columns, self.number, self.cells = report, columns, number, cells
        self.failed = False

    def get(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(self.cells):
            return ""
        return " ".join(str(self.cells[index]).split())

    def problem(self, key: str, message: str) -> None:
        self.failed = True
        self.report.problems.append(RowProblem(self.number, self.report.columns.get(key, ""), message))


def _date(r: _Row, key: str, earliest: date, latest: date) -> date | None:
    text = r.get(key)
    if not text:
        return None
    try:
        value = parse_date(text)
    except ValueError:
        r.problem(key, _("«%(value)s» — не дата: пишите ДД.ММ.ГГГГ, например 01.09.2015.") % {"value": text})
        return None
    if not earliest <= value <= latest:
        r.problem(key, _("Дата %(value)s невозможна.") % {"value": value.strftime("%d.%m.%Y")})
        return None
    return value


def _match(candidates: list[_Candidate], birth_date: date | None) -> tuple[_Candidate | None, str]:
    """By ФИО and birth date within the organisation, then by ФИО alone when it is unique there."""
    if birth_date:
        same_birth = [c for c in candidates if c.birth_date == birth_date]
        if len(same_birth) == 1:
            return same_birth[0], _("по ФИО и дате рождения")
    if len(candidates) == 1 and (birth_date is None or candidates[0].birth_date in (None, birth_date)):
        return candidates[0], _("по ФИО")
    return None, ""


def staff_roster_check(*, table: Table, municipality: Municipality, year: int) -> RosterImportReport:
    """Every row parsed, its organisation found in the municipality, its worker matched; nothing is written."""
    report = RosterImportReport(year=year)
    columns = guess_columns(table.headers)
    report.columns = {key: table.headers[i] for key, i in columns.items()}
    organisations = _organisations(municipality)
    people = _people(municipality)
    today = timezone.localdate()
    year_end = date(year, 12, 31)
    seen_names: dict[tuple, int] = {}
    seen_people: dict[tuple[int, int], int] = {}
    for number, cells in table.rows:
        r = _Row(report, columns, number, cells)

        organisation = None
        org_text = r.get("organisation")
        if not org_text:
            r.problem("organisation", _("Не указана организация."))
        else:
            found = organisations.get(normalise(org_text), [])
            if len(found) == 1:
                organisation = found[0]
            elif not found:
                r.problem(
                    "organisation",
                    _("Организация «%(value)s» не найдена среди организаций муниципалитета «%(municipality)s».")
                    % {"value": org_text, "municipality": municipality},
                )
            else:
                r.problem(
                    "organisation",
                    _("Названию «%(value)s» соответствуют несколько организаций: укажите полное название.")
                    % {"value": org_text},
                )

        if "full_name" in columns:
            parts = r.get("full_name").split()
            last, first, middle = (parts + ["", ""])[0], (parts + ["", ""])[1], " ".join(parts[2:])
            name_key = "full_name"
        else:
            last, first, middle = r.get("last_name"), r.get("first_name"), r.get("middle_name")
            name_key = "last_name" if not last else "first_name"
        if not last or not first:
            r.problem(name_key, _("Нужны фамилия и имя."))
        elif max(len(last), len(first), len(middle)) > 100:
            r.problem(name_key, _("Фамилия, имя или отчество длиннее 100 знаков."))

        birth_date = _date(r, "birth_date", EARLIEST_BIRTH, today - timedelta(days=365 * 16))
        hired_on = _date(r, "hired_on", EARLIEST_WORK, year_end)
        left_on = _date(r, "left_on", EARLIEST_WORK, today + timedelta(days=366))
        if hired_on and left_on and left_on < hired_on:
            r.problem(
                "left_on",
                _("Дата увольнения (%(left)s) раньше даты приёма (%(hired)s).")
                % {"left": left_on.strftime("%d.%m.%Y"), "hired": hired_on.strftime("%d.%m.%Y")},
            )
        if left_on and left_on.year < year:
            r.problem(
                "left_on",
                _("Уволен(а) %(date)s — до %(year)s года: в состав этого года работник не входит.")
                % {"date": left_on.strftime("%d.%m.%Y"), "year": year},
            )

        position = r.get("position")
        if not position:
            r.problem("position", _("Не указана должность."))
        elif len(position) > 200:
            r.problem("position", _("Значение длиннее %(n)d знаков.") % {"n": 200})
        staff_kind = None
        if r.get("staff_kind"):
            staff_kind = _choice(r.get("staff_kind"), _STAFF_KIND)
            if staff_kind is None:
                r.problem(
                    "staff_kind",
                    _("Категория «%(value)s» не распознана: ожидается «педагогический» или «руководящий».")
                    % {"value": r.get("staff_kind")},
                )
        elif position:
            staff_kind = Kind.MANAGEMENT if normalise(position).startswith(_MANAGEMENT_POSITIONS) else Kind.PEDAGOGICAL

        education_level, category, experience = read_qualifications(r)

        candidate, how = None, ""
        if organisation is not None and last and first:
            name = (normalise(last), normalise(first), normalise(middle))
            earlier = seen_names.setdefault((organisation.pk, *name, birth_date), number)
            if earlier != number:
                r.problem(
                    name_key,
                    _("Этот работник (то же ФИО и дата рождения) уже есть в строке %(row)d.") % {"row": earlier},
                )
            candidate, how = _match(people.get((organisation.pk, *name), []), birth_date)
            if candidate is not None:
                earlier = seen_people.setdefault((organisation.pk, candidate.pk), number)
                if earlier != number:
                    r.problem(
                        name_key,
                        _("С человеком %(person)s уже сопоставлена строка %(row)d.")
                        % {"person": candidate.label, "row": earlier},
                    )

        if r.failed:
            continue
        report.rows.append(
            RosterRow(
                row_number=number,
                organisation_id=organisation.pk,
                organisation_label=organisation.short_name,
                last_name=last,
                first_name=first,
                middle_name=middle,
                birth_date=birth_date,
                position=position,
                staff_kind=staff_kind,
                education_level=education_level,
                experience_years=experience,
                category=category,
                hired_on=hired_on,
                left_on=left_on,
                person_id=candidate.pk if candidate else None,
                match_note=(
                    _("сопоставлен с %(person)s (%(how)s)") % {"person": candidate.label, "how": how}
                    if candidate
                    else _("на портале не найден: новый человек на портале не создаётся")
                ),
            )
        )
    _check_database(report)
    report.problems.sort(key=lambda p: p.row_number)
    return report


def _check_database(report: RosterImportReport) -> None:
    """Workers already in the year's roster of their organisation: the same ФИО and birth date, or the same person."""
    if not report.rows:
        return
    names, people = set(), set()
    existing = StaffRosterEntry.objects.filter(
        year=report.year, organisation_id__in={row.organisation_id for row in report.rows}
    ).values_list("organisation_id", "last_name", "first_name", "middle_name", "birth_date", "person_id")
    for organisation_id, last, first, middle, birth_date, person_id in existing:
        names.add((organisation_id, normalise(last), normalise(first), normalise(middle), birth_date))
        if person_id:
            people.add((organisation_id, person_id))
    column = report.columns.get
    name_column = column("full_name") or column("last_name", "")
    for row in report.rows:
        key = (row.organisation_id, normalise(row.last_name), normalise(row.first_name), normalise(row.middle_name))
        if (*key, row.birth_date) in names or (row.person_id and (row.organisation_id, row.person_id) in people):
            report.problems.append(
                RowProblem(
                    row.row_number,
                    name_column,
                    _("%(name)s уже есть в кадровом составе «%(organisation)s» за %(year)d год.")
                    % {
                        "name": row.full_name,
                        "organisation": inner_quotes(row.organisation_label),
                        "year": report.year,
                    },
                )
            )


# --- Importing ----------------------------------------------------------------------------------------------


def staff_roster_import(*, file, municipality: Municipality, year: int) -> RosterImportReport:
    """Check every row and save them all, or save nothing and return the row-by-row report.

    `file` is an uploaded XLSX/CSV file or a Table already read from one (kept between the preview and the
    confirmation). A file that cannot be read raises FileProblem.
    """
    table = file if isinstance(file, Table) else staff_roster_read(file=file)
    report = staff_roster_check(table=table, municipality=municipality, year=year)
    if report.problems:
        return report
    entries = [
        StaffRosterEntry(
            organisation_id=row.organisation_id,
            year=year,
            last_name=row.last_name,
            first_name=row.first_name,
            middle_name=row.middle_name,
            birth_date=row.birth_date,
            position=row.position,
            staff_kind=row.staff_kind,
            is_teacher=roster_is_teacher(staff_kind=row.staff_kind, position=row.position),
            education_level=row.education_level,
            experience_years=row.experience_years,
            category=row.category,
            hired_on=row.hired_on,
            left_on=row.left_on,
            person_id=row.person_id,
        )
        for row in report.rows
    ]
    return save_imported(
        StaffRosterEntry,
        entries,
        report,
        _("Пока шла проверка, этих работников внесли в состав: загрузите файл ещё раз."),
    )


# --- The copy to the next year --------------------------------------------------------------------------------


class RosterCopyRefused(Exception):
    """The copy cannot be made; the message is for the coordinator."""


def staff_roster_copy_to_next_year(*, organisation: Organisation, year: int) -> int:
    """Copy the organisation's roster of `year` to `year + 1`: without those who left during `year` (left_on on or
    before 31 December), with a year more of experience. Refused when the next year already has a roster.
    Returns how many workers were copied; the coordinator then edits the changes of the new year."""
    with transaction.atomic():
        # The organisation's row lock keeps two copies of one roster from both passing the check below.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if StaffRosterEntry.objects.filter(organisation=organisation, year=year + 1).exists():
            raise RosterCopyRefused(
                _("В составе «%(organisation)s» за %(year)d год уже есть работники: перенос не выполнен.")
                % {"organisation": inner_quotes(organisation.short_name), "year": year + 1}
            )
        staying = (
            StaffRosterEntry.objects.filter(organisation=organisation, year=year)
            .exclude(left_on__lte=date(year, 12, 31))
            .order_by("pk")
        )
        copies = [
            StaffRosterEntry(
                organisation=organisation,
                year=year + 1,
                last_name=entry.last_name,
                first_name=entry.first_name,
                middle_name=entry.middle_name,
                birth_date=entry.birth_date,
                position=entry.position,
                staff_kind=entry.staff_kind,
                is_teacher=entry.is_teacher,
                education_level=entry.education_level,
                experience_years=None if entry.experience_years is None else entry.experience_years + 1,
                category=entry.category,
                hired_on=entry.hired_on,
                left_on=entry.left_on,
                person_id=entry.person_id,
            )
            for entry in staying
        ]
        if not copies:
            raise RosterCopyRefused(
                _("В составе «%(organisation)s» за %(year)d год нет работников, которых можно перенести.")
                % {"organisation": inner_quotes(organisation.short_name), "year": year}
            )
        StaffRosterEntry.objects.bulk_create(copies)
        rows_changed.send(sender=StaffRosterEntry)
    return len(copies)


# --- Personal data -------------------------------------------------------------------------------------------


def staff_roster_erase(person: Person) -> list[str]:
    """The person's roster rows stay (the year's staff numbers are the KPIs' denominators); their ФИО and birth
    date go, replaced as the person's own ФИО is (participants.services.erased_full_name)."""
    last, first = erased_full_name(person.pk)
    erased = StaffRosterEntry.objects.filter(person=person).update(
        last_name=last, first_name=first, middle_name="", birth_date=None
    )
    rows_changed.send(sender=StaffRosterEntry)
    return [_("Обезличены записи кадрового состава: %(n)d") % {"n": erased}] if erased else []
