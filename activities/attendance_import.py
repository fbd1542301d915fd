"""Reading a video meeting's attendance export (Zoom, Яндекс Телемост, Сферум / VK Звонки) as CSV.

Reading turns the file into rows of a name, an e-mail and the earliest join time per person; matching
them with a session's participants is activities.services.attendance_import's work. A file that cannot
be read raises ValidationError with every problem found, row by row, so nothing is saved from it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.spreadsheet_reader import ReadLimits, SpreadsheetRefused, csv_rows

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Rows with problems listed in the error before "and N more".
ERRORS_SHOWN = 20

# Header cells, lower-cased, «ё» as «е», spaces collapsed. Zoom in Russian and English, Телемост, Сферум.
NAME_HEADERS = {
    "имя (настоящее имя)",
    "имя (исходное имя)",
    "name (original name)",
    "name",
    "имя",
    "имя участника",
    "участник",
    "participant",
    "фио",
    "full name",
    "полное имя",
    "пользователь",
    "user",
    "user name",
    "display name",
    "отображаемое имя",
}
EMAIL_HEADERS = {
    "электронная почта",
    "электронная почта пользователя",
    "адрес электронной почты",
    "user email",
    "email",
    "e-mail",
    "почта",
    "email address",
}
JOIN_HEADERS = {
    "время входа",
    "join time",
    "время подключения",
    "подключился",
    "подключение",
    "вход",
    "joined",
    "joined at",
    "first join",
    "время первого входа",
}
DURATION_HEADERS = {
    "продолжительность (минуты)",
    "продолжительность (мин)",
    "продолжительность",
    "длительность",
    "длительность (мин)",
    "duration (minutes)",
    "duration",
}

_DATETIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",  # Zoom, English
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",  # Zoom and Телемост, Russian
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y, %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
)
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
_SPACES = re.compile(r"\s+")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_NOT_A_LETTER = re.compile(r"[^\w\s-]", re.UNICODE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ExportRow:
    """One person of the export; several rows of a person who rejoined are folded into one."""

    number: int  # the first row of the file they appear on, counting from 1 as a spreadsheet does
    name: str
    email: str
    # Aware, in the season's zone; None when the export has no join time column or the cell is empty.
    joined_at: datetime | None
    minutes: int | None


def _header_key(cell: str) -> str:
    return _SPACES.sub(" ", cell.replace("\ufeff", "").strip().lower().replace("ё", "е"))


def normalise_name(text: str) -> str:
    """Lower case, «ё» as «е», punctuation dropped, single spaces: the form names are compared in."""
    text = text.lower().replace("ё", "е")
    text = _NOT_A_LETTER.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def name_variants(text: str) -> list[str]:
    """A Zoom name «Мария (Иванова Мария Петровна)» is a display name and an original one: try both."""
    variants = []
    inside = [m.strip() for m in _PARENTHESES.findall(text) if m.strip()]
    outside = _PARENTHESES.sub(" ", text).strip()
    for candidate in [outside, *inside, text]:
        key = normalise_name(candidate)
        if key and key not in variants:
            variants.append(key)
    return variants


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves Russian CSV in cp1251; every byte decodes, so check the text looks like text.
        text = raw.decode("cp1251", errors="replace")
        if "\ufffd" in text:
            raise ValidationError(
                _("Не удалось прочитать кодировку файла. Сохраните отчёт как CSV в UTF-8 или Windows-1251.")
            ) from None
        return text


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", ",", "\t")}
        return max(counts, key=counts.get)


def _parse_moment(value: str, tz: ZoneInfo, near: datetime) -> datetime:
    value = _SPACES.sub(" ", value.strip())
    for fmt in _DATETIME_FORMATS:
        try:
            naive = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=tz)
    for fmt in _TIME_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt).time()
        except ValueError:
            continue
        # A time without a date is taken on the day that puts it nearest the session's start: a meeting
        # that began at 23:45 and was joined at 00:15 was joined the next day.
        local = near.astimezone(tz)
        moment = datetime.combine(local.date(), time(parsed.hour, parsed.minute, parsed.second), tzinfo=tz)
        if moment - local > timedelta(hours=12):
            moment -= timedelta(days=1)
        elif local - moment > timedelta(hours=12):
            moment += timedelta(days=1)
        return moment
    raise ValueError(value)


def _parse_minutes(value: str) -> int:
    value = value.strip().replace(",", ".")
    if ":" in value:  # «1:25:00» or «85:00»
        parts = [int(p) for p in value.split(":")]
        if len(parts) == 3:
            return parts[0] * 60 + parts[1]
        return parts[0]
    return int(float(value))


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The index of the participants' header row and the columns it names.

    Zoom puts a meeting block first whose header has «User Email» (the host's) but no name: a row naming a
    name column wins, and one with only an e-mail column is taken when no row names a name.
    """
    email_only = None
    for index, row in enumerate(rows[:50]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = _header_key(cell)
            for kind, headers in (
                ("name", NAME_HEADERS),
                ("email", EMAIL_HEADERS),
                ("join", JOIN_HEADERS),
                ("minutes", DURATION_HEADERS),
            ):
                if key in headers and kind not in columns:
                    columns[kind] = position
        if "name" in columns:
            return index, columns
        if "email" in columns and email_only is None:
            email_only = (index, columns)
    if email_only is not None:
        return email_only
    raise ValidationError(
        _(
            "В файле не найден столбец с именем участника или электронной почтой. Загрузите отчёт об участниках "
            "видеовстречи (например, «Участники» в Zoom) в формате CSV."
        )
    )


def read_attendance_export(file, *, tz: ZoneInfo, near: datetime) -> list[ExportRow]:
    """The people of an attendance export, one row each, in the order they first appear.

    Every time is read in the season's zone `tz`; a time-only join time is taken on the day that puts it
    nearest `near` (the session's start).
    """
    raw = file.read(MAX_BYTES + 1)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not raw.strip():
        raise ValidationError(_("Файл пуст."))
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("Файл больше 2 МБ: это не похоже на отчёт об участниках одной встречи."))
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(_("Это не текстовый файл CSV. Выгрузите отчёт об участниках в формате CSV."))
    text = _decode(raw)
    try:
        # Bounded by the shared reader (rows, cells per row, line length), then by what one meeting may hold.
        numbered = list(csv_rows(text, delimiter=_delimiter(text), limits=ReadLimits.from_settings(rows=MAX_ROWS)))
    except SpreadsheetRefused as exc:
        raise ValidationError(exc.message) from None
    rows = [cells for _number, cells in numbered]
    header_index, columns = _find_header(rows)

    errors: list[str] = []
    people: dict[str, ExportRow] = {}
    for number, row in numbered[header_index + 1 :]:

        def cell(kind: str, row=row) -> str:
            position = columns.get(kind)
            return row[position].strip() if position is not None and position < len(row) else ""

        name, email = cell("name"), cell("email").lower()
        if not name and not email:
            errors.append(_("Строка %(n)s: нет ни имени, ни электронной почты.") % {"n": number})
            continue
        if email and not _EMAIL.match(email):
            email = ""  # Телемост writes «—» for guests; the name is still worth matching
        joined_at = None
        if cell("join"):
            try:
                joined_at = _parse_moment(cell("join"), tz, near)
            except ValueError:
                errors.append(
                    _("Строка %(n)s: время входа «%(value)s» не распознано.") % {"n": number, "value": cell("join")}
                )
                continue
        minutes = None
        if cell("minutes"):
            try:
                minutes = _parse_minutes(cell("minutes"))
            except ValueError:
                errors.append(
                    _("Строка %(n)s: продолжительность «%(value)s» не распознана.")
                    % {"n": number, "value": cell("minutes")}
                )
                continue
        key = email or f"name:{normalise_name(name)}"
        known = people.get(key)
        if known is None:
            people[key] = ExportRow(number, name, email, joined_at, minutes)
            continue
        # The same person rejoined: the first join counts, the minutes add up.
        if joined_at is not None and (known.joined_at is None or joined_at < known.joined_at):
            known.joined_at = joined_at
        if minutes is not None:
            known.minutes = (known.minutes or 0) + minutes
        known.name = known.name or name

    if errors:
        shown = errors[:ERRORS_SHOWN]
        if len(errors) > ERRORS_SHOWN:
            shown.append(_("…и ещё строк с ошибками: %(n)s.") % {"n": len(errors) - ERRORS_SHOWN})
        raise ValidationError(shown)
    if not people:
        raise ValidationError(_("В файле нет ни одного участника: после заголовка таблицы строк нет."))
    return list(people.values())
