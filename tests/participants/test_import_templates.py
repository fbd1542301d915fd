"""Every import page lists the columns it reads and offers an XLSX template; the template read back through the
import's own reader has every column recognised, and its example row passes the real checks."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core import tables
from core.import_templates import XLSX_CONTENT_TYPE
from participants import imports, services_roster, services_training
from participants.models import User
from tests.factories import MunicipalityFactory, OrganisationFactory, SeasonFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORTS = {
    "registrations": (
        "participants_enrollment_import",
        imports.TEMPLATE_COLUMNS,
        ["add_enrollment", "add_person", "view_enrollment", "change_enrollment"],
    ),
    "roster": ("participants_roster_import", services_roster.TEMPLATE_COLUMNS, ["add_staffrosterentry"]),
    "training": (
        "participants_training_import",
        services_training.TEMPLATE_COLUMNS,
        ["add_professionaldevelopment", "view_professionaldevelopment"],
    ),
}


def _staff(municipality, codenames) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="participants", codename__in=codenames))
    return user


def _download(client, name) -> bytes:
    url_name, _columns, codenames = IMPORTS[name]
    client.force_login(_staff(MunicipalityFactory(), codenames))
    response = client.get(reverse(f"admin:{url_name}_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def _with_examples(raw: bytes) -> tuple[bytes, list[str]]:
    """The downloaded template with the examples of its second sheet typed into the first one's row 2."""
    workbook = load_workbook(io.BytesIO(raw))
    data, notes = workbook.worksheets
    headers = [cell.value for cell in data[1]]
    examples = {row[0]: row[2] or "" for row in notes.iter_rows(min_row=6, values_only=True)}
    assert list(examples) == headers  # the second sheet explains every column, in order
    for index, header in enumerate(headers, 1):
        data.cell(row=2, column=index, value=examples[header]).data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), headers


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_the_template_holds_exactly_the_listed_headers(client, name):
    workbook = load_workbook(io.BytesIO(_download(client, name)))
    data, notes = workbook.worksheets
    assert [cell.value for cell in data[1]] == [c.header for c in IMPORTS[name][1]]
    assert data.max_row == 1  # nothing to delete before filling it in
    required = {row[0] for row in notes.iter_rows(min_row=6, values_only=True) if row[1] == "да"}
    assert required == {c.header for c in IMPORTS[name][1] if c.required}


def test_the_registrations_template_is_read_with_every_column_recognised_and_its_example_passes(client):
    season = SeasonFactory()
    OrganisationFactory(municipality=season.program.municipality, short_name="МБОУ СОШ № 2", name="МБОУ СОШ № 2")
    SubjectFactory(name="Математика")
    SubjectFactory(name="Информатика")
    raw, headers = _with_examples(_download(client, "registrations"))
    table = tables.read_table(SimpleUploadedFile("template.xlsx", raw))
    mapping = imports.guess_mapping(table.headers)
    assert imports.mapping_problems(mapping) == []
    assert {key: index for key, index in mapping.items() if index is not None} == {
        c.key: headers.index(c.header) for c in imports.TEMPLATE_COLUMNS
    }
    result = imports.check_rows(table=table, mapping=mapping, season=season)
    assert result.problems == [] and len(result.rows) == 1
    assert result.rows[0].phone == "+7 900 123-45-67"


def test_the_roster_template_is_read_with_every_column_recognised_and_its_example_passes(client):
    raw, headers = _with_examples(_download(client, "roster"))
    municipality = MunicipalityFactory()
    OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ № 2", name="МБОУ СОШ № 2")
    table = services_roster.staff_roster_read(file=SimpleUploadedFile("template.xlsx", raw))
    columns = services_roster.guess_columns(table.headers)
    assert services_roster.missing_columns(columns) == []
    assert columns == {c.key: headers.index(c.header) for c in services_roster.TEMPLATE_COLUMNS}
    report = services_roster.staff_roster_check(table=table, municipality=municipality, year=2025)
    assert report.problems == [] and len(report.rows) == 1


def test_the_training_template_is_read_with_every_column_recognised(client):
    raw, headers = _with_examples(_download(client, "training"))
    table = services_training.professional_development_read(file=SimpleUploadedFile("template.xlsx", raw))
    columns = services_training.guess_columns(table.headers)
    assert services_training.missing_columns(columns) == []
    assert columns == {c.key: headers.index(c.header) for c in services_training.TEMPLATE_COLUMNS}


@pytest.mark.parametrize("name", ["roster", "training"])
def test_an_unfilled_template_is_refused_for_having_no_rows_not_for_its_columns(client, name):
    reader = {
        "roster": services_roster.staff_roster_read,
        "training": services_training.professional_development_read,
    }[name]
    with pytest.raises(tables.FileProblem) as refused:
        reader(file=SimpleUploadedFile("template.xlsx", _download(client, name)))
    assert str(refused.value) == "В файле есть только заголовки, а строк с данными нет."


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_the_upload_page_lists_the_columns_and_links_the_template(client, name):
    url_name, columns, codenames = IMPORTS[name]
    client.force_login(_staff(MunicipalityFactory(), codenames))
    html = client.get(reverse(f"admin:{url_name}")).content.decode()
    assert reverse(f"admin:{url_name}_template") in html and "Скачать шаблон таблицы (XLSX)" in html
    for column in columns:
        assert f"«{column.header}»" in html
    assert html.count("<strong>да</strong>") == sum(c.required for c in columns)


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_the_template_needs_the_import_permission(client, name):
    url = reverse(f"admin:{IMPORTS[name][0]}_template")
    assert client.get(url).status_code == 302  # anonymous: to the admin's login
    viewer = UserFactory(is_staff=True, municipality=MunicipalityFactory())
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    assert client.get(url).status_code == 403
