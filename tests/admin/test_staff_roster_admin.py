"""The staff roster in the coordinator's admin: the list scoped to the municipality, the XLSX import from the
changelist (upload → preview with the matching → all-or-nothing import; a long file in the background), the
«Перенести состав на следующий год» action, and the headcounts saying when a roster wins over them."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from config.celery import app
from core.models import BackgroundJob
from core.tables import table_unstash
from participants.models import StaffHeadcount, StaffRosterEntry, User
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    StaffRosterEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = set(settings.PORTAL_APPS) - {"core"}
CHANGELIST = reverse("admin:participants_staffrosterentry_changelist")
UPLOAD = reverse("admin:participants_roster_import")
PREVIEW = reverse("admin:participants_roster_import_preview")


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


@pytest.fixture
def world():
    mine, theirs = MunicipalityFactory(name="Мой район"), MunicipalityFactory(name="Чужой район")
    school = OrganisationFactory(municipality=mine, short_name="Школа № 1")
    far = OrganisationFactory(municipality=theirs, short_name="Чужая школа")
    anna = PersonFactory(organisation=school, last_name="Смирнова", first_name="Анна", middle_name="Сергеевна")
    StaffRosterEntryFactory(organisation=far, year=2025, last_name="Чужбинова")
    return {"mine": mine, "theirs": theirs, "school": school, "far": far, "anna": anna}


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["Организация", "ФИО", "Дата рождения", "Должность", "Стаж", "Образование"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("staff.xlsx", buf.getvalue())


def test_the_list_shows_only_the_coordinators_municipality(client, world):
    StaffRosterEntryFactory(organisation=world["school"], year=2025, last_name="Своя")
    client.force_login(_coordinator(world["mine"]))
    page = client.get(CHANGELIST).content.decode()
    assert "Своя" in page and "Чужбинова" not in page
    assert UPLOAD in page  # «Импорт из XLSX»
    foreign = StaffRosterEntry.objects.get(last_name="Чужбинова")
    assert client.get(reverse("admin:participants_staffrosterentry_change", args=[foreign.pk])).status_code == 302


def test_import_previews_the_matching_and_saves_on_the_button(client, world):
    anna = world["anna"]
    client.force_login(_coordinator(world["mine"]))
    rows = [
        ["Школа № 1", "Смирнова Анна Сергеевна", anna.birth_date.strftime("%d.%m.%Y"), "Учитель химии", 3, "высшее"],
        ["Школа № 1", "Новикова Ольга", "", "Учитель музыки", 15, "высшее"],
    ]
    response = client.post(UPLOAD, {"file": _xlsx(rows), "year": 2025})
    assert response["Location"] == PREVIEW
    preview = client.get(PREVIEW)
    assert preview.context["report"].ok and preview.context["year"] == 2025
    content = preview.content.decode()
    assert "сопоставлен с Смирнова Анна Сергеевна (по ФИО и дате рождения)" in content
    assert "новый человек на портале не создаётся" in content
    assert not StaffRosterEntry.objects.filter(organisation=world["school"]).exists()  # nothing before the button
    stored = client.session["participants.roster_import"]
    response = client.post(PREVIEW, {"import": "1"})
    assert response["Location"] == CHANGELIST + "?year=2025"
    saved = StaffRosterEntry.objects.get(organisation=world["school"], person=anna)
    assert saved.year == 2025 and saved.experience_years == 3 and saved.is_teacher
    assert StaffRosterEntry.objects.filter(organisation=world["school"]).count() == 2
    assert table_unstash(stored["table_file"]) is None and "participants.roster_import" not in client.session


def test_import_with_another_municipalitys_school_shows_the_report_and_saves_nothing(client, world):
    client.force_login(_coordinator(world["mine"]))
    rows = [["Школа № 1", "Орлова Вера", "", "Учитель", 3, ""], ["Чужая школа", "Чужая Ирина", "", "Учитель", 1, ""]]
    client.post(UPLOAD, {"file": _xlsx(rows), "year": 2025})
    response = client.post(PREVIEW, {"import": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ошибки: импорт невозможен, ничего не сохранено" in content
    assert "Строка 3 (Организация): Организация «Чужая школа» не найдена среди организаций муниципалитета" in content
    assert not StaffRosterEntry.objects.filter(last_name="Орлова").exists()


def test_upload_errors_are_russian_and_keep_the_year(client, world):
    client.force_login(_coordinator(world["mine"]))
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff"), "year": 2024})
    assert response.context["form"].errors["file"] == [
        "Загрузите таблицу Excel (.xlsx) или CSV: файлы другого типа не принимаются."
    ]
    assert 'value="2024"' in response.content.decode()
    response = client.post(UPLOAD, {"file": _xlsx([["Школа № 1", "Орлова Вера", "", "Учитель", 3, ""]]), "year": 1999})
    assert response.context["form"].errors["year"] == ["Убедитесь, что это значение больше либо равно 2000."]


def test_import_needs_the_add_permission(client, world):
    viewer = UserFactory(is_staff=True, municipality=world["mine"])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_staffrosterentry"))
    client.force_login(viewer)
    assert client.get(UPLOAD).status_code == 403 and client.get(PREVIEW).status_code == 403
    assert client.get(CHANGELIST).status_code == 200


def test_a_long_file_is_imported_by_the_worker(client, world, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_ROWS = 2
    client.force_login(_coordinator(world["mine"]))
    rows = [["Школа № 1", f"Работникова{i} Анна", "", "Учитель", i, "высшее"] for i in range(4)]
    client.post(UPLOAD, {"file": _xlsx(rows), "year": 2025})
    page = client.get(PREVIEW)
    assert page.context["background"] is True and page.context["report"] is None
    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(PREVIEW, {"import": "1"})
    finally:
        app.conf.task_always_eager = previous
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("background_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and job.message == "В кадровый состав за 2025 год внесено работников: 4."
    assert StaffRosterEntry.objects.filter(organisation=world["school"], year=2025).count() == 4


def test_copy_action_copies_each_selected_organisation_year_and_refuses_a_filled_year(client, world):
    school = world["school"]
    first = StaffRosterEntryFactory(organisation=school, year=2024, experience_years=4, person=world["anna"])
    StaffRosterEntryFactory(organisation=school, year=2024)
    client.force_login(_coordinator(world["mine"]))
    data = {"action": "copy_to_next_year", "_selected_action": [first.pk]}
    response = client.post(CHANGELIST, data, follow=True)
    assert "Состав «Школа № 1» перенесён с 2024 на 2025 год: работников — 2." in response.content.decode()
    assert StaffRosterEntry.objects.filter(organisation=school, year=2025).count() == 2
    assert StaffRosterEntry.objects.get(organisation=school, year=2025, person=first.person).experience_years == 5
    response = client.post(CHANGELIST, data, follow=True)
    assert "В составе «Школа № 1» за 2025 год уже есть работники: перенос не выполнен." in response.content.decode()
    assert StaffRosterEntry.objects.filter(organisation=school, year=2025).count() == 2


def test_the_form_refuses_bad_dates_and_keeps_the_input(client, world):
    client.force_login(_coordinator(world["mine"]))
    other_school = OrganisationFactory(municipality=world["mine"], short_name="Школа № 2")
    data = {
        "organisation": other_school.pk,
        "year": 2025,
        "last_name": "Смирнова",
        "first_name": "Анна",
        "position": "Учитель химии",
        "staff_kind": "pedagogical",
        "category": "none",
        "person": world["anna"].pk,
        "hired_on": "01.10.2025",
        "left_on": "01.09.2025",
    }
    response = client.post(reverse("admin:participants_staffrosterentry_add"), data)
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["left_on"] and errors["left_on"] == ["Дата увольнения раньше даты приёма."]
    assert 'value="Учитель химии"' in response.content.decode()
    # A past year's worker who works at another school of the municipality today may be linked.
    data.update(left_on="")
    assert client.post(reverse("admin:participants_staffrosterentry_add"), data).status_code == 302
    assert StaffRosterEntry.objects.get(person=world["anna"], organisation=other_school).is_teacher  # by position
    data.update(person=PersonFactory(organisation=world["far"]).pk, year=2024)
    response = client.post(reverse("admin:participants_staffrosterentry_add"), data)
    assert response.context["adminform"].form.errors["person"]  # another municipality's person is never offered
    client.force_login(UserFactory(is_staff=True, is_superuser=True))  # sees every municipality
    response = client.post(reverse("admin:participants_staffrosterentry_add"), data)
    assert response.context["adminform"].form.errors["person"] == [
        "Этот человек на портале работает в другом муниципалитете."
    ]


def test_headcounts_say_when_the_roster_wins(client, world):
    school = world["school"]
    StaffRosterEntryFactory(organisation=school, year=2025)
    for year in (2024, 2025):
        StaffHeadcount.objects.create(
            organisation=school,
            year=year,
            pedagogical_total=10,
            teachers=8,
            higher_education=9,
            teachers_under_5_years=2,
        )
    client.force_login(_coordinator(world["mine"]))
    page = client.get(reverse("admin:participants_staffheadcount_changelist")).content.decode()
    assert page.count("Поимённый состав за этот год: показатели считают по нему, эти числа не используются") == 1
    response = client.post(
        reverse("admin:participants_staffheadcount_add"),
        {
            "organisation": school.pk,
            "year": 2023,
            "pedagogical_total": 10,
            "teachers": 12,
            "higher_education": 9,
            "teachers_under_5_years": 13,
            "management_total": 1,
        },
    )
    errors = response.context["adminform"].form.errors
    assert errors["teachers"] == ["Учителей больше, чем педагогических работников всего."]
    assert errors["teachers_under_5_years"] == ["Учителей со стажем до 5 лет больше, чем учителей всего."]
