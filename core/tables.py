"""Reading an uploaded spreadsheet (CSV or XLSX) into a Table of strings, and keeping that table between the
upload and its import.

Every import (a registration form's export, the professional-development register, the staff roster, the
attendance sheet) reads its file here: the size, format, encoding and zip-bomb checks are said once, and a
problem with the file is a FileProblem whose message is for the person who uploaded it. What the columns mean
is the importing app's business.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from .spreadsheet_reader import ReadLimits, SpreadsheetRefused, csv_rows, xlsx_rows

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
# Rows above the data a sheet may hold: the header and a title or two (read within the sheet's row limit).
HEADER_ROWS = 20
XLSX_MAGIC = b"PK\x03\x04"
# Parts every XLSX workbook holds, and how large its unpacked parts may be together.
XLSX_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
EXCEL_EPOCH = datetime(1899, 12, 30)


class FileProblem(Exception):
    """The file cannot be read at all; the message is for the person who uploaded it."""


@dataclass
class Table:
    headers: list[str]
    # (row number in the spreadsheet, cells as text), empty rows left out.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"headers": self.headers, "rows": [[n, cells] for n, cells in self.rows]}

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        return cls(headers=list(data["headers"]), rows=[(int(n), list(cells)) for n, cells in data["rows"]])

    def cell(self, cells: list[str], index: int | None) -> str:
        if index is None or index >= len(cells):
            return ""
        return cells[index]


# --- The table between an upload and its import ------------------------------------------------------------
# A 20,000-row file is megabytes of JSON: kept in the session it would be read back on every admin request
# until the import ends (or forever, if abandoned). It waits in private storage instead; the session holds its
# name. Stale ones are removed by the nightly pruning job.
PREVIEW_DIR = "import-previews"
_PREVIEW_NAME = re.compile(rf"^{PREVIEW_DIR}/[0-9a-f]{{32}}\.json$")


def table_stash(table: Table) -> str:
    """Store the table privately; returns the name to keep in the session."""
    payload = json.dumps(table.to_dict(), ensure_ascii=False).encode()
    return default_storage.save(f"{PREVIEW_DIR}/{uuid.uuid4().hex}.json", ContentFile(payload))


def table_unstash(name: str | None) -> Table | None:
    """The stored table, or None when the name is not one of ours or the file is gone (pruned, imported)."""
    if not name or not _PREVIEW_NAME.match(name):
        return None
    try:
        with default_storage.open(name, "rb") as stored:
            return Table.from_dict(json.loads(stored.read()))
    except (FileNotFoundError, OSError, ValueError, KeyError):
        return None


def table_discard(name: str | None) -> None:
    if name and _PREVIEW_NAME.match(name):
        default_storage.delete(name)


def stashed_tables_prune(*, now: datetime, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete previews left by imports nobody finished; returns how many."""
    try:
        _dirs, files = default_storage.listdir(PREVIEW_DIR)
    except FileNotFoundError:
        return 0
    deleted = 0
    for file_name in files:
        name = f"{PREVIEW_DIR}/{file_name}"
        if _PREVIEW_NAME.match(name) and default_storage.get_modified_time(name) < now - older_than:
            default_storage.delete(name)
            deleted += 1
    return deleted


def normalise(text: str) -> str:
    """Case, «ё», quotes, «№ 5» / «№5» and extra spaces do not make two names different."""
    text = str(text).casefold().replace("ё", "е")
    text = re.sub(r"[«»\"'“”„‘’`]", "", text)
    text = re.sub(r"№\s*", "№ ", text)
    return " ".join(text.split()).strip(" .,;")


# --- Reading ------------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(raw_rows, max_rows: int = MAX_ROWS) -> Table:
    """The Table of (row number, values) pairs: the first filled row names the columns."""
    headers: list[str] | None = None
    rows = []
    for number, raw in raw_rows:
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue
        if headers is None:
            headers = [c or _("Столбец %(n)d") % {"n": i + 1} for i, c in enumerate(cells)]
            continue
        rows.append((number, cells))
        if len(rows) > max_rows:
            raise FileProblem(_("В файле больше %(n)d строк: разделите его на части.") % {"n": max_rows})
    if headers is None:
        raise FileProblem(_("Файл пуст: в нём нет ни строки заголовков, ни данных."))
    if not rows:
        raise FileProblem(_("В файле есть только заголовки, а строк с данными нет."))
    return Table(headers=headers, rows=rows)


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise FileProblem(_("Не удалось прочитать текст файла: сохраните CSV в кодировке UTF-8.")) from exc


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (more than one) of columns."""
    sample = text.splitlines()[:20]
    best, best_score = ",", (False, 0)
    for delimiter in (",", ";", "\t"):
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(c.strip() for c in r)]
        if not widths:
            continue
        score = (len(set(widths)) == 1 and widths[0] > 1, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(raw: bytes, max_rows: int = MAX_ROWS) -> Table:
    if b"\x00" in raw[:4096]:
        raise FileProblem(_("Файл не похож на CSV: внутри двоичные данные."))
    text = _decode(raw)
    try:
        return _table(csv_rows(text, delimiter=_delimiter(text), limits=_limits(max_rows)), max_rows)
    except SpreadsheetRefused as exc:
        raise FileProblem(exc.message) from exc


def _check_xlsx_structure(raw: bytes) -> None:
    """A workbook is a zip holding the parts every XLSX has; its unpacked size is capped before openpyxl reads
    it, so a small file that unpacks into gigabytes (a zip bomb) is refused. The declared sizes bind: Python's
    zipfile never returns more bytes of a member than its directory entry states."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise FileProblem(_("Не удалось открыть книгу Excel: файл повреждён.")) from exc
    names = {m.filename for m in members}
    if not XLSX_PARTS <= names:
        raise FileProblem(_("Файл — ZIP-архив, но не книга Excel (XLSX): сохраните таблицу в формате .xlsx или CSV."))
    if sum(m.file_size for m in members) > MAX_UNPACKED_SIZE:
        raise FileProblem(
            _("Книга Excel в распакованном виде больше %(max)d МБ: разделите её на части или сохраните как CSV.")
            % {"max": MAX_UNPACKED_SIZE // 1024 // 1024}
        )


def _read_xlsx(raw: bytes, max_rows: int = MAX_ROWS, formulas_as_text: bool = False) -> Table:
    if not raw.startswith(XLSX_MAGIC):
        raise FileProblem(_("Файл не является книгой Excel (XLSX): он повреждён или это файл другого типа."))
    _check_xlsx_structure(raw)
    try:
        return _table(xlsx_rows(raw, limits=_limits(max_rows), formulas_as_text=formulas_as_text), max_rows)
    except SpreadsheetRefused as exc:
        raise FileProblem(exc.message) from exc


def _limits(max_rows: int) -> ReadLimits:
    # The header and a few title lines above it come on top of the data rows an import takes.
    return ReadLimits.from_settings(rows=max_rows + HEADER_ROWS)


def read_table(uploaded, *, max_rows: int = MAX_ROWS, formulas_as_text: bool = False) -> Table:
    """Read an uploaded CSV (UTF-8 with or without BOM, or Windows-1251; «,» «;» or tab) or XLSX file."""
    name = (getattr(uploaded, "name", "") or "").lower()
    if uploaded.size > MAX_FILE_SIZE:
        raise FileProblem(
            _("Файл слишком большой: %(size).1f МБ, допускается не больше %(max)d МБ.")
            % {"size": uploaded.size / 1024 / 1024, "max": MAX_FILE_SIZE // 1024 // 1024}
        )
    if name.endswith(".xls"):
        raise FileProblem(_("Старый формат Excel (.xls) не поддерживается: сохраните файл как .xlsx или CSV."))
    if not name.endswith((".csv", ".xlsx", ".txt")):
        raise FileProblem(_("Поддерживаются файлы CSV и XLSX (выгрузка Google Формы)."))
    raw = uploaded.read(MAX_FILE_SIZE + 1)
    if not raw:
        raise FileProblem(_("Файл пуст."))
    if len(raw) > MAX_FILE_SIZE:
        raise FileProblem(
            _("Файл слишком большой: допускается не больше %(max)d МБ.") % {"max": MAX_FILE_SIZE // 1024 // 1024}
        )
    if name.endswith(".xlsx") or raw.startswith(XLSX_MAGIC):
        return _read_xlsx(raw, max_rows, formulas_as_text)
    return _read_csv(raw, max_rows)


# --- Columns ------------------------------------------------------------------------------------------------


def read_register(
    uploaded,
    *,
    max_rows: int,
    search_rows: int,
    missing: Callable[[list[str]], list[str]],
    not_found: str,
) -> Table:
    """An uploaded XLSX or CSV register kept by hand: the header row is the first of the first `search_rows` rows
    for which `missing(headers)` names no column the import needs (a title line or two above it is common);
    FileProblem otherwise, `not_found` (with %(missing)s) naming what is missing from the first row."""
    name = (getattr(uploaded, "name", "") or "").lower()
    if name.endswith(".xls"):
        raise FileProblem(_("Старый формат Excel (.xls) не поддерживается: сохраните файл как .xlsx или CSV."))
    if not name.endswith((".xlsx", ".csv")):
        raise FileProblem(_("Загрузите таблицу Excel (.xlsx) или CSV: файлы другого типа не принимаются."))
    table = read_table(uploaded, max_rows=max_rows, formulas_as_text=True)
    candidates = [(0, table.headers)] + [(i + 1, cells) for i, (_n, cells) in enumerate(table.rows[:search_rows])]
    for skip, headers in candidates:
        if not missing(headers):
            rows = table.rows[skip:]
            if not rows:
                raise FileProblem(_("В файле есть только заголовки, а строк с данными нет."))
            return Table(headers=list(headers), rows=rows)
    raise FileProblem(str(not_found) % {"missing": "», «".join(missing(table.headers))})


def columns_guess(headers: list[str], guesses: list[tuple[str, list[str], list[str]]]) -> dict[str, int]:
    """Which column holds each field, from the headers; a column is used once. `guesses` are (field, header
    fragments that name it — normalised, best first, fragments that rule a header out), in the order fields
    choose their column."""
    normalised = [normalise(h) for h in headers]
    found: dict[str, int] = {}
    used: set[int] = set()
    for key, wanted, unless in guesses:
        for fragment in wanted:
            index = next(
                (
                    i
                    for i, h in enumerate(normalised)
                    if i not in used
                    and (h == fragment or re.search(rf"(^|\W){re.escape(fragment)}", h))
                    and not any(u in h for u in unless)
                ),
                None,
            )
            if index is not None:
                found[key] = index
                used.add(index)
                break
    return found
