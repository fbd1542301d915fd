"""Import of a staff roster (participants.services_roster): columns from Russian headers, organisations of the
coordinator's municipality, workers matched to portal people by organisation + ФИО + birth date (then ФИО alone
when unique there), all-or-nothing with a Russian row-by-row report, constant queries."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.tables import FileProblem
from participants.models import StaffRosterEntry
from participants.services_roster import staff_roster_check, staff_roster_import, staff_roster_read
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, StaffRosterEntryFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "№",
    "Образовательная организация",
    "ФИО",
    "Дата рождения",
    "Должность",
    "Уровень образования",
    "Педагогический стаж, лет",
    "Квалификационная категория",
    "Дата приёма",
    "Дата увольнения",
]


def _row(n=1, **over):
    values = {
        "org": "МБОУ СОШ № 5",
        "name": "Смирнова Анна Сергеевна",
        "birth": "17.05.1985",
        "position": "Учитель математики",
        "education": "высшее",
        "experience": "12",
        "category": "первая",
        "hired": "01.09.2013",
        "left": "",
    }
    values.update(over)
    return [str(n), *values.values()]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["Кадровый состав на 31.12.2025"])  # a title line above the header
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("staff.xlsx", buf.getvalue())


def _csv(rows, headers=HEADERS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("staff.csv", out.getvalue().encode("cp1251"))


@pytest.fixture
def muni():
    return MunicipalityFactory(name="Октябрьский район")


@pytest.fixture
def school(muni):
    return OrganisationFactory(municipality=muni, short_name="МБОУ СОШ № 5")


@pytest.fixture
def anna(school):
    return PersonFactory(
        last_name="Смирнова",
        first_name="Анна",
        middle_name="Сергеевна",
        birth_date=date(1985, 5, 17),
        organisation=school,
    )


def _problems(report):
    return [str(p) for p in report.problems]


def test_a_good_file_is_imported_with_matching_reported_per_row(muni, school, anna):
    PersonFactory(last_name="Петров", first_name="Илья", middle_name="", birth_date=None, organisation=school)
    rows = [
        _row(1),
        _row(2, name="Петров Илья", birth="03.03.1990", position="Директор", experience="20"),
        _row(3, name="Новикова Ольга Ивановна", birth="", education="среднее профессиональное", experience="2"),
    ]
    report = staff_roster_import(file=_xlsx(rows), municipality=muni, year=2025)

    assert report.ok and report.created == 3 and report.matched == 2
    notes = {row.full_name: row.match_note for row in report.rows}
    assert notes["Смирнова Анна Сергеевна"].startswith("сопоставлен с Смирнова Анна Сергеевна (по ФИО и дате рождения)")
    assert notes["Петров Илья"] == "сопоставлен с Петров Илья (по ФИО)"  # no birth date on the portal, one Petrov
    assert notes["Новикова Ольга Ивановна"] == "на портале не найден: новый человек на портале не создаётся"
    entries = {e.last_name: e for e in StaffRosterEntry.objects.all()}
    assert entries["Смирнова"].person == anna and entries["Смирнова"].is_teacher
    assert entries["Смирнова"].experience_years == 12 and entries["Смирнова"].hired_on == date(2013, 9, 1)
    assert entries["Петров"].staff_kind == "management" and not entries["Петров"].is_teacher  # from the position
    assert entries["Новикова"].person is None and entries["Новикова"].education_level == "secondary_vocational"
    assert {e.year for e in entries.values()} == {2025}
    assert StaffRosterEntry.objects.count() == 3 and anna.__class__.objects.count() == 2  # no person created


def test_name_alone_does_not_match_two_namesakes_or_another_birth_date(muni, school, anna):
    PersonFactory(
        last_name="Смирнова", first_name="Анна", middle_name="Сергеевна", birth_date=None, organisation=school
    )
    report = staff_roster_import(file=_csv([_row(1, birth="")]), municipality=muni, year=2025)
    assert report.ok and report.rows[0].person_id is None  # two namesakes: nobody guessed
    other = OrganisationFactory(municipality=muni, short_name="МБОУ СОШ № 6")
    PersonFactory(
        last_name="Орлова", first_name="Вера", middle_name="", birth_date=date(1970, 1, 1), organisation=other
    )
    report = staff_roster_import(
        file=_csv([_row(1, org="МБОУ СОШ № 6", name="Орлова Вера", birth="02.02.1980")]), municipality=muni, year=2024
    )
    assert report.ok and report.rows[0].person_id is None  # the same name, another birth date: another person


def test_wrong_columns_are_a_file_problem():
    with pytest.raises(FileProblem, match="Не найдена строка заголовков: нет столбцов «Организация»"):
        staff_roster_read(file=_xlsx([["1", "Иванова"]], headers=["№", "ФИО", "Стаж"]))
    with pytest.raises(FileProblem, match="Загрузите таблицу Excel"):
        staff_roster_read(file=SimpleUploadedFile("staff.pdf", b"%PDF"))


def test_bad_dates_duplicates_and_another_municipalitys_school_write_nothing(muni, school, anna):
    OrganisationFactory(municipality=MunicipalityFactory(name="Заречный район"), short_name="Заречная школа")
    rows = [
        _row(1),
        _row(2, name="Кузнецова Дарья", birth="31.02.1990"),
        _row(3, org="Заречная школа", name="Чужая Ирина"),
        _row(4),  # row 1 again
        _row(5, name="Лебедев Олег", hired="01.09.2020", left="01.09.2019"),
        _row(6, name="Белова Нина", experience="сто"),
        _row(7, name="Громова Ева", left="30.06.2023"),
    ]
    report = staff_roster_import(file=_xlsx(rows), municipality=muni, year=2025)

    assert not report.ok and report.created == 0
    assert StaffRosterEntry.objects.count() == 0
    lines = _problems(report)
    assert "Строка 4 (Дата рождения): «31.02.1990» — не дата: пишите ДД.ММ.ГГГГ, например 01.09.2015." in lines
    assert (
        "Строка 5 (Образовательная организация): Организация «Заречная школа» не найдена среди организаций "
        "муниципалитета «Октябрьский район»." in lines
    )
    assert "Строка 6 (ФИО): Этот работник (то же ФИО и дата рождения) уже есть в строке 3." in lines
    assert "Строка 7 (Дата увольнения): Дата увольнения (01.09.2019) раньше даты приёма (01.09.2020)." in lines
    assert "Строка 8 (Педагогический стаж, лет): Стаж «сто» — не число лет от 0 до 70." in lines
    assert (
        "Строка 9 (Дата увольнения): Уволен(а) 30.06.2023 — до 2025 года: в состав этого года работник не входит."
        in lines
    )


def test_a_worker_already_in_the_years_roster_is_a_row_error(muni, school, anna):
    StaffRosterEntryFactory(organisation=school, year=2025, person=anna, last_name="Смирнова", first_name="Анна")
    report = staff_roster_import(file=_csv([_row(1)]), municipality=muni, year=2025)
    assert _problems(report) == [
        "Строка 2 (ФИО): Смирнова Анна Сергеевна уже есть в кадровом составе «МБОУ СОШ № 5» за 2025 год."
    ]
    assert staff_roster_import(file=_csv([_row(1)]), municipality=muni, year=2026).ok  # another year is free


def test_checking_runs_a_constant_number_of_queries(muni, school, django_assert_num_queries):
    for n in (1, 30):
        rows = [_row(i, name=f"Работник{i} Анна", birth="") for i in range(n)]
        table = staff_roster_read(file=_csv(rows))
        # organisations, people, the year's roster rows of the file's organisations
        with django_assert_num_queries(3):
            assert staff_roster_check(table=table, municipality=muni, year=2025 + n).ok
