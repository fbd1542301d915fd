"""The admin of the facts KPIs count (ДПО, diagnostics, management teams, school year facts, municipal events):
a coordinator sees and edits only their municipality's rows, a teacher gets nothing; Russian errors at the
field; the ДПО import from the changelist: upload → preview with the matched people → import."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.tables import table_unstash
from participants.models import CompetenceDiagnostic, ManagementTeamMember, ProfessionalDevelopment, User
from programs.models import MunicipalEvent, OrganisationYearFacts
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
OUR_APPS = set(settings.PORTAL_APPS) - {"core"}


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


def _training(person, **kw):
    values = {"course_title": "Курс", "provider": "ИРО", "hours": 72, "ends_on": date(2025, 3, 1)}
    return ProfessionalDevelopment.objects.create(person=person, **{**values, **kw})


@pytest.fixture
def world():
    mine, other = MunicipalityFactory(), MunicipalityFactory()
    own_school, foreign_school = OrganisationFactory(municipality=mine), OrganisationFactory(municipality=other)
    own_person = PersonFactory(organisation=own_school)
    foreign_person = PersonFactory(organisation=foreign_school)
    rows = {}
    for key, school, person, muni in (
        ("own", own_school, own_person, mine),
        ("foreign", foreign_school, foreign_person, other),
    ):
        rows[key] = {
            "professionaldevelopment": _training(person, course_title=f"Курс {key}"),
            "competencediagnostic": CompetenceDiagnostic.objects.create(
                person=person, taken_on=date(2025, 1, 10), platform="ЦНППМ", deficit_areas=["Оценивание"]
            ),
            "managementteammember": ManagementTeamMember.objects.create(
                organisation=school, person=person, role="Директор"
            ),
            "organisationyearfacts": OrganisationYearFacts.objects.create(
                organisation=school, year=2025, runs_mentoring_model=True
            ),
            "municipalevent": MunicipalEvent.objects.create(
                municipality=muni, title=f"Форум {key}", held_on=date(2025, 4, 1)
            ),
        }
    return {"mine": mine, "own_school": own_school, "own_person": own_person, "rows": rows}


def _url(obj, page="changelist", *args):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize(
    "model",
    [
        "professionaldevelopment",
        "competencediagnostic",
        "managementteammember",
        "organisationyearfacts",
        "municipalevent",
    ],
)
def test_coordinator_sees_only_own_municipality(client, world, model):
    client.force_login(_coordinator(world["mine"]))
    own, foreign = world["rows"]["own"][model], world["rows"]["foreign"][model]
    response = client.get(_url(own))
    assert response.status_code == 200
    assert {o.pk for o in response.context["cl"].result_list} == {own.pk}
    assert client.get(_url(own, "change", own.pk)).status_code == 200
    # Another municipality's row is not reachable by guessing its id (the admin redirects as for a missing one).
    assert client.get(_url(foreign, "change", foreign.pk)).status_code == 302
    # Every filter and the search open.
    assert client.get(_url(own) + "?q=Курс").status_code == 200
    assert client.get(_url(own, "add")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "professionaldevelopment",
        "competencediagnostic",
        "managementteammember",
        "organisationyearfacts",
        "municipalevent",
    ],
)
def test_teacher_gets_no_admin(client, world, model):
    teacher = world["own_person"].user
    client.force_login(teacher)
    own = world["rows"]["own"][model]
    response = client.get(_url(own))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_year_and_organisation_filters(client, world):
    person = world["own_person"]
    _training(person, course_title="Курс 2023", ends_on=date(2023, 6, 1), in_federal_registry=True)
    client.force_login(_coordinator(world["mine"]))
    url = reverse("admin:participants_professionaldevelopment_changelist")
    response = client.get(url + "?year=2023")
    assert [o.course_title for o in response.context["cl"].result_list] == ["Курс 2023"]
    response = client.get(url + "?in_federal_registry__exact=1")
    assert [o.course_title for o in response.context["cl"].result_list] == ["Курс 2023"]
    # The year and organisation filters offer only the coordinator's rows and schools.
    content = response.content.decode()
    assert "year=2023" in content and "year=2025" in content
    assert world["own_school"].short_name in content
    foreign_school = world["rows"]["foreign"]["managementteammember"].organisation
    assert foreign_school.short_name not in content


def test_person_dropdown_is_scoped(client, world):
    client.force_login(_coordinator(world["mine"]))
    form = client.get(reverse("admin:participants_professionaldevelopment_add")).context["adminform"].form
    people = set(form.fields["person"].queryset)
    assert world["own_person"] in people
    assert world["rows"]["foreign"]["professionaldevelopment"].person not in people
    form = client.get(reverse("admin:programs_municipalevent_add")).context["adminform"].form
    assert list(form.fields["municipality"].queryset) == [world["mine"]]
    assert set(form.fields["organisation"].queryset) == {world["own_school"]}


def _training_post(person, **over):
    data = {
        "person": person.pk,
        "course_title": "Наставничество",
        "provider": "ИРО",
        "hours": "36",
        "starts_on": "01.03.2025",
        "ends_on": "20.03.2025",
        "document_number": "D-77",
    }
    data.update(over)
    return data


def test_pd_add_and_its_errors(client, world):
    coordinator = _coordinator(world["mine"])
    client.force_login(coordinator)
    person = world["own_person"]
    url = reverse("admin:participants_professionaldevelopment_add")
    response = client.post(url, _training_post(person, hours="0", ends_on="01.02.2025"))
    errors = response.context["adminform"].form.errors
    assert errors["hours"] == ["Объём программы должен быть больше нуля часов."]
    assert errors["ends_on"] == ["Дата окончания обучения раньше даты начала."]
    assert "__all__" not in errors
    response = client.post(url, _training_post(person, in_federal_registry="on"))
    assert response.status_code == 302
    saved = ProfessionalDevelopment.objects.get(document_number="D-77")
    assert saved.created_by == coordinator and saved.in_federal_registry and saved.hours == 36
    response = client.post(url, _training_post(person, course_title="Другой"))
    errors = response.context["adminform"].form.errors
    assert errors["document_number"] == [
        "Удостоверение № D-77 у этого педагога уже внесено: «Наставничество», 20.03.2025."
    ]
    assert "__all__" not in errors
    # A person of another municipality cannot be posted.
    foreign = world["rows"]["foreign"]["professionaldevelopment"].person
    response = client.post(url, _training_post(foreign, document_number="X"))
    assert "person" in response.context["adminform"].form.errors


def test_diagnostic_deficit_areas_one_per_line(client, world):
    client.force_login(_coordinator(world["mine"]))
    person = world["own_person"]
    url = reverse("admin:participants_competencediagnostic_add")
    data = {
        "person": person.pk,
        "taken_on": "15.02.2025",
        "platform": "ЦНППМ",
        "score": "64.5",
        "deficit_areas_text": "Функциональная грамотность\n\n  Оценивание  результатов \nфункциональная грамотность\n",
    }
    assert client.post(url, data).status_code == 302
    diagnostic = CompetenceDiagnostic.objects.get(taken_on=date(2025, 2, 15))
    assert diagnostic.deficit_areas == ["Функциональная грамотность", "Оценивание результатов"]
    page = client.get(reverse("admin:participants_competencediagnostic_change", args=[diagnostic.pk]))
    assert (
        page.context["adminform"].form["deficit_areas_text"].initial
        == "Функциональная грамотность\nОценивание результатов"
    )
    response = client.post(url, {**data, "score": "120"})
    errors = response.context["adminform"].form.errors
    assert errors["score"] == ["Результат — процент от 0 до 100."]
    assert errors["taken_on"] == ["Результат этого педагога на этой платформе за 15.02.2025 уже внесён."]


def test_management_member_errors(client, world):
    client.force_login(_coordinator(world["mine"]))
    url = reverse("admin:participants_managementteammember_add")
    data = {
        "organisation": world["own_school"].pk,
        "person": world["own_person"].pk,
        "role": "Заместитель",
        "since": "01.09.2025",
        "until": "01.01.2025",
    }
    errors = client.post(url, data).context["adminform"].form.errors
    assert errors["until"] == ["Дата окончания работы в команде раньше даты начала."]
    errors = client.post(url, {**data, "until": ""}).context["adminform"].form.errors
    assert "уже входит в управленческую команду этой организации" in errors["person"][0]
    assert "__all__" not in errors


def test_organisation_page_has_team_and_year_facts_inlines(client, world):
    client.force_login(_coordinator(world["mine"]))
    school = world["own_school"]
    response = client.get(reverse("admin:programs_organisation_change", args=[school.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "management_team-TOTAL_FORMS" in content and "year_facts-TOTAL_FORMS" in content
    assert "Директор" in content


def test_year_facts_duplicate_year_is_explained(client, world):
    client.force_login(_coordinator(world["mine"]))
    url = reverse("admin:programs_organisationyearfacts_add")
    data = {
        "organisation": world["own_school"].pk,
        "year": "2025",
        "methodical_associations": "3",
        "pedagogical_classes": "1",
    }
    errors = client.post(url, data).context["adminform"].form.errors
    assert errors["year"][0].startswith("Сведения организации «") and "за 2025 год уже внесены" in errors["year"][0]
    errors = client.post(url, {**data, "year": "1999"}).context["adminform"].form.errors
    assert errors["year"][0].startswith("Год должен быть от 2015")


def test_event_organiser_of_another_municipality_is_refused(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    foreign_school = world["rows"]["foreign"]["managementteammember"].organisation
    data = {
        "municipality": world["mine"].pk,
        "organisation": foreign_school.pk,
        "title": "Фестиваль",
        "held_on": "10.10.2025",
        "category": "methodical",
        "level": "municipal",
    }
    errors = client.post(reverse("admin:programs_municipalevent_add"), data).context["adminform"].form.errors
    assert errors["organisation"] == [f"Организация «{foreign_school}» относится к другому муниципалитету."]


@pytest.mark.parametrize("rows", [1, 3])
def test_pd_changelist_query_count_is_constant(client, world, rows, django_assert_num_queries):
    for i in range(rows - 1):
        _training(world["own_person"], course_title=f"Ещё {i}")
    client.force_login(_coordinator(world["mine"]))
    url = reverse("admin:participants_professionaldevelopment_changelist")
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == rows


# --- The import in the admin ----------------------------------------------------------------------------------


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["ФИО", "Программа", "Провайдер", "Часы", "Дата окончания", "Федеральный реестр", "Номер удостоверения"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("dpo.xlsx", buf.getvalue())


def test_import_from_the_changelist(client, world):
    person = world["own_person"]
    client.force_login(_coordinator(world["mine"]))
    changelist = client.get(reverse("admin:participants_professionaldevelopment_changelist")).content.decode()
    assert reverse("admin:participants_training_import") in changelist
    file = _xlsx(
        [[f"{person.last_name} {person.first_name} {person.middle_name}", "Курс", "ИРО", 24, "05.05.2025", "да", "N1"]]
    )
    response = client.post(reverse("admin:participants_training_import"), {"file": file})
    assert response.status_code == 302
    preview = client.get(reverse("admin:participants_training_import_preview"))
    assert preview.context["report"].ok
    content = preview.content.decode()
    assert person.full_name in content and "по ФИО" in content
    assert not ProfessionalDevelopment.objects.filter(document_number="N1").exists()  # nothing before the button
    stored = client.session["participants.training_import"]
    assert "table" not in stored and table_unstash(stored["table_file"]) is not None  # the rows wait outside
    response = client.post(reverse("admin:participants_training_import_preview"), {"import": "1"})
    assert response.status_code == 302
    saved = ProfessionalDevelopment.objects.get(document_number="N1")
    assert saved.person == person and saved.in_federal_registry and saved.source == "import"
    assert table_unstash(stored["table_file"]) is None and "participants.training_import" not in client.session


def test_import_with_errors_shows_the_report_and_saves_nothing(client, world):
    client.force_login(_coordinator(world["mine"]))
    foreign = world["rows"]["foreign"]["professionaldevelopment"].person
    file = _xlsx([[f"{foreign.last_name} {foreign.first_name}", "Курс", "ИРО", -5, "05.05.2025", "да", "N2"]])
    client.post(reverse("admin:participants_training_import"), {"file": file})
    response = client.post(reverse("admin:participants_training_import_preview"), {"import": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ошибки: импорт невозможен, ничего не сохранено" in content
    assert f"Строка 2 (ФИО): Педагог «{foreign.last_name} {foreign.first_name}» не найден" in content
    assert "Строка 2 (Часы): Часы «-5» — не целое положительное число." in content
    assert not ProfessionalDevelopment.objects.filter(document_number="N2").exists()


def test_import_rejects_a_file_that_is_not_a_spreadsheet(client, world):
    client.force_login(_coordinator(world["mine"]))
    response = client.post(
        reverse("admin:participants_training_import"), {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Загрузите таблицу Excel (.xlsx) или CSV: файлы другого типа не принимаются."
    ]


def test_import_needs_the_add_permission(client, world):
    viewer = UserFactory(is_staff=True, municipality=world["mine"])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_professionaldevelopment"))
    client.force_login(viewer)
    assert client.get(reverse("admin:participants_training_import")).status_code == 403
    assert client.get(reverse("admin:participants_training_import_preview")).status_code == 403
    assert client.get(reverse("admin:participants_professionaldevelopment_changelist")).status_code == 200
