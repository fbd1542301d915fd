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

from participants import imports
from participants.imports import FileProblem
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
        "xl/sharedStrings.xml": b"<sst>" + b" " * (imports.MAX_UNPACKED_SIZE + 1) + b"</sst>",
    }
    bomb = _zip(parts)
    assert len(bomb) < imports.MAX_FILE_SIZE  # small on the wire
    with pytest.raises(FileProblem, match="в распакованном виде больше 100 МБ"):
        imports.read_table(SimpleUploadedFile("bomb.xlsx", bomb))


def test_a_spreadsheet_past_the_cap_is_cut_off_while_it_arrives(coordinator, season):
    big = b"a,b\n" + b"x" * imports.MAX_FILE_SIZE
    response = coordinator.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Файл больше допустимых 5 МБ; загрузка остановлена."]
    assert response.context["form"]["season"].value() == str(season.pk)  # what was chosen is kept


def test_a_professional_development_file_past_the_cap_is_cut_off_while_it_arrives(admin_client):
    municipality = MunicipalityFactory()
    big = SimpleUploadedFile("dpo.csv", b"a;b\n" + b"x" * imports.MAX_FILE_SIZE)
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
