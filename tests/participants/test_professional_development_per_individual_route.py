"""«В соответствии с ИОМ» on a ДПО record (сид 001, «Школа – Школе», ожидаемые результаты: «увеличение количества
учителей, прошедших повышение квалификации в соответствии с ИОМ»): entered in the admin and filtered there, read
from the import's «По ИОМ» column (a bad value refused by row and column, nothing written), in the template
workbook, the import preview and the teacher's personal-data export."""

import io
import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from participants.models import ProfessionalDevelopment, User
from participants.services_training import (
    TEMPLATE_COLUMNS,
    guess_columns,
    professional_development_check,
    professional_development_import,
    professional_development_read,
)
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ["ФИО", "Программа", "Организация-провайдер", "Часы", "Дата окончания", "По ИОМ"]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("dpo.xlsx", buf.getvalue())


def _row(course, route, name="Смирнова Анна Сергеевна"):
    return [name, course, "ИМЦ Московского района", "36", "20.11.2025", route]


@pytest.fixture
def muni():
    return MunicipalityFactory()


@pytest.fixture
def anna(muni):
    school = OrganisationFactory(municipality=muni)
    return PersonFactory(
        last_name="Смирнова", first_name="Анна", middle_name="Сергеевна", organisation=school, user=None
    )


@pytest.fixture
def coordinator(muni):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=muni)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="participants"))
    return user


def test_the_field_is_off_by_default_and_labelled_in_russian(anna):
    course = ProfessionalDevelopment.objects.create(
        person=anna, course_title="Курс", provider="ИРО", hours=16, ends_on=date(2025, 3, 1)
    )
    field = ProfessionalDevelopment._meta.get_field("per_individual_route")
    assert course.per_individual_route is False
    assert str(field.verbose_name) == "в соответствии с индивидуальным образовательным маршрутом (ИОМ)"
    assert "индивидуальный образовательный маршрут" in str(field.help_text)


@pytest.mark.parametrize(
    "header",
    ["По ИОМ", "ИОМ (да/нет)", "В соответствии с индивидуальным образовательным маршрутом", "Individual route"],
)
def test_the_import_recognises_the_column_by_its_usual_headers(header):
    columns = guess_columns([*HEADERS[:-1], header])
    assert columns["per_individual_route"] == 5


def test_the_import_saves_the_flag_of_each_row(muni, anna, coordinator):
    report = professional_development_import(
        file=_xlsx([_row("Курс по ИОМ", "да"), _row("Курс вне ИОМ", "нет"), _row("Без отметки", "")]),
        municipality=muni,
        by=coordinator,
    )
    assert report.ok, report.lines()
    saved = dict(ProfessionalDevelopment.objects.values_list("course_title", "per_individual_route"))
    assert saved == {"Курс по ИОМ": True, "Курс вне ИОМ": False, "Без отметки": False}


def test_a_file_without_the_column_imports_with_the_flag_off(muni, anna, coordinator):
    report = professional_development_import(
        file=_xlsx([_row("Курс", "да")[:-1]], headers=HEADERS[:-1]), municipality=muni, by=coordinator
    )
    assert report.ok, report.lines()
    assert ProfessionalDevelopment.objects.get().per_individual_route is False


def test_a_bad_value_is_refused_naming_row_and_column_and_nothing_is_written(muni, anna, coordinator):
    report = professional_development_import(
        file=_xlsx([_row("Курс 1", "да"), _row("Курс 2", "частично")]), municipality=muni, by=coordinator
    )
    assert report.created == 0
    assert report.lines() == ["Строка 3 (По ИОМ): «частично» — ожидается «да» или «нет»."]
    assert not ProfessionalDevelopment.objects.exists()


def test_the_template_workbook_has_the_column_and_its_example_passes(muni, anna):
    column = next(c for c in TEMPLATE_COLUMNS if c.key == "per_individual_route")
    assert (column.header, column.required) == ("По ИОМ", False)
    assert "индивидуальным образовательным маршрутом" in str(column.note)
    headers = [c.header for c in TEMPLATE_COLUMNS]
    example = {c.key: c.example for c in TEMPLATE_COLUMNS}
    example.update(last_name="Смирнова", first_name="Анна", middle_name="Сергеевна", email="", birth_date="")
    table = professional_development_read(file=_xlsx([[example[c.key] for c in TEMPLATE_COLUMNS]], headers=headers))
    report = professional_development_check(table=table, municipality=muni)
    assert report.problems == []
    assert report.rows[0].per_individual_route is True


def test_the_admin_form_saves_the_flag_and_the_changelist_filters_by_it(client, anna, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:participants_professionaldevelopment_add"),
        {
            "person": anna.pk,
            "course_title": "Адресная программа ПК по ИОМ",
            "provider": "ИМЦ Московского района",
            "hours": "36",
            "ends_on": "20.11.2025",
            "per_individual_route": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ProfessionalDevelopment.objects.create(
        person=anna, course_title="Другой курс", provider="ИРО", hours=16, ends_on=date(2025, 3, 1)
    )
    url = reverse("admin:participants_professionaldevelopment_changelist")
    on = client.get(url, {"per_individual_route__exact": "1"})
    assert [o.course_title for o in on.context["cl"].result_list] == ["Адресная программа ПК по ИОМ"]
    off = client.get(url, {"per_individual_route__exact": "0"})
    assert [o.course_title for o in off.context["cl"].result_list] == ["Другой курс"]
    assert "в соответствии с индивидуальным образовательным маршрутом (ИОМ)" in on.content.decode()


@pytest.mark.parametrize("day", ["01.01.0001", "31.12.9999"])
def test_the_admin_form_refuses_a_date_out_of_the_portal_range(client, anna, coordinator, day):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:participants_professionaldevelopment_add"),
        {
            "person": anna.pk,
            "course_title": "Курс",
            "provider": "ИРО",
            "hours": "36",
            "ends_on": day,
            "per_individual_route": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_on"] == ["Укажите дату между 01.01.1900 и 31.12.2100."]
    assert not ProfessionalDevelopment.objects.exists()


def test_the_personal_data_export_says_whether_the_course_was_per_the_route(client, muni):
    person = PersonFactory(organisation=OrganisationFactory(municipality=muni))
    ProfessionalDevelopment.objects.create(
        person=person,
        course_title="Курс по ИОМ",
        provider="ИМЦ",
        hours=36,
        ends_on=date(2025, 11, 20),
        per_individual_route=True,
    )
    client.force_login(person.user)
    response = client.post(reverse("my_data_download"), {"format": "json"})
    sections = {s["key"]: s for s in json.loads(response.content)["sections"]}
    assert sections["professional_development"]["rows"][0]["По ИОМ"] is True
