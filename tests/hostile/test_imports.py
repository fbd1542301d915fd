"""The spreadsheet imports under hostile input: files of any content, name and size (registrations from a Google
Form, professional development), XLSX that are not workbooks or unpack into gigabytes, and cells of any text.
Never a 500; a refusal says why in Russian; a refused import saves nothing; markup in a cell stays text."""

import csv
import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from core import tables
from core.tables import FileProblem
from participants.models import ProfessionalDevelopment, User
from participants.services_pd import professional_development_import
from programs.models import Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory, SeasonFactory, SubjectFactory, UserFactory
from tests.hostile.helpers import (
    IMG,
    SCRIPT,
    assert_escaped,
    assert_russian,
    form_errors,
    hostile_date,
    hostile_number,
    hostile_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db
UPLOAD = reverse("admin:participants_enrollment_import")
MAPPING = reverse("admin:participants_enrollment_import_mapping")
PD_UPLOAD = reverse("admin:participants_pd_import")
REGISTRATION_MODELS = ("participants.User", "participants.Person", "participants.Enrollment", "participants.Consent")
HEADERS = [
    "Отметка времени",
    "Адрес электронной почты",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Образовательная организация",
    "Предмет",
    "Стаж",
    "Согласие на обработку персональных данных",
]
GOOD_ROW = [
    "12.09.2024 14:35:12",
    "ivanova@school.ru",
    "Иванова",
    "Мария",
    "Петровна",
    "17.05.1985",
    "МБОУ СОШ № 5",
    "Математика",
    "12",
    "Даю согласие",
]


@pytest.fixture
def season():
    season = SeasonFactory(requires_approval=True)
    Organisation.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "МБОУ СОШ № 5"}
    )
    SubjectFactory(name="Математика")
    return season


@pytest.fixture
def coordinator(client, season):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    codenames = ["view_enrollment", "change_enrollment", "add_enrollment", "add_person"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="participants", codename__in=codenames))
    client.force_login(user)
    return client


def _csv(rows, headers=HEADERS, delimiter=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [headers, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _import(client):
    """Post the guessed mapping with the import button."""
    form = client.get(MAPPING).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["import"] = "1"
    return client.post(MAPPING, data)


NOT_WORKBOOKS = [
    (b"PK\x03\x04" + bytes(100), "responses.xlsx"),  # a zip header and nothing behind it
    (_zip({"hello.txt": b"hi"}), "responses.xlsx"),  # a zip, but no workbook parts
    (_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "responses.xlsx"),  # a .docx
    (b"MZ\x90\x00" + bytes(200), "responses.xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "responses.xls"),
    (b"%PDF-1.4\n", "responses.csv"),
    (b"\x00\x01\x02" * 50, "responses.csv"),
    (b"", "responses.csv"),
    (b"a,b\n", "responses.csv"),  # headers only
    ("Фамилия\n".encode("utf-16"), "responses.csv"),
    (b"a,b\n1,2\n", "responses.exe"),
]


@pytest.mark.parametrize(("content", "name"), NOT_WORKBOOKS)
def test_a_file_that_is_not_a_table_is_refused_in_russian(coordinator, season, content, name):
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert_russian(response.context["form"].errors["file"])


def test_a_zip_bomb_is_refused_before_openpyxl_unpacks_it():
    parts = {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/sharedStrings.xml": b"<sst>" + b" " * (tables.MAX_UNPACKED_SIZE + 1) + b"</sst>",
    }
    bomb = _zip(parts)
    assert len(bomb) < tables.MAX_FILE_SIZE  # small on the wire
    with pytest.raises(FileProblem, match="в распакованном виде больше 100 МБ"):
        tables.read_table(SimpleUploadedFile("bomb.xlsx", bomb))


def test_a_spreadsheet_past_the_cap_is_cut_off_while_it_arrives(coordinator, season):
    big = b"a,b\n" + b"x" * tables.MAX_FILE_SIZE
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Файл больше допустимых 5 МБ; загрузка остановлена."]
    assert response.context["form"]["season"].value() == str(season.pk)  # what was chosen is kept


def test_a_professional_development_file_past_the_cap_is_cut_off_while_it_arrives(admin_client):
    municipality = MunicipalityFactory()
    big = SimpleUploadedFile("dpo.csv", b"a;b\n" + b"x" * tables.MAX_FILE_SIZE)
    response = admin_client.post(PD_UPLOAD, {"municipality": municipality.pk, "file": big})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Файл больше допустимых 5 МБ; загрузка остановлена."]


@given(content=st.binary(max_size=500), name=st.sampled_from(["r.csv", "r.xlsx", "r.txt", "<b>.csv", "r"]))
def test_hostile_bytes_are_answered(coordinator, season, content, name):
    with rolled_back():
        response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile(name, content)})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))


CELL = {
    0: st.one_of(hostile_date(), st.just(GOOD_ROW[0])),
    1: st.one_of(hostile_text(30), st.emails().map(str)),
    2: hostile_text(),
    3: hostile_text(),
    4: hostile_text(),
    5: hostile_date(),
    6: st.one_of(hostile_text(), st.just(GOOD_ROW[6])),
    7: st.one_of(hostile_text(), st.just("Математика; <b>Физика</b>")),
    8: hostile_number(),
    9: st.one_of(hostile_text(12), st.just("Даю согласие")),
}
ROW = st.fixed_dictionaries({}, optional=CELL).map(lambda changes: [changes.get(i, v) for i, v in enumerate(GOOD_ROW)])


@given(rows=st.lists(ROW, min_size=1, max_size=3), kind=st.sampled_from(["csv", "xlsx"]))
def test_hostile_cells_are_imported_whole_or_not_at_all(coordinator, season, rows, kind):
    # The XLSX writer refuses control characters in a cell; such a file cannot be made, so it is CSV then.
    writable = kind == "xlsx" and not any(
        any(ord(ch) < 32 and ch not in "\t\n\r" for ch in cell) for row in rows for cell in row
    )
    content, name = (_xlsx(rows), "r.xlsx") if writable else (_csv(rows), "r.csv")
    with rolled_back():
        before = row_counts(REGISTRATION_MODELS)
        uploaded = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile(name, content)})
        assert uploaded.status_code in (200, 302)
        if uploaded.status_code == 200:
            assert_russian(form_errors(uploaded))
            return
        assert coordinator.get(MAPPING).status_code == 200
        response = _import(coordinator)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert row_counts(REGISTRATION_MODELS) == before
        else:
            assert row_counts(REGISTRATION_MODELS)["participants.Person"] == before["participants.Person"] + len(rows)


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_a_cell_is_text_in_the_preview(coordinator, season, payload):
    row = list(GOOD_ROW)
    row[2], row[6] = payload, payload  # the organisation is unknown: the report quotes the cell
    assert (
        coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("r.csv", _csv([row]))})["Location"]
        == MAPPING
    )
    assert_escaped(coordinator.get(MAPPING).content.decode(), payload)


# --- Professional development ----------------------------------------------------------------------------

PD_HEADERS = ["ФИО", "E-mail", "Дата рождения", "Программа (курс)", "Организация-провайдер", "Количество часов"]
PD_HEADERS += ["Дата начала", "Дата окончания", "Программа из Федерального реестра (да/нет)", "Номер удостоверения"]
PD_ROW = ["Смирнова Анна Сергеевна", "anna@school.ru", "17.05.1985", "Функциональная грамотность", "ИРО", "72"]
PD_ROW += ["01.02.2025", "28.02.2025", "да", "7700-1"]
PD_CELL = {
    0: hostile_text(),
    1: hostile_text(30),
    2: hostile_date(),
    3: hostile_text(),
    4: hostile_text(),
    5: hostile_number(),
    6: hostile_date(),
    7: hostile_date(),
    8: hostile_text(8),
    9: hostile_text(20),
}
PD_ROWS = st.lists(
    st.fixed_dictionaries({}, optional=PD_CELL).map(lambda c: [c.get(i, v) for i, v in enumerate(PD_ROW)]),
    min_size=1,
    max_size=3,
)


@pytest.fixture
def municipality():
    municipality = MunicipalityFactory()
    from tests.factories import PersonFactory

    PersonFactory(
        last_name="Смирнова",
        first_name="Анна",
        middle_name="Сергеевна",
        organisation=OrganisationFactory(municipality=municipality),
        user=None,
        email="anna@school.ru",
    )
    return municipality


@given(rows=PD_ROWS)
def test_hostile_professional_development_rows_are_saved_whole_or_not_at_all(municipality, rows):
    with rolled_back():
        before = ProfessionalDevelopment.objects.count()
        try:
            report = professional_development_import(
                file=SimpleUploadedFile("dpo.csv", _csv(rows, headers=PD_HEADERS, delimiter=";")),
                municipality=municipality,
                by=None,
            )
        except FileProblem as exc:
            assert_russian([str(exc)])
            assert ProfessionalDevelopment.objects.count() == before
            return
        if report.problems:
            assert_russian(report.lines())
            assert ProfessionalDevelopment.objects.count() == before
        else:
            assert ProfessionalDevelopment.objects.count() == before + len(rows)


def test_a_formula_in_a_professional_development_file_is_read_as_its_text(municipality):
    row = list(PD_ROW)
    row[3] = '=HYPERLINK("http://evil.example/","Курс")'
    report = professional_development_import(
        file=SimpleUploadedFile("dpo.xlsx", _xlsx([row], headers=PD_HEADERS)), municipality=municipality, by=None
    )
    assert not report.problems
    assert ProfessionalDevelopment.objects.get().course_title == row[3]


# --- Spreadsheets whose size is a lie: bounded reading (docs/decisions/0004) ----------------------------------
# Workbooks written by hand, part by part, as an attacker would: a dimension of the whole Excel grid, a lone row
# numbered 1048576, a cell in column XFD with no dimension at all, 25,000 rows with no dimension. openpyxl padded
# every row of such a sheet to 16,384 columns and every missing row up to the last; each is refused in Russian
# before or at the first row or cell past the limits, and the reader never produces more than the limits allow.

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_HAND_PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
        '<sheets><sheet name="Ответы на форму" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _hand_xlsx(sheet_data: str, dimension: str | None = None) -> bytes:
    """A workbook of raw XML parts: one sheet «Ответы на форму» with `sheet_data` and, if given, a dimension."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">{declared}<sheetData>{sheet_data}</sheetData></worksheet>'
    return _zip(
        {**{name: xml.encode() for name, xml in _HAND_PARTS.items()}, "xl/worksheets/sheet1.xml": sheet.encode()}
    )


def _header_row() -> str:
    from openpyxl.utils import get_column_letter

    return '<row r="1">' + "".join(_cell(f"{get_column_letter(i)}1", h) for i, h in enumerate(HEADERS, 1)) + "</row>"


def _good_row(number: int) -> str:
    from openpyxl.utils import get_column_letter

    cells = list(GOOD_ROW)
    cells[1] = f"teacher{number}@school.ru"
    return (
        f'<row r="{number}">'
        + "".join(_cell(f"{get_column_letter(i)}{number}", v) for i, v in enumerate(cells, 1))
        + "</row>"
    )


DIMENSION_BOMB = _hand_xlsx(
    _header_row() + _good_row(2) + '<row r="1048576">' + _cell("A1048576", "x") + "</row>", "A1:XFD1048576"
)
LAST_ROW = _hand_xlsx(_header_row() + _good_row(2) + '<row r="1048576">' + _cell("A1048576", "x") + "</row>")
COLUMN_XFD = _hand_xlsx(
    _header_row() + '<row r="2">' + _cell("A2", "ivanova@school.ru") + _cell("XFD2", "x") + "</row>"
)
ROWS_25000 = _hand_xlsx(
    _header_row() + "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 25_001))
)

BOUNDED_LIMITS = {"IMPORT_MAX_ROWS": 20_000, "IMPORT_MAX_COLUMNS": 50}
# Below the registration import's own 5,000 data rows, so that the sheet's bound is what refuses a long file.
NARROW_LIMITS = {"IMPORT_MAX_ROWS": 1_000, "IMPORT_MAX_COLUMNS": 50}
SPREADSHEET_BOMBS = [
    pytest.param(
        DIMENSION_BOMB,
        "В листе «Ответы на форму» объявлено 1\u00a0048\u00a0576 строк и 16\u00a0384 столбца; импорт принимает не более "
        "1\u00a0000 строк и 50 столбцов. Удалите пустые строки и столбцы и сохраните файл заново.",
        id="dimension-A1:XFD1048576",
    ),
    pytest.param(
        LAST_ROW,
        "В листе «Ответы на форму» заполнена строка 1\u00a0048\u00a0576; импорт принимает не более 1\u00a0000 строк и "
        "50 столбцов. Удалите лишние строки (в том числе пустые, но оформленные) и сохраните файл заново.",
        id="row-1048576",
    ),
    pytest.param(
        COLUMN_XFD,
        "В листе «Ответы на форму» в строке 2 заполнен столбец XFD; импорт принимает не более 1\u00a0000 строк и "
        "50 столбцов. Удалите лишние столбцы (в том числе пустые, но оформленные) и сохраните файл заново.",
        id="column-XFD-no-dimension",
    ),
    pytest.param(
        ROWS_25000,
        "В листе «Ответы на форму» заполнена строка 1\u00a0001; импорт принимает не более 1\u00a0000 строк и "
        "50 столбцов. Удалите лишние строки (в том числе пустые, но оформленные) и сохраните файл заново.",
        id="25000-rows-no-dimension",
    ),
]


def test_the_dimension_bomb_is_small_on_the_wire_and_passes_the_unpacked_size_check():
    assert len(DIMENSION_BOMB) < 2048
    tables._check_xlsx_structure(DIMENSION_BOMB)  # not a zip bomb: the bounded reader is what stops it


@pytest.mark.parametrize(("content", "message"), SPREADSHEET_BOMBS)
def test_a_spreadsheet_past_the_bounds_is_refused_in_russian_and_nothing_is_written(
    coordinator, season, settings, content, message
):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = NARROW_LIMITS.values()
    before = row_counts(REGISTRATION_MODELS)
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("form.xlsx", content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert row_counts(REGISTRATION_MODELS) == before
    assert "participants.enrollment_import" not in coordinator.session  # nothing staged for a preview
    assert coordinator.get(MAPPING)["Location"] == UPLOAD


@pytest.mark.parametrize("content", [p.values[0] for p in SPREADSHEET_BOMBS])
def test_a_professional_development_file_past_the_bounds_is_refused(admin_client, settings, content):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = BOUNDED_LIMITS.values()
    response = admin_client.post(
        PD_UPLOAD, {"municipality": MunicipalityFactory().pk, "file": SimpleUploadedFile("dpo.xlsx", content)}
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert error.startswith("В листе «Ответы на форму»") and "не более 20\u00a0000 строк и 50 столбцов" in error
    assert ProfessionalDevelopment.objects.count() == 0


@pytest.mark.parametrize(("rows", "columns"), [(1, 1), (7, 3), (100, 50)])
@pytest.mark.parametrize("content", [p.values[0] for p in SPREADSHEET_BOMBS])
def test_the_reader_never_yields_more_than_its_bounds(content, rows, columns):
    """Counted, not timed: every value the reader produced (None included) before it refused the file."""
    from core.spreadsheet_reader import ReadLimits, SpreadsheetRefused, xlsx_rows

    produced = []
    with pytest.raises(SpreadsheetRefused) as refused:
        for number, values in xlsx_rows(content, limits=ReadLimits(rows=rows, columns=columns)):
            assert number <= rows
            produced.append(len(values))
    assert_russian([refused.value.message])
    assert all(n <= columns for n in produced)
    assert sum(produced) <= rows * columns
    assert len(produced) <= rows


def test_a_hand_written_workbook_within_the_bounds_is_read_without_padding():
    from core.spreadsheet_reader import ReadLimits, xlsx_rows

    content = _hand_xlsx(
        '<row r="1">' + _cell("A1", "ФИО") + _cell("C1", "Почта") + '</row><row r="7"><c r="B7"><v>5</v></c></row>'
    )
    assert list(xlsx_rows(content, limits=ReadLimits(rows=7, columns=3))) == [
        (1, ["ФИО", None, "Почта"]),
        (7, [None, 5]),
    ]


def test_a_workbook_written_by_openpyxl_reads_as_before(coordinator, season):
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("r.xlsx", _xlsx([GOOD_ROW]))})
    assert response["Location"] == MAPPING
    page = coordinator.get(MAPPING)
    assert page.context["raw_preview"] == [GOOD_ROW]


CSV_PAST_BOUNDS = [
    pytest.param(
        b"a,b\n" + b"x" * 70_000 + b"\n",
        "Строка 2 файла CSV длиннее 65\u00a0536 знаков: это не похоже на таблицу. Проверьте, что файл сохранён как CSV "
        "с разделителем «,» или «;».",
        id="long-line",
    ),
    pytest.param(
        b"a,b\n" + b",".join([b"x"] * 51) + b"\n",
        "В строке 2 файла CSV 51 столбец; импорт принимает не более 1\u00a0000 строк и 50 столбцов. Удалите лишние "
        "столбцы и сохраните файл заново.",
        id="51-columns",
    ),
    pytest.param(
        b"a,b\n" + b"1,2\n" * 1_100,
        "В файле CSV заполнена строка 1\u00a0001; импорт принимает не более 1\u00a0000 строк и 50 столбцов. "
        "Разделите файл на части.",
        id="rows",
    ),
]


@pytest.mark.parametrize(("content", "message"), CSV_PAST_BOUNDS)
def test_a_csv_past_the_bounds_is_refused_in_russian(coordinator, season, settings, content, message):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = NARROW_LIMITS.values()
    settings.IMPORT_MAX_LINE_CHARS = 65_536
    before = row_counts(REGISTRATION_MODELS)
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("form.csv", content)})
    assert response.context["form"].errors["file"] == [message]
    assert row_counts(REGISTRATION_MODELS) == before


def test_trailing_empty_columns_of_a_csv_are_not_counted(coordinator, season):
    content = _csv([GOOD_ROW + [""] * 60])
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("form.csv", content)})
    assert response["Location"] == MAPPING


def test_an_attendance_export_past_the_bounds_is_refused(settings):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.core.exceptions import ValidationError

    from activities.attendance_import import read_attendance_export

    settings.IMPORT_MAX_COLUMNS = 50
    export = "Имя (настоящее имя),Электронная почта\n" + ",".join(["Иванова"] * 80) + "\n"
    with pytest.raises(ValidationError) as refused:
        read_attendance_export(
            io.BytesIO(export.encode()), tz=ZoneInfo("Europe/Moscow"), near=datetime(2025, 3, 1, tzinfo=ZoneInfo("UTC"))
        )
    assert refused.value.messages == [
        "В строке 2 файла CSV 80 столбцов; импорт принимает не более 5\u00a0000 строк и 50 столбцов. Удалите лишние "
        "столбцы и сохраните файл заново."
    ]
