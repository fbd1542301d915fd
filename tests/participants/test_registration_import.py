"""Import of a Google Form export in the admin: reading CSV and XLSX, column mapping, all-or-nothing with a
row-by-row report, invitations with a password-set link."""

import io
import re
from datetime import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core import tables
from participants import imports
from participants.models import Consent, Enrollment, EnrollmentStatusChange, Person, User
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Enrollment.Status
UPLOAD = reverse("admin:participants_enrollment_import")
MAPPING = reverse("admin:participants_enrollment_import_mapping")
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
CONSENT = "Даю согласие"


def _rows():
    return [
        [
            "12.09.2024 14:35:12",
            "ivanova@school.ru",
            "Иванова",
            "Мария",
            "Петровна",
            "17.05.1985",
            "«МБОУ СОШ № 5»",
            "Математика",
            "12",
            CONSENT,
        ],
        [
            "13.09.2024 09:00:00",
            "Petrov@School.ru",
            "Петров",
            "Пётр",
            "",
            "1979-01-30",
            "мбоу сош №5",
            "",
            "3 года",
            CONSENT,
        ],
    ]


def _csv(rows, delimiter=",", encoding="utf-8-sig", headers=HEADERS) -> bytes:
    out = io.StringIO()
    import csv

    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def season():
    season = SeasonFactory(requires_approval=True, time_zone="Asia/Yekaterinburg")
    OrganisationFactory._meta.model.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "МБОУ СОШ № 5"}
    )
    SubjectFactory(name="Математика")
    return season


def _coordinator(municipality, perms=True):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    codenames = ["view_enrollment", "change_enrollment"] + (["add_enrollment", "add_person"] if perms else [])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="participants", codename__in=codenames))
    return user


@pytest.fixture
def coordinator(client, season):
    user = _coordinator(season.program.municipality)
    client.force_login(user)
    return user


def _upload(client, season, content, name="responses.csv"):
    return client.post(UPLOAD, {"season": season.pk, "file": SimpleUploadedFile(name, content)})


def _import(client, extra=None):
    """Post the guessed mapping with the import button."""
    form = client.get(MAPPING).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(extra or {})
    data["import"] = "1"
    return client.post(MAPPING, data)


def _counts():
    return (User.objects.count(), Person.objects.count(), Enrollment.objects.count(), Consent.objects.count())


def test_utf8_csv_with_commas_imports_everyone(client, season, coordinator, django_capture_on_commit_callbacks):
    assert _upload(client, season, _csv(_rows()))["Location"] == MAPPING
    page = client.get(MAPPING)
    assert page.context["ready"] and "Проверка пройдена" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client)
    assert response.status_code == 302
    ivanova = Person.objects.get(last_name="Иванова")
    assert ivanova.user.email == "ivanova@school.ru" and not ivanova.user.has_usable_password()
    assert [s.name for s in ivanova.subjects.all()] == ["Математика"]
    assert ivanova.experience_years == 12
    petrov = Person.objects.get(last_name="Петров")
    assert petrov.user.email == "petrov@school.ru" and petrov.experience_years == 3
    assert petrov.organisation == ivanova.organisation
    consent = Consent.objects.get(person=ivanova)
    # «12.09.2024 14:35:12» in Yekaterinburg (UTC+5).
    assert consent.given_at == datetime.fromisoformat("2024-09-12T09:35:12+00:00")
    enrollment = ivanova.enrollments.get()
    assert enrollment.season == season and enrollment.status == S.APPLIED
    change = EnrollmentStatusChange.objects.get(enrollment=enrollment)
    assert change.changed_by == coordinator and change.reason == "Импорт из Google Формы"
    assert sorted(m.to[0] for m in mail.outbox) == ["ivanova@school.ru", "petrov@school.ru"]
    assert IMPORT_KEY not in client.session


IMPORT_KEY = "participants.enrollment_import"


def test_invitation_link_sets_a_password_and_confirms_the_address(
    client, season, coordinator, django_capture_on_commit_callbacks
):
    _upload(client, season, _csv(_rows()[:1]))
    with django_capture_on_commit_callbacks(execute=True):
        _import(client)
    message = mail.outbox[0]
    assert "Иванова" not in message.subject and season.program.title in message.subject
    assert "Здравствуйте, Мария Петровна!" in message.body
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    assert path in message.alternatives[0][0]
    client.logout()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Novyi-Parol-2026", "new_password2": "Novyi-Parol-2026"}
    )
    user = User.objects.get(email="ivanova@school.ru")
    assert user.check_password("Novyi-Parol-2026") and user.email_confirmed_at is not None
    assert client.post(reverse("login"), {"username": user.email, "password": "Novyi-Parol-2026"}).status_code == 302


def test_cp1251_csv_with_semicolons_and_a_single_fio_column(client, season, coordinator):
    headers = [
        "Отметка времени",
        "Электронная почта",
        "ФИО",
        "Дата рождения",
        "Образовательная организация",
        "Согласие на обработку персональных данных",
    ]
    rows = [["12.09.2024 14:35", "sidorova@school.ru", "Сидорова  Ольга Ивановна", "01.02.1988", "МБОУ СОШ № 5", "Да"]]
    _upload(client, season, _csv(rows, delimiter=";", encoding="cp1251", headers=headers))
    assert client.get(MAPPING).context["form"]["full_name"].value() == "2"
    assert _import(client).status_code == 302
    person = Person.objects.get(email="sidorova@school.ru")
    assert (person.last_name, person.first_name, person.middle_name) == ("Сидорова", "Ольга", "Ивановна")


def test_xlsx_with_real_dates(client, season, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(
        [
            datetime(2024, 9, 12, 14, 35, 12),
            "kuznetsova@school.ru",
            "Кузнецова",
            "Елена",
            "Ивановна",
            datetime(1990, 4, 12),
            "МБОУ СОШ № 5",
            "математика",
            7,
            CONSENT,
        ]
    )
    sheet.append([45500.5, "orlov@school.ru", "Орлов", "Иван", "", 32000, "МБОУ СОШ №5", "", 1, CONSENT])
    out = io.BytesIO()
    workbook.save(out)
    _upload(client, season, out.getvalue(), name="Ответы.xlsx")
    assert _import(client).status_code == 302
    assert str(Person.objects.get(last_name="Кузнецова").birth_date) == "1990-04-12"
    assert str(Person.objects.get(last_name="Орлов").birth_date) == "1987-08-11"  # Excel day 32000


def test_bad_rows_are_reported_and_nothing_is_saved(client, season, coordinator):
    PersonFactory(user__email="taken@school.ru")
    rows = _rows() + [
        [
            "14.09.2024 10:00:00",
            "IVANOVA@school.ru",
            "Смирнова",
            "Ольга",
            "",
            "01.01.1990",
            "МБОУ СОШ № 5",
            "",
            "",
            CONSENT,
        ],
        [
            "14.09.2024 10:00:00",
            "taken@school.ru",
            "Белова",
            "Ирина",
            "",
            "31.02.1990",
            "Школа № 999",
            "Астрология",
            "много",
            "",
        ],
        ["", "not-an-email", "", "", "", "", "", "", "", CONSENT],
    ]
    before = _counts()
    _upload(client, season, _csv(rows))
    response = _import(client)
    assert response.status_code == 200
    assert _counts() == before
    report = response.context["report"]
    assert (4, "Адрес электронной почты", "Адрес ivanova@school.ru уже встречался в строке 2.") in report
    by_row = {}
    for row, column, message in report:
        by_row.setdefault(row, {})[column] = message
    assert set(by_row[5]) == {
        "Адрес электронной почты",
        "Дата рождения",
        "Образовательная организация",
        "Предмет",
        "Стаж",
        "Согласие на обработку персональных данных",
    }
    assert "уже зарегистрирован" in by_row[5]["Адрес электронной почты"]
    assert "Школа № 999" in by_row[5]["Образовательная организация"]
    assert "Нет согласия" in by_row[5]["Согласие на обработку персональных данных"]
    assert "Нужны фамилия и имя" in by_row[6]["Фамилия"]
    html = response.content.decode()
    assert "ничего не сохранено" in html and 'name="import"' not in html


def test_duplicate_fio_and_birth_date_against_the_database(client, season, coordinator):
    PersonFactory(last_name="Иванова", first_name="Мария", middle_name="Петровна", birth_date=datetime(1985, 5, 17))
    _upload(client, season, _csv(_rows()))
    report = _import(client).context["report"]
    assert [(r, c) for r, c, _m in report] == [(2, "Фамилия")]
    assert Person.objects.count() == 1


def test_organisation_of_another_municipality_is_not_matched(client, season, coordinator):
    OrganisationFactory(municipality=MunicipalityFactory(), short_name="Гимназия № 2")
    rows = [_rows()[0][:6] + ["Гимназия № 2"] + _rows()[0][7:]]
    _upload(client, season, _csv(rows))
    ((row, column, message),) = _import(client).context["report"]
    assert (row, column) == (2, "Образовательная организация") and "не найдена" in message


def test_too_many_rows_for_the_places_left(client, season, coordinator):
    season.capacity = 1
    season.save()
    _upload(client, season, _csv(_rows()))
    report = _import(client).context["report"]
    assert report == [(0, "", "В сезоне осталось мест: 1, а в файле участников: 2.")]
    assert not Person.objects.exists()


def test_mapping_without_required_columns_is_refused(client, season, coordinator):
    _upload(client, season, _csv(_rows()))
    response = _import(client, {"consent_pd": "", "email": ""})
    errors = response.context["form"].non_field_errors()
    assert any("Электронная почта" in e for e in errors) and any("Согласие" in e for e in errors)
    assert not Person.objects.exists()


def test_one_column_for_two_fields_is_refused(client, season, coordinator):
    _upload(client, season, _csv(_rows()))
    response = _import(client, {"position": "2"})
    assert response.context["form"].errors["position"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("responses.pdf", b"%PDF-1.4", "Поддерживаются файлы CSV и XLSX"),
        ("responses.xls", b"\xd0\xcf\x11\xe0", "Старый формат Excel"),
        ("responses.xlsx", b"MZ\x90\x00 not a workbook", "не является книгой Excel"),
        ("responses.xlsx", b"PK\x03\x04broken zip", "файл повреждён"),
        ("responses.csv", b"MZ\x90\x00\x03\x00\x00\x00", "внутри двоичные данные"),
        ("responses.csv", "Адрес электронной почты\n".encode(), "только заголовки"),
    ],
)
def test_unreadable_files_get_a_clear_russian_error(client, season, coordinator, name, content, message):
    response = _upload(client, season, content, name=name)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert IMPORT_KEY not in client.session


def test_oversized_file_is_refused(client, season, coordinator):
    # Cut off while it streams in (core.uploads), so the form says so at the file field.
    response = _upload(client, season, b"a,b\n" + b"x" * (tables.MAX_FILE_SIZE + 1))
    assert response.context["form"].errors["file"] == ["Файл больше допустимых 5 МБ; загрузка остановлена."]
    assert IMPORT_KEY not in client.session


def test_coordinator_sees_only_own_municipality_seasons_and_cannot_use_a_foreign_one(client, season, coordinator):
    foreign = SeasonFactory()
    seasons = client.get(UPLOAD).context["form"].fields["season"].queryset
    assert list(seasons) == [season]
    assert "season" in _upload(client, foreign, _csv(_rows())).context["form"].errors
    # A session pointing at a foreign season is treated as no upload at all.
    session = client.session
    stashed = tables.table_stash(tables.Table(headers=["a"], rows=[(2, ["b"])]))
    session[IMPORT_KEY] = {"season": foreign.pk, "filename": "x.csv", "table_file": stashed}
    session.save()
    assert client.get(MAPPING)["Location"] == UPLOAD


def test_import_needs_the_coordinator_permissions(client, season):
    client.force_login(_coordinator(season.program.municipality, perms=False))
    assert client.get(UPLOAD).status_code == 403
    assert client.get(MAPPING).status_code == 403
    changelist = client.get(reverse("admin:participants_enrollment_changelist")).content.decode()
    assert UPLOAD not in changelist


def test_changelist_has_the_import_button_for_coordinators(client, season, coordinator):
    assert UPLOAD in client.get(reverse("admin:participants_enrollment_changelist")).content.decode()


def test_anonymous_and_teachers_are_sent_to_the_admin_login(client, season):
    assert client.get(UPLOAD).status_code == 302
    client.force_login(PersonFactory().user)
    assert client.get(UPLOAD).status_code == 302


def test_mapping_without_an_upload_goes_back_to_step_one(client, coordinator):
    assert client.get(MAPPING)["Location"] == UPLOAD


@pytest.mark.parametrize(
    "headers,expected",
    [
        (
            HEADERS,
            {
                "timestamp": 0,
                "email": 1,
                "last_name": 2,
                "first_name": 3,
                "middle_name": 4,
                "birth_date": 5,
                "organisation": 6,
                "subjects": 7,
                "experience_years": 8,
                "consent_pd": 9,
                "full_name": None,
            },
        ),
        (
            [
                "Timestamp",
                "Email",
                "Фамилия, имя, отчество",
                "Уровень образования",
                "Квалификационная категория",
                "Согласие на публикацию ФИО в рейтинге",
                "Согласие на обработку персональных данных",
            ],
            {
                "timestamp": 0,
                "email": 1,
                "full_name": 2,
                "education_level": 3,
                "category": 4,
                "consent_rating": 5,
                "consent_pd": 6,
                "last_name": None,
                "first_name": None,
            },
        ),
    ],
)
def test_mapping_is_guessed_from_typical_headers(headers, expected):
    guessed = imports.guess_mapping(headers)
    assert {k: guessed[k] for k in expected} == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12.04.1990", "1990-04-12"),
        ("1990-04-12", "1990-04-12"),
        ("1990-04-12 00:00:00", "1990-04-12"),
        ("32975", "1990-04-12"),
    ],
)
def test_dates_in_every_shape(text, expected):
    assert imports.parse_date(text).isoformat() == expected


def test_normalised_names_ignore_case_quotes_yo_and_spaces():
    assert tables.normalise(" МБОУ  «Средняя школа №5 им. Королёва» ") == tables.normalise(
        'мбоу "средняя школа № 5 им. королева"'
    )
