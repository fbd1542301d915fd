"""Import of ДПО records (participants.services_pd): columns from Russian headers, people found by e-mail, ФИО
and birth date within the municipality, all-or-nothing with a row-by-row report, constant queries."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.tables import FileProblem
from participants.models import ProfessionalDevelopment
from participants.services_pd import professional_development_import, professional_development_read
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "№ п/п",
    "ФИО",
    "E-mail",
    "Дата рождения",
    "Программа (курс)",
    "Организация-провайдер",
    "Количество часов",
    "Дата начала",
    "Дата окончания",
    "Программа из Федерального реестра (да/нет)",
    "Дистанционно (да/нет)",
    "По итогам диагностики (да/нет)",
    "Непрерывный формат (да/нет)",
    "Номер удостоверения",
]


def _row(n=1, **over):
    values = {
        "name": "Смирнова Анна Сергеевна",
        "email": "",
        "birth": "",
        "course": "Функциональная грамотность",
        "provider": "ФГАОУ ДПО «Академия Минпросвещения России»",
        "hours": "72",
        "starts": "01.02.2025",
        "ends": "28.02.2025",
        "registry": "да",
        "remote": "да",
        "diagnostics": "нет",
        "continuous": "нет",
        "document": f"7700-{n}",
    }
    values.update(over)
    return [str(n), *values.values()]


def _xlsx(rows, headers=HEADERS, title_rows=()) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for line in title_rows:
        ws.append(line)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("dpo.xlsx", buf.getvalue())


def _csv(rows, delimiter=";", encoding="cp1251", headers=HEADERS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("dpo.csv", out.getvalue().encode(encoding))


@pytest.fixture
def muni():
    return MunicipalityFactory()


@pytest.fixture
def school(muni):
    return OrganisationFactory(municipality=muni)


@pytest.fixture
def anna(school):
    return PersonFactory(
        last_name="Смирнова",
        first_name="Анна",
        middle_name="Сергеевна",
        birth_date=date(1985, 5, 17),
        organisation=school,
        user=None,
        email="anna@school.ru",
    )


@pytest.fixture
def coordinator(muni):
    return UserFactory(is_staff=True, municipality=muni)


def _import(file, muni, by):
    return professional_development_import(file=file, municipality=muni, by=by)


def test_good_file_saves_every_field(muni, anna, coordinator):
    report = _import(
        _xlsx(
            [
                _row(1),
                _row(
                    2,
                    course="Наставничество",
                    provider="ИРО ХМАО-Югры",
                    hours="36 ч",
                    starts="",
                    ends="2024-11-15",
                    registry="нет",
                    remote="нет",
                    diagnostics="да",
                    continuous="да",
                    document="",
                ),
            ]
        ),
        muni,
        coordinator,
    )
    assert report.ok, report.lines()
    assert report.created == 2
    first, second = ProfessionalDevelopment.objects.order_by("ends_on").reverse()
    assert (first.person, first.course_title, first.provider) == (
        anna,
        "Функциональная грамотность",
        "ФГАОУ ДПО «Академия Минпросвещения России»",
    )
    assert (first.hours, first.starts_on, first.ends_on) == (72, date(2025, 2, 1), date(2025, 2, 28))
    assert (first.in_federal_registry, first.is_remote, first.based_on_diagnostics, first.is_continuous_format) == (
        True,
        True,
        False,
        False,
    )
    assert first.document_number == "7700-1"
    assert first.source == ProfessionalDevelopment.Source.IMPORT and first.created_by == coordinator
    assert (second.hours, second.starts_on, second.ends_on, second.document_number) == (
        36,
        None,
        date(2024, 11, 15),
        "",
    )
    assert (second.in_federal_registry, second.is_remote, second.based_on_diagnostics, second.is_continuous_format) == (
        False,
        False,
        True,
        True,
    )


def test_csv_in_windows_1251_with_semicolons(muni, anna, coordinator):
    report = _import(_csv([_row(1)]), muni, coordinator)
    assert report.ok and report.created == 1


def test_header_below_a_title_line_and_separate_name_columns(muni, anna, coordinator):
    headers = ["Фамилия", "Имя", "Отчество", "Курс", "Провайдер", "Часы", "Дата окончания"]
    file = _xlsx(
        [["смирнова", "анна", "сергеевна", "Курс", "ИРО", "16", "10.10.2025"]],
        headers=headers,
        title_rows=[["Реестр повышения квалификации за 2025 год"]],
    )
    report = _import(file, muni, coordinator)
    assert report.ok, report.lines()
    pd = ProfessionalDevelopment.objects.get()
    assert pd.person == anna and not pd.in_federal_registry


def test_english_headers_are_recognised_too(muni, anna, coordinator):
    """The header error of an English interface names English headers, so a file with them must work."""
    headers = [
        "No.", "Full name", "Email", "Date of birth", "Program (course)", "Provider", "Hours", "Start date",
        "End date", "Federal Registry (yes/no)", "Remote (yes/no)", "Based on diagnostics (yes/no)",
        "Continuous format (yes/no)", "Certificate number",
    ]  # fmt: skip
    row = _row(1, email="anna@school.ru", registry="yes", remote="no", diagnostics="yes", continuous="yes")
    report = _import(_xlsx([row], headers=headers), muni, coordinator)
    assert report.ok, report.lines()
    pd = ProfessionalDevelopment.objects.get()
    assert (pd.person, pd.hours, pd.ends_on, pd.document_number) == (anna, 72, date(2025, 2, 28), "7700-1")
    assert (pd.in_federal_registry, pd.is_remote, pd.based_on_diagnostics, pd.is_continuous_format) == (
        True,
        False,
        True,
        True,
    )
    assert pd.starts_on == date(2025, 2, 1) and pd.provider.startswith("ФГАОУ ДПО")


def test_matching_by_email_first(muni, school, anna, coordinator):
    # The row names someone else, but the address is Anna's: the address wins.
    PersonFactory(last_name="Петрова", first_name="Ольга", middle_name="", organisation=school, user=None)
    report = _import(_xlsx([_row(1, name="Петрова Ольга", email="ANNA@school.ru")]), muni, coordinator)
    assert report.ok
    assert report.rows[0].matched_by == "по e-mail"
    assert ProfessionalDevelopment.objects.get().person == anna


def test_matching_by_name_and_birth_date(muni, school, anna, coordinator):
    namesake = PersonFactory(
        last_name="Смирнова",
        first_name="Анна",
        middle_name="Сергеевна",
        birth_date=date(1990, 1, 2),
        organisation=school,
        user=None,
    )
    ambiguous = _import(_xlsx([_row(1)]), muni, coordinator)
    assert ambiguous.lines() == [
        "Строка 2 (ФИО): ФИО «Смирнова Анна Сергеевна» соответствует нескольким педагогам (2): укажите e-mail или "
        "дату рождения."
    ]
    assert not ProfessionalDevelopment.objects.exists()
    report = _import(_xlsx([_row(1, birth="02.01.1990", name="СМИРНОВА анна сергеевна")]), muni, coordinator)
    assert report.ok
    assert report.rows[0].matched_by == "по ФИО и дате рождения"
    assert ProfessionalDevelopment.objects.get().person == namesake


def test_people_of_another_municipality_are_not_found(muni, coordinator):
    PersonFactory(last_name="Смирнова", first_name="Анна", middle_name="Сергеевна", email="anna@school.ru")
    report = _import(_xlsx([_row(1, email="anna@school.ru")]), muni, coordinator)
    assert report.lines() == [
        "Строка 2 (ФИО): Педагог «Смирнова Анна Сергеевна» не найден среди педагогов муниципалитета."
    ]


def test_every_bad_row_is_reported_and_nothing_saved(muni, school, anna, coordinator):
    PersonFactory(last_name="Ким", first_name="Олег", middle_name="", organisation=school, user=None)
    PersonFactory(last_name="Ким", first_name="Олег", middle_name="", organisation=school, user=None)
    ProfessionalDevelopment.objects.create(
        person=anna,
        course_title="Старый курс",
        provider="ИРО",
        hours=16,
        ends_on=date(2023, 5, 1),
        document_number="D-1",
    )
    rows = [
        _row(1),  # good on its own
        _row(2, name="Неизвестная Мария"),
        _row(3, name="Ким Олег"),
        _row(4, ends="31.02.2025", document="x4"),
        _row(5, hours="0", document="x5", course="Курс 5"),
        _row(6, hours="полтора", document="x6", course="Курс 6"),
        _row(7, starts="10.03.2025", ends="01.03.2025", document="x7", course="Курс 7"),
        _row(8, document="7700-1", course="Другой курс"),
        _row(9, document="D-1", course="Третий курс"),
        _row(10, registry="может быть", document="x10", course="Четвёртый"),
    ]
    report = _import(_xlsx(rows), muni, coordinator)
    assert report.created == 0
    assert not ProfessionalDevelopment.objects.exclude(document_number="D-1").exists()
    assert report.lines() == [
        "Строка 3 (ФИО): Педагог «Неизвестная Мария» не найден среди педагогов муниципалитета.",
        "Строка 4 (ФИО): ФИО «Ким Олег» соответствует нескольким педагогам (2): укажите e-mail или дату рождения.",
        "Строка 5 (Дата окончания): «31.02.2025» — не дата: пишите ДД.ММ.ГГГГ, например 25.03.2025.",
        "Строка 6 (Количество часов): Часы «0» — не целое положительное число.",
        "Строка 7 (Количество часов): Часы «полтора» — не целое положительное число.",
        "Строка 8 (Дата окончания): Обучение заканчивается (01.03.2025) раньше, чем начинается (10.03.2025).",
        "Строка 9 (Номер удостоверения): Удостоверение № 7700-1 этого педагога уже есть в строке 2.",
        "Строка 10 (Номер удостоверения): Удостоверение № D-1 у педагога Смирнова Анна Сергеевна, "
        f"{anna.organisation.short_name} уже внесено на портал.",
        "Строка 11 (Программа из Федерального реестра (да/нет)): «может быть» — ожидается «да» или «нет».",
    ]


def test_same_course_already_recorded_is_refused(muni, anna, coordinator):
    _import(_xlsx([_row(1, document="")]), muni, coordinator)
    again = _import(_xlsx([_row(1, document="")]), muni, coordinator)
    assert again.created == 0
    assert "уже внесён на портал" in again.lines()[0]
    assert ProfessionalDevelopment.objects.count() == 1


def test_formula_cells_are_kept_as_text(muni, anna, coordinator):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(_row(1, course="=1+1"))
    buf = io.BytesIO()
    wb.save(buf)
    report = _import(SimpleUploadedFile("dpo.xlsx", buf.getvalue()), muni, coordinator)
    assert report.ok, report.lines()
    assert ProfessionalDevelopment.objects.get().course_title == "=1+1"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dpo.pdf", b"%PDF-1.4", "Загрузите таблицу Excel (.xlsx) или CSV"),
        ("dpo.xls", b"\xd0\xcf\x11\xe0", "Старый формат Excel (.xls)"),
        ("dpo.xlsx", b"not a zip at all", "Файл не является книгой Excel (XLSX)"),
        ("dpo.csv", b"", "Файл пуст"),
        ("dpo.csv", "Фамилия;Имя\nИванова;Мария\n".encode(), "Не найдена строка заголовков"),
        ("dpo.csv", ";".join(HEADERS).encode(), "только заголовки"),
    ],
)
def test_unreadable_files_get_a_clear_error(name, content, message):
    with pytest.raises(FileProblem, match=re.escape(message)):
        professional_development_read(file=SimpleUploadedFile(name, content))


def test_too_large_file(settings):
    big = SimpleUploadedFile("dpo.csv", b"a" * (5 * 1024 * 1024 + 1))
    with pytest.raises(FileProblem, match="слишком большой"):
        professional_development_read(file=big)


def test_too_many_rows(monkeypatch):
    from participants import services_pd

    monkeypatch.setattr(services_pd, "MAX_ROWS", 2)
    with pytest.raises(FileProblem, match="больше 2 строк"):
        professional_development_read(file=_csv([_row(1), _row(2), _row(3)], encoding="utf-8"))


def test_query_count_does_not_grow_with_rows(muni, school, anna, coordinator, django_assert_num_queries):
    others = [
        PersonFactory(last_name=f"Учитель{i}", first_name="Иван", middle_name="", organisation=school, user=None)
        for i in range(2)
    ]
    with django_assert_num_queries(5):
        one = _import(_xlsx([_row(1)]), muni, coordinator)
    with django_assert_num_queries(5):
        three = _import(
            _xlsx(
                [
                    _row(1, document="a", course="Курс А"),
                    _row(2, name=f"{others[0].last_name} Иван", document="b"),
                    _row(3, name=f"{others[1].last_name} Иван", document="c"),
                ]
            ),
            muni,
            coordinator,
        )
    assert (one.created, three.created) == (1, 3)
