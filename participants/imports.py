"""Reading a Google Form export (CSV or XLSX) and checking its rows before participants.services imports them.

Reading turns the file into a Table of strings (dates from XLSX as ISO text); checking maps the columns the
coordinator chose onto portal fields and returns ImportRow objects or a row-by-row list of problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import date_in_range
from core.import_templates import TemplateColumn
from core.tables import EXCEL_EPOCH, Table, columns_guess, normalise
from programs.models import EducationLevel, Organisation, Season, Subject
from programs.signals import rows_changed

from .models import Person, User
from .phones import PHONE_EXAMPLE, phone_is_valid
from .services import ImportRow, RowProblem, import_conflicts


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool = False


# The portal's fields in the order the mapping form shows them.
FIELDS = [
    ImportField("timestamp", gettext_lazy("Отметка времени (когда дано согласие)")),
    ImportField("email", gettext_lazy("Электронная почта"), required=True),
    ImportField("full_name", gettext_lazy("ФИО одним столбцом")),
    ImportField("last_name", gettext_lazy("Фамилия")),
    ImportField("first_name", gettext_lazy("Имя")),
    ImportField("middle_name", gettext_lazy("Отчество")),
    ImportField("birth_date", gettext_lazy("Дата рождения")),
    ImportField("phone", gettext_lazy("Телефон")),
    ImportField("organisation", gettext_lazy("Образовательная организация"), required=True),
    ImportField("position", gettext_lazy("Должность")),
    ImportField("subjects", gettext_lazy("Предметы")),
    ImportField("education_level", gettext_lazy("Уровень образования")),
    ImportField("experience_years", gettext_lazy("Педагогический стаж, лет")),
    ImportField("category", gettext_lazy("Квалификационная категория")),
    ImportField("preferred_format", gettext_lazy("Формат обучения")),
    ImportField("consent_personal_data", gettext_lazy("Согласие на обработку персональных данных"), required=True),
    ImportField("consent_rating", gettext_lazy("Согласие на публикацию в рейтинге")),
]
FIELD_LABELS = {f.key: f.label for f in FIELDS}

# The downloadable template's columns: a Google Form's usual headers, which guess_mapping recognises. The
# headers are the file's format, not interface text, so they stay as the reader knows them in any language.
TEMPLATE_COLUMNS = [
    TemplateColumn(
        "timestamp",
        "Отметка времени",
        False,
        "12.09.2024 14:35:12",
        gettext_lazy("Когда дано согласие; время — в часовом поясе сезона. Пусто — момент импорта."),
    ),
    TemplateColumn("email", "Адрес электронной почты", True, "ivanova@example.ru", gettext_lazy("Станет логином.")),
    TemplateColumn("last_name", "Фамилия", True, "Иванова", gettext_lazy("Или один столбец «ФИО».")),
    TemplateColumn("first_name", "Имя", True, "Мария"),
    TemplateColumn("middle_name", "Отчество", False, "Петровна"),
    TemplateColumn("birth_date", "Дата рождения", False, "12.04.1990", gettext_lazy("ДД.ММ.ГГГГ.")),
    TemplateColumn(
        "phone",
        "Телефон",
        False,
        PHONE_EXAMPLE,
        gettext_lazy("Цифрами, от 10 до 20 знаков: «+», пробелы, скобки, дефисы."),
    ),
    TemplateColumn(
        "organisation",
        "Образовательная организация",
        True,
        "МБОУ СОШ № 2",
        gettext_lazy("Краткое или полное название, как в справочнике организаций муниципалитета."),
    ),
    TemplateColumn("position", "Должность", False, "Учитель математики"),
    TemplateColumn(
        "subjects", "Предметы", False, "Математика; Информатика", gettext_lazy("Через «;» или «,», из справочника.")
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
    TemplateColumn(
        "preferred_format", "Формат обучения", False, "", gettext_lazy("Один из форматов дорожной карты сезона.")
    ),
    TemplateColumn(
        "consent_personal_data",
        "Согласие на обработку персональных данных",
        True,
        "Да",
        gettext_lazy("Без согласия строка не импортируется."),
    ),
    TemplateColumn("consent_rating", "Согласие на публикацию в рейтинге", False, "Да", gettext_lazy("Да или нет.")),
]


# --- Mapping ------------------------------------------------------------------------------------------

# For each field, header fragments that name it in typical Google Forms (normalised text), best first.
_GUESSES: list[tuple[str, list[str], list[str]]] = [
    ("timestamp", ["отметка времени", "timestamp", "дата заполнения"], []),
    ("consent_rating", ["рейтинг"], []),
    ("consent_personal_data", ["согласие", "персональн"], []),
    ("email", ["адрес электронной почты", "электронн", "email", "e-mail", "почта"], []),
    ("full_name", ["фио", "фамилия имя отчество", "фамилия, имя"], []),
    ("last_name", ["фамилия"], ["имя"]),
    ("middle_name", ["отчество"], ["имя"]),
    ("first_name", ["имя"], ["фамилия", "отчество"]),
    ("birth_date", ["дата рождения", "рожден"], []),
    ("phone", ["телефон", "phone"], []),
    ("organisation", ["образовательная организация", "организац", "место работы", "школа", "оу"], []),
    ("position", ["должност"], []),
    ("subjects", ["предмет"], []),
    ("education_level", ["уровень образования", "образование"], []),
    ("experience_years", ["стаж"], []),
    ("category", ["категори"], []),
    ("preferred_format", ["формат"], []),
]


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    """Which column holds each field, from typical Google Form headers; a column is used once."""
    return {f.key: None for f in FIELDS} | columns_guess(headers, _GUESSES)


# --- Values -------------------------------------------------------------------------------------------

_DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
_DATETIME_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _excel_serial(text: str) -> datetime | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if 1 <= number < 2958466:  # Excel's day numbers run to 31.12.9999
        return EXCEL_EPOCH + timedelta(days=number)
    return None


def _naive_datetime(text: str) -> datetime | None:
    text = re.sub(r"(\d{1,2}:\d{2}:\d{2})[.,]\d+", r"\1", text.strip())  # fractions of a second
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    return None


def parse_date(text: str) -> date:
    """dd.mm.yyyy, ISO, a date with a time, or an Excel day number; within the portal's bounds (core.dates)."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(text, fmt).date()
            break
        except ValueError:
            pass
    else:
        moment = _naive_datetime(text) or _excel_serial(text)
        if moment is None:
            raise ValueError(text)
        day = moment.date()
    if not date_in_range(day):
        raise ValueError(text)
    return day


def parse_timestamp(text: str, tz: ZoneInfo) -> datetime:
    """Google Forms writes «12.09.2024 14:35:12» in the form owner's zone: read it in the season's zone."""
    text = text.strip()
    moment = _naive_datetime(text)
    if moment is None:
        try:
            moment = datetime.combine(datetime.strptime(text, "%d.%m.%Y").date(), time(0))
        except ValueError:
            moment = _excel_serial(text)
    if moment is None:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(text) from exc
    if not date_in_range(moment):  # an aware year 1 overflows when saved in UTC
        raise ValueError(text)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, tz)


_EDUCATION = [
    (("высш", "бакалав", "магист", "специалитет"), EducationLevel.HIGHER),
    (("среднее проф", "средне-проф", "спо", "среднее спец", "средне-спец"), EducationLevel.SECONDARY_VOCATIONAL),
    (("среднее общее", "среднее"), EducationLevel.SECONDARY_GENERAL),
    (("друг", "иное"), EducationLevel.OTHER),
]
_CATEGORY = [
    (("высш",), Person.Category.HIGHEST),
    (("перв",), Person.Category.FIRST),
    (("соответств", "сзд"), Person.Category.CONFORMITY),
    (("без", "нет", "-", "—"), Person.Category.NONE),
]
_NO = ("нет", "не ", "не согл", "no", "false", "0", "отказ")


def _choice(text: str, table) -> str | None:
    value = normalise(text)
    for fragments, result in table:
        if any(value.startswith(f) or f" {f}" in f" {value}" for f in fragments):
            return result
    return None


class RowCells(Protocol):
    """A row being checked: its cells by column key, and where to report a cell's problem."""

    def get(self, key: str) -> str: ...

    def problem(self, key: str, message: str) -> None: ...


MAX_EXPERIENCE_YEARS = 70
_EXPERIENCE = re.compile(r"(?:стаж\s*:?\s*)?(\d+)(?:[.,]\d+)?\s*(?:г\.?|год|года|лет)?", re.IGNORECASE)


def read_qualifications(r: RowCells) -> tuple[str, str, int | None]:
    """The education level, qualification category and whole years of experience of a row — the registrations'
    form export and the staff roster both carry them; each unreadable cell is reported on its own column."""
    education_level = ""
    if r.get("education_level"):
        education_level = _choice(r.get("education_level"), _EDUCATION) or ""
        if not education_level:
            r.problem(
                "education_level",
                _("Уровень образования «%(value)s» не распознан: ожидается %(choices)s.")
                % {
                    "value": r.get("education_level"),
                    "choices": ", ".join(str(c.label).lower() for c in EducationLevel),
                },
            )
    category = Person.Category.NONE
    if r.get("category"):
        category = _choice(r.get("category"), _CATEGORY)
        if category is None:
            r.problem(
                "category",
                _("Категория «%(value)s» не распознана: ожидается высшая, первая, соответствие или без категории.")
                % {"value": r.get("category")},
            )
    experience = None
    if r.get("experience_years"):
        match = _EXPERIENCE.fullmatch(r.get("experience_years").strip())
        if match is None or int(match.group(1)) > MAX_EXPERIENCE_YEARS:
            r.problem(
                "experience_years",
                _("Стаж «%(value)s» — не число лет от 0 до %(max)d.")
                % {"value": r.get("experience_years"), "max": MAX_EXPERIENCE_YEARS},
            )
        else:
            experience = int(match.group(1))
    return education_level, category, experience


def save_imported(model, records: list, report, race_message: str):
    """Create every checked row in one transaction, or none: a unique clash with rows saved by someone else
    between the check and the import keeps nothing of the file and says so on the report (row 0)."""
    try:
        with transaction.atomic():
            model.objects.bulk_create(records, batch_size=1000)
            rows_changed.send(sender=model)
    except IntegrityError:
        report.problems.append(RowProblem(0, "", race_message))
        return report
    report.created = len(records)
    return report


def _yes(text: str) -> bool:
    value = normalise(text)
    return bool(value) and not value.startswith(_NO)


# --- Checking -----------------------------------------------------------------------------------------


@dataclass
class CheckResult:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def mapping_problems(mapping: dict[str, int | None]) -> list[str]:
    """What the chosen mapping lacks: the required fields and the name."""
    missing = [str(f.label) for f in FIELDS if f.required and mapping.get(f.key) is None]
    if mapping.get("full_name") is None and (mapping.get("last_name") is None or mapping.get("first_name") is None):
        missing.append(_("ФИО (одним столбцом или фамилия и имя отдельно)"))
    return missing


class _Row:
    """Collects one row's values and problems."""

    def __init__(self, table: Table, mapping: dict[str, int | None], number: int, cells: list[str]):
        self.table, self.mapping, self.number, self.cells = table, mapping, number, cells
        self.problems: list[RowProblem] = []

    def get(self, key: str) -> str:
        return " ".join(self.table.cell(self.cells, self.mapping.get(key)).split())

    def problem(self, key: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, key, message))


def _organisations(season: Season) -> dict[str, list[Organisation]]:
    index: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.filter(municipality_id=season.program.municipality_id):
        for name in {normalise(org.short_name), normalise(org.name)}:
            index.setdefault(name, []).append(org)
    return index


def _season_formats(season: Season) -> list[str]:
    formats: list[str] = []
    for module in season.modules.all():
        for f in module.learning_formats or []:
            if f not in formats:
                formats.append(f)
    return formats


def check_rows(
    *,
    table: Table,
    mapping: dict[str, int | None],
    season: Season,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> CheckResult:
    """Every row parsed and checked: formats, organisation, subjects, consent, duplicates within the file
    and against the database. Nothing is written. `progress` hears the number of rows checked so far, every
    `progress_every` rows (a background import's progress bar)."""
    result = CheckResult()
    organisations = _organisations(season)
    subjects = {normalise(s.name): s for s in Subject.objects.all()}
    formats = {normalise(f): f for f in _season_formats(season)}
    seen_emails: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    now = timezone.now()
    for checked, (number, cells) in enumerate(table.rows):
        if progress is not None and checked and checked % progress_every == 0:
            progress(checked)
        r = _Row(table, mapping, number, cells)

        email = r.get("email").lower()
        if not email:
            r.problem("email", _("Не указан адрес электронной почты."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                r.problem("email", _("«%(value)s» — не адрес электронной почты.") % {"value": email})
            else:
                if email in seen_emails:
                    r.problem(
                        "email",
                        _("Адрес %(email)s уже встречался в строке %(row)d.")
                        % {"email": email, "row": seen_emails[email]},
                    )
                else:
                    seen_emails[email] = number

        if mapping.get("full_name") is not None:
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

        birth_date = None
        if r.get("birth_date"):
            try:
                birth_date = parse_date(r.get("birth_date"))
            except ValueError:
                r.problem(
                    "birth_date",
                    _("«%(value)s» — не дата: пишите ДД.ММ.ГГГГ, например 12.04.1990.")
                    % {"value": r.get("birth_date")},
                )
            else:
                if not (date(1920, 1, 1) <= birth_date <= now.date() - timedelta(days=365 * 16)):
                    r.problem("birth_date", _("Дата рождения %(value)s невозможна.") % {"value": r.get("birth_date")})
                    birth_date = None
        if birth_date and last and first:
            key = (birth_date, normalise(last), normalise(first), normalise(middle))
            if key in seen_people:
                r.problem(
                    name_key,
                    _("Этот педагог с той же датой рождения уже есть в строке %(row)d.") % {"row": seen_people[key]},
                )
            else:
                seen_people[key] = number

        organisation = None
        org_text = r.get("organisation")
        if not org_text:
            r.problem("organisation", _("Не указана образовательная организация."))
        else:
            found = organisations.get(normalise(org_text), [])
            if len(found) == 1:
                organisation = found[0]
            elif not found:
                r.problem(
                    "organisation",
                    _("Организация «%(value)s» не найдена среди организаций муниципалитета «%(municipality)s».")
                    % {"value": org_text, "municipality": season.program.municipality},
                )
            else:
                r.problem(
                    "organisation",
                    _("Названию «%(value)s» соответствуют несколько организаций: укажите полное название.")
                    % {"value": org_text},
                )

        consent_at = now
        if r.get("timestamp"):
            try:
                consent_at = parse_timestamp(r.get("timestamp"), season.tz)
            except ValueError:
                r.problem(
                    "timestamp", _("«%(value)s» — не дата и время заполнения формы.") % {"value": r.get("timestamp")}
                )
        if not _yes(r.get("consent_personal_data")):
            r.problem(
                "consent_personal_data",
                _("Нет согласия на обработку персональных данных: без него импортировать нельзя."),
            )

        education_level, category, experience = read_qualifications(r)
        chosen_subjects = []
        for name in filter(None, (s.strip() for s in re.split(r"[,;/\n]", r.get("subjects")))):
            subject = subjects.get(normalise(name))
            if subject is None:
                r.problem("subjects", _("Предмета «%(value)s» нет в справочнике предметов.") % {"value": name})
            else:
                chosen_subjects.append(subject)
        preferred_format = r.get("preferred_format")
        if preferred_format and formats:
            if normalise(preferred_format) in formats:
                preferred_format = formats[normalise(preferred_format)]
            else:
                r.problem(
                    "preferred_format",
                    _("Формата «%(value)s» нет в дорожной карте сезона: %(choices)s.")
                    % {"value": preferred_format, "choices": "; ".join(formats.values())},
                )
        for key, limit in (("phone", 32), ("position", 200), ("preferred_format", 200)):
            if len(r.get(key)) > limit:
                r.problem(key, _("Значение длиннее %(n)d знаков.") % {"n": limit})
        if r.get("phone") and len(r.get("phone")) <= 32 and not phone_is_valid(r.get("phone")):
            # The registration form's rule (participants.phones): an imported teacher is no different.
            r.problem(
                "phone",
                _("Телефон «%(value)s» записан неверно: нужен номер цифрами, например %(example)s.")
                % {"value": r.get("phone"), "example": PHONE_EXAMPLE},
            )

        if r.problems:
            result.problems += r.problems
            continue
        result.rows.append(
            ImportRow(
                row_number=number,
                email=email,
                last_name=last,
                first_name=first,
                middle_name=middle,
                organisation=organisation,
                consent_at=consent_at,
                birth_date=birth_date,
                phone=r.get("phone"),
                position=r.get("position"),
                education_level=education_level,
                experience_years=experience,
                category=category,
                subjects=chosen_subjects,
                consent_rating=_yes(r.get("consent_rating")),
                preferred_format=preferred_format,
            )
        )
    # Addresses already on the portal are reported on every row, including rows with other mistakes.
    taken = set(
        User.objects.annotate(lower=Lower("email")).filter(lower__in=seen_emails).values_list("lower", flat=True)
    )
    for address in sorted(taken):
        result.problems.append(
            RowProblem(
                seen_emails[address], "email", _("Адрес %(email)s уже зарегистрирован на портале.") % {"email": address}
            )
        )
    for problem in import_conflicts(season=season, rows=result.rows):
        if problem not in result.problems:
            result.problems.append(problem)
    result.problems.sort(key=lambda p: p.row_number)
    return result


def column_title(key: str, mapping: dict[str, int | None], headers: list[str]) -> str:
    """The report names the file's own column where one was mapped, the portal field otherwise."""
    index = mapping.get(key)
    if key in ("full_name", "last_name") and index is None:
        index = mapping.get("full_name") if mapping.get("full_name") is not None else mapping.get("last_name")
    if index is not None and index < len(headers):
        return headers[index]
    return str(FIELD_LABELS.get(key, key)) if key else ""
