"""The KPI workbook export: a small district whose KPI values are known, exported and opened back with openpyxl."""

import io
import os
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from activities.models import Attendance
from core.models import BackgroundJob
from participants.models import ProfessionalDevelopment, User
from programs.models import Organisation
from reports.exports import export_run, export_start
from reports.kpi import KPI_BY_CODE, KPI_DEFINITIONS, QUARTERLY_CODES, KpiBreakdownRow, natural_key
from reports.models import KpiTarget
from reports.workbooks import KIND, covered_kinds, kpi_workbook_build, kpi_workbook_file_name
from reports.xlsx import DATE_FORMAT, INTEGER_FORMAT, READABLE_WIDTH, workbook_write
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
    roster_of,
)

pytestmark = pytest.mark.django_db

SHEETS = [
    "Сводка",
    "Формулы и источники",
    "По школам",
    "По сезонам",
    "По кварталам",
    "Посещаемость по занятиям",
    "Оценки по критериям",
    "Участники",
    "Посещаемость",
]
# 20:00 UTC on 5 October is 01:00 on 6 October in the season's zone (Asia/Yekaterinburg, UTC+5).
SESSION_AT = datetime(2026, 10, 5, 20, 0, tzinfo=UTC)
HEADER_ROW = 7  # six preamble lines above the header of «Сводка»


@pytest.fixture
def district():
    home, other = MunicipalityFactory(name="Октябрьский"), MunicipalityFactory(name="Заречный")
    first = OrganisationFactory(municipality=home, short_name="Школа № 1")
    second = OrganisationFactory(municipality=home, short_name="Школа № 2")
    far = OrganisationFactory(municipality=other, short_name="Дальняя школа")
    season = SeasonFactory(
        program__municipality=home,
        program__title="Школа молодого педагога",
        program__organiser=first,
        title="2026–2027",
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 5, 31),
    )
    # Young-teachers share in the home municipality: 1 of 4 teachers with a known experience = 25 %.
    ann = PersonFactory(organisation=first, last_name='=HYPERLINK("http://evil")', experience_years=3)
    bob = PersonFactory(organisation=first, last_name="Борисов", first_name="Борис", experience_years=10)
    cat = PersonFactory(organisation=second, last_name="Кошкина", experience_years=10)
    dana = PersonFactory(organisation=second, last_name="Данилова", experience_years=10)
    stranger = PersonFactory(organisation=far, last_name="Чужая", experience_years=1)
    for person in (ann, bob, cat, dana, stranger):
        roster_of(person, 2026)  # the 2026 staff rosters: the order KPIs' denominators
    KpiTarget.objects.create(
        municipality=home, code="young-teachers-share", title="Молодые", year=2026, value=Decimal("30")
    )
    session = SessionFactory(activity=ActivityFactory(season=season, title="Вебинар"), starts_at=SESSION_AT)
    marks = {ann: Attendance.Status.PRESENT, bob: Attendance.Status.ABSENT, cat: Attendance.Status.LATE}
    marks[stranger] = Attendance.Status.PRESENT
    enrollments = {}
    for person, status in marks.items():
        enrollments[person.pk] = EnrollmentFactory(person=person, season=season)
        AttendanceFactory(session=session, enrollment=enrollments[person.pk], status=status)
    management = UserFactory(role=User.Role.MANAGEMENT, municipality=home)
    return {
        "home": home,
        "other": other,
        "first": first,
        "season": season,
        "session": session,
        "management": management,
        "ann": ann,
    }


def _export(user, params, callbacks_fixture):
    with callbacks_fixture(execute=False):
        job = export_start(kind=KIND, title="Показатели", params={"user": user.pk, **params}, by=user)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    return job, load_workbook(io.BytesIO(job.result_file.read()))


def _file_name(job):
    return os.path.basename(job.result_file.name)


def _rows(sheet, first_row=2):
    return [list(row) for row in sheet.iter_rows(min_row=first_row, values_only=True)]


def _kpi_row(sheet, name):
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        if row[1].value == name:
            return row
    raise AssertionError(f"no row {name}")


def test_the_summary_sheet_holds_every_kpi_with_target_status_formats_and_a_chart(
    district, django_capture_on_commit_callbacks
):
    params = {"year": 2026, "municipality": district["home"].pk}
    job, book = _export(district["management"], params, django_capture_on_commit_callbacks)

    assert book.sheetnames == SHEETS
    assert _file_name(job).startswith(f"kpi-2026-mun{district['home'].pk}-") and _file_name(job).endswith(".xlsx")
    summary = book["Сводка"]
    preamble = [summary.cell(row=n, column=1).value for n in range(1, HEADER_ROW)]
    assert preamble[0] == "Показатели (KPI)" and preamble[1] == "Год: 2026"
    assert preamble[2] == "Муниципалитет: Октябрьский" and preamble[3] == "Школа: все"
    # On the municipality's clock (Asia/Yekaterinburg), saying whose in words.
    assert preamble[5].startswith("Сформировано ")
    assert preamble[5].endswith("(время Екатеринбурга, МСК+2)")
    header = [cell.value for cell in summary[HEADER_ROW]]
    # No column of units: each value prints with its own («25 %»), never «25 % %».
    assert header == [
        "Группа",
        "Показатель",
        "Значение",
        "Цель",
        "Цель, число",
        "Статус",
        "Числитель, значение",
        "Знаменатель, значение",
        "Прочтение приказа",
    ]
    assert summary.freeze_panes == f"A{HEADER_ROW + 1}"
    assert summary.auto_filter.ref.startswith(f"A{HEADER_ROW}:I")
    assert summary.column_dimensions["B"].width == 28

    row = _kpi_row(summary, "Доля учителей со стажем педагогической работы до пяти лет")
    group, _name, value, target, target_n, status, num, den, reading = row
    assert group.value == "приказ" and (num.value, den.value, value.value) == (1, 4, 25)
    assert target.value == "не менее 30 %" and target_n.value == 30
    assert status.value == "Не достигнуто" and status.fill.fgColor.rgb.endswith("FFCDD2")
    # As the dashboard prints them: «25 %», «30 %» (whole numbers without a decimal).
    assert value.number_format == target_n.number_format == '#,##0" %"' and num.number_format == INTEGER_FORMAT
    # How the portal reads the order's clause, wrapped; a program's KPI has none.
    assert reading.value == KPI_BY_CODE["young-teachers-share"].reading and reading.alignment.wrap_text
    participants = _kpi_row(summary, "Участвуют")
    assert participants[0].value == "программа" and participants[2].value == 3
    assert participants[2].number_format == '#,##0" чел."' and participants[8].value is None
    assert len(summary._charts) == 1  # the orders' per-cent KPIs against their targets

    # The long texts of each KPI: its formula, what it counts, whether it accumulates and the target's source.
    formulas = book["Формулы и источники"]
    assert [cell.value for cell in formulas[1]] == [
        "Показатель",
        "Формула",
        "Числитель",
        "Знаменатель",
        "Нарастающий итог",
        "Источник цели",
    ]
    by_name = {row[0]: row for row in _rows(formulas)}
    young = by_name["Доля учителей со стажем педагогической работы до пяти лет"]
    assert young[1] == KPI_BY_CODE["young-teachers-share"].formula and young[4] in ("да", "нет") and young[5]
    assert [row[0] for row in _rows(formulas)] == [_kpi_row(summary, name)[1].value for name in by_name]


def test_breakdown_sheets_per_school_season_quarter_and_activity(district, django_capture_on_commit_callbacks):
    params = {"year": 2026, "municipality": district["home"].pk}
    _job, book = _export(district["management"], params, django_capture_on_commit_callbacks)

    schools = book["По школам"]
    header = [cell.value for cell in schools[1]]
    assert header == ["Школа", "Показатель", "Значение", "Числитель", "Знаменатель", "Цель", "Статус"]
    rows = _rows(schools)
    # One row per KPI and school: the KPIs in definition order, the schools in natural order under each.
    names = [str(d.name) for d in KPI_DEFINITIONS if "organisation" in d.breakdowns]
    assert [row[1] for row in rows] == [name for name in names for _school in range(2)]
    assert {row[0] for row in rows} == {"Школа № 1", "Школа № 2"}  # the neighbour's school is not listed
    young = {row[0]: row for row in rows if row[1] == "Доля учителей со стажем педагогической работы до пяти лет"}
    assert young["Школа № 1"][2:] == [50, 1, 2, "не менее 30 %", "Достигнуто"]
    assert young["Школа № 2"][2:] == [0, 0, 2, "не менее 30 %", "Не достигнуто"]
    cell = next(c for c in schools["G"] if c.value == "Достигнуто")
    assert cell.fill.fgColor.rgb.endswith("C8E6C9")  # the status is coloured
    # The filter picks one KPI or one school.
    assert schools.freeze_panes == "A2" and schools.auto_filter.ref == f"A1:G{len(rows) + 1}"

    seasons = _rows(book["По сезонам"])
    assert {row[0] for row in seasons} == {"Школа молодого педагога — 2026–2027"}
    participants = next(row for row in seasons if row[1] == "Участвуют")
    assert participants[2:] == [3, 3, None]
    activity = _rows(book["Посещаемость по занятиям"])
    assert activity == [["Вебинар", 2, 3, 66.7]]
    quarters = book["По кварталам"]
    assert [row[0] for row in _rows(quarters)][:2] == ["3 кв. 2026", "4 кв. 2026"]
    assert len(quarters._charts) == 1


def test_raw_sheets_stream_the_scope_only_with_dates_in_the_seasons_zone(district, django_capture_on_commit_callbacks):
    params = {"year": 2026, "municipality": district["home"].pk}
    _job, book = _export(district["management"], params, django_capture_on_commit_callbacks)

    people = book["Участники"]
    assert people["C1"].value == "ФИО" and people.freeze_panes == "A2"
    rows = _rows(people)
    names = [row[2] for row in rows]
    assert len(rows) == 3 and not any("Чужая" in name for name in names)  # the neighbour's teacher is absent
    assert '\'=HYPERLINK("http://evil") Мария Петровна' in names  # a formula-looking name is neutralised
    bob = next(row for row in rows if row[2].startswith("Борисов"))
    # One municipality in scope: the preamble names it, no column repeats it.
    assert bob[:5] == ["Школа молодого педагога", "2026–2027", "Борисов Борис Петровна", "Школа № 1", "Участвует"]
    assert bob[7:] == [0, 0, 0, 0, 0]  # absent: no session attended
    assert isinstance(bob[5], datetime) and people["F2"].number_format == DATE_FORMAT

    marks = book["Посещаемость"]
    rows = _rows(marks)
    assert len(rows) == 3
    assert {row[0] for row in rows} == {datetime(2026, 10, 6)} and {row[1] for row in rows} == {"01:00"}
    assert marks["A2"].number_format == DATE_FORMAT
    assert {row[8] for row in rows} == {"Присутствовал", "Отсутствовал", "Опоздал"}
    assert {row[9] for row in rows} == {"Отмечено вручную"}
    assert marks.auto_filter.ref == "A1:J4" and marks.column_dimensions["A"].width == 11


def test_a_directors_workbook_holds_only_their_school(district, django_capture_on_commit_callbacks):
    director = PersonFactory(
        organisation=district["first"], is_manager=True, user=UserFactory(role=User.Role.DIRECTOR)
    ).user
    params = {"year": 2026, "municipality": district["home"].pk, "organisation": district["first"].pk}
    job, book = _export(director, params, django_capture_on_commit_callbacks)

    assert f"school{district['first'].pk}" in _file_name(job)
    assert book["Сводка"]["D1"].value is None and book["Сводка"]["A4"].value == "Школа: Школа № 1"
    assert {row[0] for row in _rows(book["По школам"])} == {"Школа № 1"}
    assert sorted(row[2][:7] for row in _rows(book["Участники"])) == ["'=HYPER", "Борисов"]
    assert len(_rows(book["Посещаемость"])) == 2


def test_a_superuser_without_a_municipality_gets_one_row_per_municipality(district, django_capture_on_commit_callbacks):
    admin = UserFactory(is_superuser=True, is_staff=True)
    _job, book = _export(admin, {"year": 2026}, django_capture_on_commit_callbacks)

    assert "По муниципалитетам" in book.sheetnames and "По школам" not in book.sheetnames
    places = _rows(book["По муниципалитетам"])
    assert [row[0] for row in places[:2]] == ["Заречный", "Октябрьский"]  # each KPI lists them in order
    assert len(places) == 2 * len([d for d in KPI_DEFINITIONS if "municipality" in d.breakdowns])
    # Several municipalities: the raw sheets name each row's.
    people = _rows(book["Участники"])
    assert book["Участники"]["E1"].value == "Муниципалитет" and {row[4] for row in people} == {
        "Октябрьский",
        "Заречный",
    }
    assert len(people) == 4 and len(_rows(book["Посещаемость"])) == 4


def test_a_reader_who_lost_access_gets_a_failed_job_not_data(district, django_capture_on_commit_callbacks):
    reader = district["management"]
    with django_capture_on_commit_callbacks(execute=False):
        job = export_start(kind=KIND, title="Показатели", params={"user": reader.pk, "year": 2026}, by=reader)
    reader.role = User.Role.TEACHER
    reader.save(update_fields=["role"])

    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and not job.result_file
    assert job.message == "Выгрузка не сформирована: у вас больше нет доступа к этим показателям."


def test_the_file_name_is_ascii_with_the_year_the_place_and_the_day():
    name = kpi_workbook_file_name({"user": 1, "year": 2026, "municipality": 7, "season": 3})
    assert name.startswith("kpi-2026-mun7-season3-") and name.endswith(".xlsx") and name.isascii()


def _dataset(n):
    home = MunicipalityFactory(name="Октябрьский")
    season = SeasonFactory(program__municipality=home, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    session = SessionFactory(activity__season=season, starts_at=SESSION_AT)
    for _ in range(n):
        enrollment = EnrollmentFactory(season=season, person__organisation__municipality=home)
        roster_of(enrollment.person, 2026)
        AttendanceFactory(session=session, enrollment=enrollment)
    return UserFactory(role=User.Role.MANAGEMENT, municipality=home)


@pytest.mark.parametrize("n", [1, 3])
def test_the_export_runs_a_constant_number_of_queries(n, django_capture_on_commit_callbacks, django_assert_num_queries):
    reader = _dataset(n)
    with django_capture_on_commit_callbacks(execute=False):
        job = export_start(kind=KIND, title="Показатели", params={"user": reader.pk, "year": 2026}, by=reader)

    # The KPI engine's grouped queries (результат 8 of приказ № 223/1 shares показатель 1's computation, its
    # breakdowns are its own), the kinds of the listed organisations, two counts and two streamed raw-data
    # queries: the same literal number whatever the number of enrollments, attendance marks and schools. The order
    # KPIs' roster counts are one grouped query per KPI computation context (the summary, each year, each kind of
    # breakdown: the KPIs of one long table share one context and one read of their targets), and so are the
    # organisations' (with the headcounts and the facts) and the events'; the program KPIs read the enrollments once.
    # The ШНОР schools' assessment results (сид 001, «Школа – Школе») are one query of the summary; a municipality's
    # reader gets no sheet «по муниципалитетам», the only breakdown that KPI has. The ШНОР schools' teachers with
    # courses under ИОМ (сид 001, «Школа – Школе») are one more query of the summary; that KPI has no breakdown.
    with django_assert_num_queries(93):
        export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    book = load_workbook(io.BytesIO(job.result_file.read()), read_only=True)
    assert len(_rows(book["Участники"])) == n and len(_rows(book["Посещаемость"])) == n


# --- Printing: row heights, charts, units, periods, kinds of organisation -------------------------------------

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # the fourth quarter of 2026


def _built(district, now=NOW, **params):
    """The workbook built for the municipality's management at an explicit moment, read back with openpyxl."""
    params = {"user": district["management"].pk, "year": 2026, "municipality": district["home"].pk, **params}
    sheets, _rows = kpi_workbook_build(params, now=now)
    file = io.BytesIO()
    workbook_write(sheets=sheets, file=file)
    return file.getvalue()


def _charts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        return [archive.read(name).decode() for name in names]


def test_rows_with_wrapped_text_are_as_tall_as_the_text(district):
    summary = load_workbook(io.BytesIO(_built(district)))["Сводка"]

    # LibreOffice does not size rows itself: a row left at the default 15 pt would cut a long formula to a line.
    formula = KPI_BY_CODE["dpo-federal-registry-diagnostics"].formula
    row = _kpi_row(summary, KPI_BY_CODE["dpo-federal-registry-diagnostics"].name)[0].row
    assert summary.row_dimensions[row].height >= 3 * 15 and len(formula) > 60
    assert summary.row_dimensions[HEADER_ROW].height >= 2 * 15  # «Знаменатель, значение» takes two lines
    assert summary.row_dimensions[1].height is None  # the preamble does not wrap


def test_charts_name_their_series_in_russian_and_start_a_page_of_their_own(district):
    data = _built(district)
    summary_chart, quarters_chart = _charts(data)

    assert re.findall(r"<tx><v>(.*?)</v></tx>", summary_chart) == ["Значение", "Цель"]
    assert "Цель, число" not in summary_chart
    assert re.findall(r"<tx><v>(.*?)</v></tx>", quarters_chart) == [
        str(KPI_BY_CODE[code].name) for code in QUARTERLY_CODES if KPI_BY_CODE[code].unit == "%"
    ]
    assert "Показатели приказов и цели, %" in summary_chart  # the whole title
    book = load_workbook(io.BytesIO(data))
    for name in ("Сводка", "По кварталам"):
        sheet = book[name]
        (chart,) = sheet._charts
        last = sheet.max_row
        # A manual page break under the data, the chart below it and no taller than the page.
        assert [b.id for b in sheet.row_breaks.brk] == [last + 1]
        assert chart.anchor._from.row == last + 2  # zero-based: the second row of the new page
        # As wide as the printed columns (their width sets the page's scale), no taller than 0.6 of that.
        columns_cm = sum(
            (sheet.column_dimensions[get_column_letter(n)].width * 7 + 5) * 2.54 / 96
            for n in range(1, sheet.max_column + 1)
        )
        size = chart.anchor.ext
        assert size.cx <= columns_cm * 360_000 + 1 and size.cy <= 0.6 * size.cx + 1


def test_values_print_with_their_unit_and_plural_as_on_the_dashboard(district):
    book = load_workbook(io.BytesIO(_built(district)))
    summary = book["Сводка"]
    row = _kpi_row(summary, "Доля учителей со стажем педагогической работы до пяти лет")
    assert (row[2].value, row[2].number_format) == (25, '#,##0" %"')
    participants = _kpi_row(summary, "Участвуют")
    assert (participants[2].value, participants[2].number_format) == (3, '#,##0" чел."')
    schools = book["По школам"]
    cell = next(r[2] for r in schools.iter_rows(min_row=2) if r[1].value == "Участвуют" and r[0].value == "Школа № 1")
    assert (cell.value, cell.number_format) == (2, '#,##0" чел."')
    activity = book["Посещаемость по занятиям"]
    assert (activity["D2"].value, activity["D2"].number_format) == (66.7, '#,##0.0" %"')


def test_the_quarters_stop_at_the_current_quarter(district):
    quarters = load_workbook(io.BytesIO(_built(district)))["По кварталам"]
    assert [row[0] for row in _rows(quarters)] == ["3 кв. 2026", "4 кв. 2026"]  # the season runs to May 2027

    # Midnight of 1 January on the municipality's clock (UTC+5) is still 31 December in UTC: already the new year.
    new_year = datetime(2026, 12, 31, 19, 30, tzinfo=UTC)
    quarters = load_workbook(io.BytesIO(_built(district, now=new_year)))["По кварталам"]
    assert [row[0] for row in _rows(quarters)] == ["3 кв. 2026", "4 кв. 2026", "1 кв. 2027"]


def test_an_organisation_sheet_lists_only_the_kinds_a_kpi_counts(district):
    kindergarten = OrganisationFactory(
        municipality=district["home"], short_name="МБДОУ д/с № 3", kind=Organisation.Kind.KINDERGARTEN
    )
    educator = PersonFactory(organisation=kindergarten, experience_years=2)
    EnrollmentFactory(season=district["season"], person=educator)
    # Seed 002 §6.2 and seed 003 result 6 count the kindergartens' staff too: the educator is in the 2026 roster
    # and finished a remote Federal-Registry course chosen by diagnostics.
    roster_of(educator, 2026, position="Воспитатель")
    ProfessionalDevelopment.objects.create(
        person=educator,
        course_title="Курс",
        provider="ИРО",
        hours=36,
        ends_on=date(2026, 3, 1),
        in_federal_registry=True,
        based_on_diagnostics=True,
        is_remote=True,
    )
    book = load_workbook(io.BytesIO(_built(district)))

    assert book.sheetnames[2:4] == ["По школам", "По детским садам"]
    assert {row[0] for row in _rows(book["По школам"])} == {"Школа № 1", "Школа № 2"}
    rows = _rows(book["По детским садам"])
    assert book["По детским садам"]["A1"].value == "Детский сад"
    # Only the KPIs with data there (participants), not the teachers' shares of the schools with empty cells.
    kpis = {row[1]: row for row in rows}
    assert "Участвуют" in kpis and "Доля учителей со стажем педагогической работы до пяти лет" not in kpis
    assert {row[0] for row in rows} == {"МБДОУ д/с № 3"} and kpis["Участвуют"][2] == 1
    # Seed 002 §6.2 covers kindergartens: its share is listed with the kindergarten's roster value.
    registry = "Доля педагогов, освоивших программы ДПО из Федерального реестра, подобранные по диагностике"
    assert kpis[registry][2] == 100


def test_a_definitions_covers_decides_the_kinds_and_the_data_stand_in_without_it():
    school, kindergarten = Organisation.Kind.SCHOOL, Organisation.Kind.KINDERGARTEN
    rows = [KpiBreakdownRow(key=1, label="Школа", value=0, numerator=0, denominator=None)]
    rows.append(KpiBreakdownRow(key=2, label="Сад", value=2, numerator=2, denominator=None))
    kinds = {1: school, 2: kindergarten}

    assert covered_kinds(SimpleNamespace(covers=(school,)), rows, kinds) == {"school"}
    assert covered_kinds(SimpleNamespace(), rows, kinds) == {"kindergarten"}  # where the data are
    assert covered_kinds(SimpleNamespace(), rows[:1], kinds) == {"school"}  # no data yet: the schools


def test_every_sheet_of_a_municipalitys_workbook_prints_one_page_wide_at_a_readable_size(district):
    # Within READABLE_WIDTH a page's fit-to-width scale keeps 11-point text at 8 pt or more under LibreOffice
    # (docs/kpi-workbook.md); the wide by-organisation table of a column per KPI printed at 2 pt.
    params = {"user": district["management"].pk, "year": 2026, "municipality": district["home"].pk}
    sheets, _rows = kpi_workbook_build(params, now=NOW)

    widths = {sheet.title: sum(column.width for column in sheet.columns) for sheet in sheets}
    assert set(widths) == set(SHEETS)
    assert {title: width for title, width in widths.items() if width > READABLE_WIDTH} == {}
    assert max(len(sheet.columns) for sheet in sheets if sheet.title.startswith("По ")) <= 7


def test_places_are_listed_in_natural_order_under_each_kpi(district):
    for n in (11, 3):
        OrganisationFactory(municipality=district["home"], short_name=f"Школа № {n}")
    rows = _rows(load_workbook(io.BytesIO(_built(district)))["По школам"])

    under_one = [row[0] for row in rows if row[1] == "Участвуют"]
    assert under_one == ["Школа № 1", "Школа № 2", "Школа № 3", "Школа № 11"]
    assert under_one == sorted(under_one, key=natural_key)
    assert len(rows) == 4 * len({row[1] for row in rows})
