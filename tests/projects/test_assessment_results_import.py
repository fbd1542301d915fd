"""The import of ВПР/ОГЭ/ЕГЭ results (сид 001, «Школа – Школе»): all or nothing, every problem at its row and
column in Russian, file limits, a constant number of queries whatever the number of rows."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.import_templates import import_template_xlsx
from core.tables import FileProblem
from projects import imports_school_pairs
from projects.imports_school_pairs import TEMPLATE_COLUMNS, assessment_results_import, assessment_results_read
from projects.models import AssessmentResult
from tests.projects.school_pairs_world import build_world

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in TEMPLATE_COLUMNS]


@pytest.fixture
def w():
    return build_world()


def _row(
    school="ГБОУ школа № 500",
    year="2025",
    assessment="ВПР",
    subject="Математика",
    grade="5",
    n="54",
    avg="3,6",
    low="12,5",
):
    return [school, year, assessment, subject, grade, n, avg, low]


def _xlsx(rows, headers=HEADERS, title_rows=()) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in title_rows:
        sheet.append(row)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return SimpleUploadedFile("results.xlsx", buf.getvalue())


def _csv(rows, encoding="cp1251", headers=HEADERS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("results.csv", out.getvalue().encode(encoding))


def test_good_file_saves_every_field(w):
    report = assessment_results_import(
        file=_xlsx(
            [
                _row(),
                _row(assessment="ОГЭ", grade="", avg="3,1", low="8"),
                _row(assessment="ЕГЭ", grade="", avg="61,5", low="4"),
            ]
        ),
        municipality=w["home"],
    )
    assert report.ok and report.created == 3
    vpr = AssessmentResult.objects.get(assessment="vpr")
    assert (vpr.organisation, vpr.year, vpr.subject, vpr.grade, vpr.participants) == (w["weak"], 2025, w["math"], 5, 54)
    assert (vpr.average, vpr.low_share) == (Decimal("3.60"), Decimal("12.50"))
    assert AssessmentResult.objects.get(assessment="oge").grade == 9
    assert AssessmentResult.objects.get(assessment="ege").grade == 11


def test_csv_in_windows_1251_and_a_header_below_a_title_line(w):
    assert assessment_results_import(file=_csv([_row()]), municipality=w["home"]).created == 1
    titled = _xlsx([_row(grade="6")], title_rows=[["Результаты ВПР 2025 года"], []])
    assert assessment_results_import(file=titled, municipality=w["home"]).created == 1


def test_wrong_columns_are_named(w):
    with pytest.raises(FileProblem, match="нет столбцов «Процедура»"):
        assessment_results_read(
            file=_xlsx(
                [_row()],
                headers=[
                    "Школа",
                    "Год",
                    "Что",
                    "Предмет",
                    "Класс",
                    "Участников",
                    "Средний балл",
                    "Доля низких результатов, %",
                ],
            )
        )


def test_every_bad_cell_is_reported_at_its_row_and_column_and_nothing_saved(w):
    report = assessment_results_import(
        file=_xlsx(
            [
                _row(),
                _row(school="ГБОУ школа № 999"),
                _row(school="МБОУ СОШ № 9"),  # another municipality's school
                _row(year="25"),
                _row(assessment="ГИА-5"),
                _row(subject="Астрология"),
                _row(grade="3"),
                _row(assessment="ОГЭ", grade="11"),
                _row(n="0"),
                _row(avg="6"),
                _row(assessment="ЕГЭ", grade="11", avg="101"),
                _row(low="сто"),
            ]
        ),
        municipality=w["home"],
    )
    assert not report.ok and report.created == 0
    assert not AssessmentResult.objects.exists()
    found = {(p.row_number, p.column): p.message for p in report.problems}
    assert "не найдена среди организаций муниципалитета «Московский район»" in found[(3, "Школа")]
    assert "не найдена" in found[(4, "Школа")]
    assert "не год от 2000 до 2100" in found[(5, "Год")]
    assert "ожидается ВПР, ОГЭ или ЕГЭ" in found[(6, "Процедура")]
    assert "нет в справочнике предметов" in found[(7, "Предмет")]
    assert "класс от 4 до 11" in found[(8, "Класс")]
    assert "ОГЭ сдают в 9 классе" in found[(9, "Класс")]
    assert "не целое число от 1" in found[(10, "Участников")]
    assert "не число от 2 до 5" in found[(11, "Средний балл")]
    assert "не число от 0 до 100" in found[(12, "Средний балл")]
    assert "не число от 0 до 100" in found[(13, "Доля низких результатов, %")]
    assert {p.row_number for p in report.problems} == set(range(3, 14))


def test_duplicate_rows_and_results_already_on_the_portal(w):
    report = assessment_results_import(file=_xlsx([_row(), _row(avg="4")]), municipality=w["home"])
    assert [(p.row_number, p.message) for p in report.problems] == [
        (3, "Результат этой школы по этой процедуре, предмету, классу и году уже есть в строке 2.")
    ]
    assert assessment_results_import(file=_xlsx([_row()]), municipality=w["home"]).created == 1
    again = assessment_results_import(file=_xlsx([_row(), _row(grade="6")]), municipality=w["home"])
    assert [p.row_number for p in again.problems] == [2]
    assert "уже внесён" in again.problems[0].message
    assert AssessmentResult.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("results.pdf", b"%PDF-1.4", "Загрузите таблицу Excel (.xlsx) или CSV"),
        ("results.xls", b"\xd0\xcf\x11\xe0", "Старый формат Excel (.xls)"),
        ("results.xlsx", b"not a zip at all", "Файл не является книгой Excel (XLSX)"),
        ("results.csv", b"", "Файл пуст"),
        ("results.csv", ";".join(HEADERS).encode(), "только заголовки"),
    ],
)
def test_unreadable_files_get_a_clear_error(name, content, message):
    with pytest.raises(FileProblem, match=re.escape(message)):
        assessment_results_read(file=SimpleUploadedFile(name, content))


def test_too_large_file():
    with pytest.raises(FileProblem, match="слишком большой"):
        assessment_results_read(file=SimpleUploadedFile("results.csv", b"a" * (5 * 1024 * 1024 + 1)))


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(imports_school_pairs, "MAX_ROWS", 2)
    with pytest.raises(FileProblem, match="больше 2 строк"):
        assessment_results_read(file=_csv([_row(), _row(grade="6"), _row(grade="7")], encoding="utf-8"))


def test_the_template_is_read_back_by_the_reader(w):
    workbook = load_workbook(io.BytesIO(import_template_xlsx(TEMPLATE_COLUMNS, title="Результаты")))
    headers = [c.value for c in workbook.worksheets[0][1]]
    examples = [str(c.example) for c in TEMPLATE_COLUMNS]
    examples[0] = "ГБОУ школа № 500"
    report = assessment_results_import(file=_xlsx([examples], headers=headers), municipality=w["home"])
    assert report.ok and report.created == 1


def test_query_count_does_not_grow_with_rows(w, django_assert_num_queries):
    with django_assert_num_queries(6):
        one = assessment_results_import(file=_xlsx([_row()]), municipality=w["home"])
    with django_assert_num_queries(6):
        three = assessment_results_import(
            file=_xlsx([_row(year="2024"), _row(year="2024", grade="6"), _row(school="ГБОУ школа № 501", year="2024")]),
            municipality=w["home"],
        )
    assert (one.created, three.created) == (1, 3)
