"""The order KPIs count the staff roster of the year asked (participants.StaffRosterEntry; StaffHeadcount where an
organisation-year has only numbers), never the people who happen to be on the portal today (reports.kpi)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import ProfessionalDevelopment, StaffHeadcount
from programs.models import Organisation
from reports.kpi import (
    KPI_BY_CODE,
    KpiContext,
    KpiScope,
    KpiStatus,
    _headcount_columns,
    _roster_query,
    kpi_breakdown,
    kpi_report,
    kpi_years,
)
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, StaffRosterEntryFactory
from tests.reports.dashboard_world import management

pytestmark = pytest.mark.django_db
K = Organisation.Kind
YOUNG, HIGHER = "young-teachers-share", "higher-education-staffing"
FR_DIAG, CONTINUOUS, REMOTE = "dpo-federal-registry-diagnostics", "continuous-formats-diagnostics", "remote-pd-share"
NO_DATA_TEXT = "нет данных за год: нет ни кадрового состава, ни численности персонала"


def _teachers(school, year, *experiences, **fields):
    return [StaffRosterEntryFactory(organisation=school, year=year, experience_years=e, **fields) for e in experiences]


def _values(code, scope, years):
    return [(r.year, r.value, r.numerator, r.denominator) for r in kpi_years(code=code, scope=scope, years=years)]


@pytest.fixture
def place():
    m = MunicipalityFactory(name="Верхнебуреинский район")
    return m, OrganisationFactory(municipality=m, short_name="Школа № 1"), KpiScope(year=2023, municipality_id=m.pk)


def test_each_year_reads_its_own_roster_and_a_year_without_one_has_no_data(place):
    m, school, scope = place
    _teachers(school, 2021, 2, 10, 12, 20)  # 1 of 4 under five years
    _teachers(school, 2022, 1, 3, 11, 13, 21)  # 2 of 5
    assert _values(YOUNG, scope, [2021, 2022, 2023]) == [
        (2021, 25.0, 1, 4),
        (2022, 40.0, 2, 5),
        (2023, None, 0, 0),
    ]
    (no_roster,) = kpi_years(code=YOUNG, scope=scope, years=[2023])
    assert no_roster.status == KpiStatus.NO_DATA and no_roster.note == NO_DATA_TEXT


def test_a_self_registered_teacher_does_not_move_the_kpi(place):
    m, school, scope = place
    _teachers(school, 2023, 1, 10, 20, 30)
    before = kpi_report(scope=scope, codes=[YOUNG, HIGHER])
    PersonFactory(organisation=school, experience_years=1, education_level="secondary_vocational")  # registers today
    after = kpi_report(scope=scope, codes=[YOUNG, HIGHER])
    assert [(r.value, r.numerator, r.denominator) for r in after] == [(25.0, 1, 4), (100.0, 4, 4)]
    assert [(r.value, r.denominator) for r in before] == [(r.value, r.denominator) for r in after]


def test_who_left_before_31_december_and_management_workers_are_not_counted(place):
    m, school, scope = place
    _teachers(school, 2023, 1, 10)
    _teachers(school, 2023, 2, left_on=date(2023, 11, 30))  # gone by the reporting date
    _teachers(school, 2023, 3, hired_on=date(2024, 1, 9), left_on=None)  # not hired yet on 31.12.2023
    _teachers(school, 2023, 4, left_on=date(2024, 2, 1))  # still there on 31.12.2023
    StaffRosterEntryFactory(organisation=school, year=2023, position="Директор", staff_kind="management")
    StaffRosterEntryFactory(organisation=school, year=2023, position="Педагог-психолог", experience_years=1)
    # Teachers on 31.12: 1, 10, 4 → 2 of 3; the psychologist is a pedagogical worker but no teacher.
    assert _values(YOUNG, scope, [2023]) == [(2023, 66.7, 2, 3)]
    # Higher education counts pedagogical workers: three teachers and the psychologist.
    assert _values(HIGHER, scope, [2023]) == [(2023, 100.0, 4, 4)]


def test_pd_shares_find_courses_through_the_matched_person_of_the_covered_kinds(place):
    m, school, scope = place
    kindergarten = OrganisationFactory(municipality=m, kind=K.KINDERGARTEN, short_name="Детский сад")
    trained = PersonFactory(organisation=school)
    educator = PersonFactory(organisation=kindergarten)
    for person in (trained, educator):
        ProfessionalDevelopment.objects.create(
            person=person,
            course_title="Курс",
            provider="ИРО",
            hours=72,
            ends_on=date(2023, 5, 1),
            in_federal_registry=True,
            based_on_diagnostics=True,
            is_continuous_format=True,
            is_remote=person == trained,
        )
    StaffRosterEntryFactory(organisation=school, year=2023, person=trained)
    StaffRosterEntryFactory(organisation=school, year=2023)  # not matched: no course can be found
    StaffRosterEntryFactory(organisation=kindergarten, year=2023, person=educator, position="Воспитатель")
    PersonFactory(organisation=school)  # on the portal, not in the roster
    got = {r.code: r for r in kpi_report(scope=scope, codes=[FR_DIAG, CONTINUOUS, REMOTE])}
    # Seed 002 §6.2 covers the district system (the kindergarten too), seed 003 indicator 1 the schools only.
    assert (got[FR_DIAG].numerator, got[FR_DIAG].denominator) == (2, 3)
    assert (got[CONTINUOUS].numerator, got[CONTINUOUS].denominator) == (1, 2)
    assert (got[REMOTE].numerator, got[REMOTE].denominator) == (1, 2)
    assert KPI_BY_CODE[FR_DIAG].covers == (K.SCHOOL, K.KINDERGARTEN, K.ADDITIONAL)
    assert KPI_BY_CODE[CONTINUOUS].covers == KPI_BY_CODE[YOUNG].covers == (K.SCHOOL,)


def test_a_headcount_only_school_counts_its_numbers_and_is_left_out_of_pd_shares(place):
    m, school, scope = place
    _teachers(school, 2023, 1, 10, 20, 30)  # 1 of 4 young; all with higher education
    numbers_only = OrganisationFactory(municipality=m, short_name="Школа № 2")
    StaffHeadcount.objects.create(
        organisation=numbers_only, year=2023, pedagogical_total=20, teachers=16, higher_education=15,
        teachers_under_5_years=3, management_total=2,
    )  # fmt: skip
    got = {r.code: r for r in kpi_report(scope=scope, codes=[YOUNG, HIGHER, CONTINUOUS])}
    assert (got[YOUNG].numerator, got[YOUNG].denominator) == (4, 20)  # 1 + 3 of 4 + 16
    assert (got[HIGHER].numerator, got[HIGHER].denominator) == (19, 24)  # 4 + 15 of 4 + 20
    assert (got[CONTINUOUS].numerator, got[CONTINUOUS].denominator) == (0, 4)  # school 2's staff cannot be matched
    assert "в расчёт не входят: 1" in got[CONTINUOUS].note
    rows = {r.label: r for r in kpi_breakdown(code=CONTINUOUS, scope=scope, by="organisation")}
    assert rows["Школа № 2"].value is None and rows["Школа № 2"].note.startswith(
        "нет данных за год: есть только численность персонала без списка работников"
    )
    assert {r.label: r.value for r in kpi_breakdown(code=YOUNG, scope=scope, by="organisation")} == {
        "Школа № 1": 25.0,
        "Школа № 2": 18.8,
    }


def test_the_roster_wins_over_a_headcount_of_the_same_year(place):
    m, school, scope = place
    _teachers(school, 2023, 1, 10)
    StaffHeadcount.objects.create(
        organisation=school, year=2023, pedagogical_total=50, teachers=40, higher_education=40, teachers_under_5_years=1
    )
    StaffHeadcount.objects.create(
        organisation=school, year=2022, pedagogical_total=50, teachers=40, higher_education=40, teachers_under_5_years=8
    )
    assert _values(YOUNG, scope, [2022, 2023]) == [(2022, 20.0, 8, 40), (2023, 50.0, 1, 2)]


def test_the_dashboard_says_there_is_no_data_for_the_year(client, place):
    m, school, scope = place
    _teachers(school, 2022, 1, 10)
    client.force_login(management(m))
    html = client.get(reverse("kpi_dashboard"), {"year": 2023}).content.decode()
    row = html[html.index(f'id="kpi-{YOUNG}"') :]
    row = row[: row.index("</tr>")]
    assert "Нет данных" in row and NO_DATA_TEXT in row
    html = client.get(reverse("kpi_dashboard"), {"year": 2022}).content.decode()
    row = html[html.index(f'id="kpi-{YOUNG}"') :]
    assert NO_DATA_TEXT not in row[: row.index("</tr>")]


def test_a_kindergartens_headcount_is_left_out_of_the_district_pd_share_and_only_read_numbers_are_summed(place):
    m, school, scope = place
    _teachers(school, 2023, 1, 10)
    kindergarten = OrganisationFactory(municipality=m, kind=K.KINDERGARTEN, short_name="Детский сад № 1")
    StaffHeadcount.objects.create(
        organisation=kindergarten, year=2023, pedagogical_total=12, teachers=0, higher_education=9,
        teachers_under_5_years=0, management_total=1,
    )  # fmt: skip
    (fr,) = kpi_report(scope=scope, codes=[FR_DIAG])
    assert (fr.numerator, fr.denominator) == (0, 2) and "в расчёт не входят: 1" in fr.note
    got = {r.code: r for r in kpi_report(scope=scope, codes=[YOUNG, HIGHER])}
    assert (got[YOUNG].numerator, got[YOUNG].denominator) == (1, 2)  # the kindergarten's numbers are no school's
    assert (got[HIGHER].numerator, got[HIGHER].denominator) == (2, 2)  # not 9 of 12 more
    # The organisations' query sums the school headcount's four numbers (показатели 2 and 3) and counts the
    # district system's headcount-only organisations, whose numbers no KPI reads.
    _, sums = _headcount_columns(KpiContext(scope, timezone.now()))
    district = "_".join(KPI_BY_CODE[FR_DIAG].covers)
    assert set(sums) == {
        "school__orgs",
        "school__teachers",
        "school__teachers_under_5_years",
        "school__pedagogical_total",
        "school__higher_education",
        f"{district}__orgs",
    }


def test_the_staff_of_the_same_kinds_is_counted_once_for_the_kpis_that_cover_them(place):
    m, school, scope = place
    _teachers(school, 2023, 1, 10)
    kindergarten = OrganisationFactory(municipality=m, kind=K.KINDERGARTEN)
    _teachers(kindergarten, 2023, 3)
    got = {r.code: r for r in kpi_report(scope=scope, codes=[FR_DIAG, CONTINUOUS, YOUNG, HIGHER, REMOTE])}
    assert got[FR_DIAG].denominator == 3 and got[CONTINUOUS].denominator == 2  # the district system; schools
    assert (got[YOUNG].numerator, got[YOUNG].denominator) == (1, 2)
    # One staff count per set of kinds covered, not one per roster KPI.
    _, aggregates = _roster_query(KpiContext(scope, timezone.now()))
    staff = {name for name in aggregates if name.startswith("staff__")}
    assert staff == {"staff__" + "_".join(KPI_BY_CODE[code].covers) for code in (FR_DIAG, CONTINUOUS, REMOTE)}
    assert len(staff) == 2
