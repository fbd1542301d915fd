"""The order KPIs (seed 002 §6.2, seed 003) on a small hand-made municipality; every answer is worked out next
to the data. The staff is the roster of the year (participants.StaffRosterEntry): here every person is in their
organisation's roster of 2023–2026 as their profile says, managers as management workers (reports.kpi)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts.models import MentoringPair
from participants.models import ManagementTeamMember, ProfessionalDevelopment, StaffHeadcount
from participants.services_teams import management_team_programme_record
from programs.models import MunicipalEvent, Organisation, OrganisationYearFacts
from reports.kpi import ORDER_KPIS, KpiScope, KpiStatus, kpi_breakdown, kpi_report, kpi_years
from reports.models import KpiTarget
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    roster_of,
)

pytestmark = pytest.mark.django_db
K = Organisation.Kind


def _training(person, ends_on, **flags):
    return ProfessionalDevelopment.objects.create(
        person=person, course_title="Курс", provider="Академия", hours=36, ends_on=ends_on, **flags
    )


@pytest.fixture
def world():
    m, n = MunicipalityFactory(name="Октябрьский район"), MunicipalityFactory(name="Соседний район")
    s1, s2, s3 = (OrganisationFactory(municipality=m, short_name=name) for name in ("Школа 1", "Школа 2", "Школа 3"))
    kg = OrganisationFactory(municipality=m, short_name="Детский сад", kind=K.KINDERGARTEN)
    t1 = OrganisationFactory(municipality=n, short_name="Школа соседей")
    # Teachers of M: a, b, c (school 1), e, f (school 2) = 5. Not teachers: d, i (managers), g (kindergarten).
    p = {
        "a": PersonFactory(organisation=s1, experience_years=2, education_level="higher"),
        "b": PersonFactory(organisation=s1, experience_years=10, education_level="higher"),
        "c": PersonFactory(organisation=s1, experience_years=None, education_level="secondary_vocational"),
        "d": PersonFactory(organisation=s1, experience_years=1, is_manager=True),
        "e": PersonFactory(organisation=s2, experience_years=3, education_level=""),
        "f": PersonFactory(organisation=s2, experience_years=20, education_level="higher"),
        "g": PersonFactory(organisation=kg, experience_years=1),
        "i": PersonFactory(organisation=s3, is_manager=True),
        "h": PersonFactory(organisation=t1, experience_years=1),
    }
    # The rosters of 2023–2026: everyone as in their profile; g heads the kindergarten (a management worker).
    for year in (2023, 2024, 2025, 2026):
        for key, person in p.items():
            head = {"position": "Заведующий", "staff_kind": "management"} if key == "g" else {}
            roster_of(person, year, **head)
    fr_diag = {"in_federal_registry": True, "based_on_diagnostics": True}
    _training(p["a"], date(2024, 5, 1), **fr_diag)
    _training(p["b"], date(2025, 10, 1), **fr_diag)
    _training(p["c"], date(2025, 9, 1), in_federal_registry=True, is_remote=True)  # not chosen by diagnostics
    _training(p["e"], date(2026, 2, 1), **fr_diag)
    _training(p["d"], date(2025, 11, 1), **fr_diag)  # a manager: no teacher
    _training(p["h"], date(2025, 1, 10), **fr_diag)  # the other municipality
    _training(p["a"], date(2025, 3, 1), is_continuous_format=True, based_on_diagnostics=True, is_remote=True)
    _training(p["f"], date(2025, 8, 1), is_continuous_format=True)  # not by diagnostics
    _training(p["g"], date(2025, 4, 1), is_remote=True)

    director = ManagementTeamMember.objects.create(organisation=s1, person=p["d"], role="Директор")
    ManagementTeamMember.objects.create(organisation=s2, person=p["f"], role="Завуч", until=date(2024, 6, 30))
    ManagementTeamMember.objects.create(organisation=s2, person=p["e"], role="Завуч", since=date(2026, 1, 1))
    head = ManagementTeamMember.objects.create(organisation=kg, person=p["g"], role="Заведующий")
    ManagementTeamMember.objects.create(organisation=s3, person=p["i"], role="Директор")
    # Teams of one take part as a team alone (seed 002, п. 6.2, показатель 2); i's team took part in none.
    for organisation, member, ends_on in ((s1, director, date(2025, 11, 1)), (kg, head, date(2025, 4, 1))):
        management_team_programme_record(
            organisation=organisation, title="Управленческая команда", ends_on=ends_on, members=[member]
        )

    OrganisationYearFacts.objects.create(
        organisation=s1, year=2025, runs_mentoring_model=True, pedagogical_classes=2, methodical_associations=4
    )
    OrganisationYearFacts.objects.create(organisation=s2, year=2025, pedagogical_classes=1)
    OrganisationYearFacts.objects.create(organisation=s3, year=2024, runs_mentoring_model=True, pedagogical_classes=5)
    season = SeasonFactory(program__municipality=m, program__organiser=kg)
    MentoringPair.objects.create(
        season=season,
        mentor=ExpertAssignmentFactory(season=season, person=p["b"]),
        mentee=EnrollmentFactory(season=season, person=p["e"]),
        started_on=date(2025, 2, 1),
    )

    C = MunicipalEvent.Category
    for place, held_on, category, organiser in [
        (m, date(2025, 3, 1), C.PROFESSION_STATUS, s1),
        (m, date(2025, 11, 1), C.PROFESSION_STATUS, None),
        (m, date(2024, 12, 31), C.PROFESSION_STATUS, None),  # last year
        (n, date(2025, 5, 5), C.PROFESSION_STATUS, t1),  # the other municipality
        (m, date(2025, 4, 1), C.PRE_PROFESSIONAL, s2),
    ]:
        MunicipalEvent.objects.create(
            municipality=place, organisation=organiser, title="Событие", held_on=held_on, category=category
        )

    for code, year, value, comparison in [
        ("dpo-federal-registry-diagnostics", 2024, "10", "gte"),
        ("dpo-federal-registry-diagnostics", 2025, "20", "gte"),
        ("dpo-federal-registry-diagnostics", 2026, "30", "gte"),
        ("management-teams-trained", 2025, "30", "gte"),
        ("higher-education-staffing", 2025, "87", "gte"),
        ("young-teachers-share", 2025, "15.5", "gte"),
        ("prestige-burnout-events", 2025, "2", "gte"),
    ]:
        KpiTarget.objects.create(
            municipality=m, code=code, title=code, year=year, value=Decimal(value), comparison=comparison
        )
    return {"m": m, "n": n, "s1": s1, "s2": s2, "s3": s3, "kg": kg}


def _by_code(results):
    return {r.code: r for r in results}


def _v(result):
    return result.value, result.numerator, result.denominator


def test_every_order_kpi_of_the_municipality(world):
    got = _by_code(kpi_report(scope=KpiScope(year=2025, municipality_id=world["m"].pk)))
    # Cumulative to 31.12.2025: a (2024) and b (2025) of 5 teachers; c is not by diagnostics, e ends in 2026,
    # d is a manager, h is in the other municipality.
    assert _v(got["dpo-federal-registry-diagnostics"]) == (40.0, 2, 5)
    assert got["dpo-federal-registry-diagnostics"].cumulative is True
    # Teams in 2025: school 1 (d), kindergarten (g), school 3 (i) = 3 (school 2's members left in 2024 or join
    # in 2026); took part as a team: school 1's and the kindergarten's team programmes ended in 2025 → 2 / 3.
    assert _v(got["management-teams-trained"]) == (66.7, 2, 3)
    # a's continuous course by diagnostics (2025) of 5 teachers; f's is not by diagnostics.
    assert _v(got["continuous-formats-diagnostics"]) == (20.0, 1, 5)
    # Known experience: a 2, b 10, e 3, f 20 → 4; under five: a, e.
    assert _v(got["young-teachers-share"]) == (50.0, 2, 4)
    # Known education: a, b, f higher, c vocational → 3 / 4 (e has none recorded).
    assert _v(got["higher-education-staffing"]) == (75.0, 3, 4)
    # School 1 (facts 2025) of 3; school 3's facts are for 2024; school 2 has only a portal pair (e is a mentee from
    # 2025), which is no school's mentoring model (приказ № 223/1, результат 5: the school's yearly fact).
    assert _v(got["mentoring-model-schools"]) == (33.3, 1, 3)
    # Pedagogical workers finishing a course in 2025: a, b, c, f = 4 (d and g are management workers); remote: a, c.
    assert _v(got["remote-pd-share"]) == (50.0, 2, 4)
    assert _v(got["prestige-burnout-events"]) == (2, 2, None)
    assert _v(got["pre-professional-events"]) == (1, 1, None)
    assert _v(got["pedagogical-classes"]) == (3, 3, None)  # 2 + 1 in 2025; school 3's 5 are 2024's
    assert _v(got["methodical-associations"]) == (4, 4, None)


def test_targets_and_status(world):
    got = _by_code(kpi_report(scope=KpiScope(year=2025, municipality_id=world["m"].pk)))
    assert got["dpo-federal-registry-diagnostics"].status == KpiStatus.MET  # 40 ≥ 20
    assert got["dpo-federal-registry-diagnostics"].target == Decimal("20")
    assert got["dpo-federal-registry-diagnostics"].target_label == "не менее 20 %"
    assert got["higher-education-staffing"].status == KpiStatus.MISSED  # 75 < 87
    assert got["higher-education-staffing"].status_label == "Не достигнуто"
    assert got["prestige-burnout-events"].status == KpiStatus.MET  # 2 ≥ 2
    assert got["pre-professional-events"].status == KpiStatus.NO_TARGET
    assert got["remote-pd-share"].status == KpiStatus.NO_TARGET


def test_cumulative_against_yearly_values_per_year(world):
    scope = KpiScope(year=2025, municipality_id=world["m"].pk)
    years = kpi_years(code="dpo-federal-registry-diagnostics", scope=scope, years=[2023, 2024, 2025, 2026])
    # Cumulative: 2023 nobody; 2024 a; 2025 a, b; 2026 a, b, e — of 5 teachers.
    assert [(r.year, r.value, r.target, r.status) for r in years] == [
        (2023, 0.0, None, KpiStatus.NO_TARGET),
        (2024, 20.0, Decimal("10"), KpiStatus.MET),
        (2025, 40.0, Decimal("20"), KpiStatus.MET),
        (2026, 60.0, Decimal("30"), KpiStatus.MET),
    ]
    teams = kpi_years(code="management-teams-trained", scope=scope, years=[2024])
    # 2024: teams of schools 1, 2, 3 and the kindergarten = 4; no team programme had ended by then.
    assert (teams[0].value, teams[0].numerator, teams[0].denominator) == (0.0, 0, 4)
    remote = kpi_years(code="remote-pd-share", scope=scope, years=[2024, 2025])
    # Yearly, not cumulative: in 2024 only a's registry course (not remote) ended.
    assert [(r.value, r.numerator, r.denominator) for r in remote] == [(0.0, 0, 1), (50.0, 2, 4)]
    mentoring = kpi_years(code="mentoring-model-schools", scope=scope, years=[2024])[0]
    assert (mentoring.value, mentoring.numerator) == (33.3, 1)  # school 3's 2024 facts only


def test_scope_by_school_and_by_the_other_municipality(world):
    school = _by_code(kpi_report(scope=KpiScope(year=2025, organisation_id=world["s1"].pk)))
    assert _v(school["dpo-federal-registry-diagnostics"]) == (66.7, 2, 3)  # a, b of a, b, c
    assert school["dpo-federal-registry-diagnostics"].target == Decimal("20")  # the school's municipality's
    assert _v(school["prestige-burnout-events"]) == (1, 1, None)  # the one school 1 organised
    other = _by_code(kpi_report(scope=KpiScope(year=2025, municipality_id=world["n"].pk)))
    assert _v(other["dpo-federal-registry-diagnostics"]) == (100.0, 1, 1)
    assert other["dpo-federal-registry-diagnostics"].status == KpiStatus.NO_TARGET


def test_empty_denominators_are_no_data_not_zero(world):
    empty = MunicipalityFactory(name="Пустой район")
    got = _by_code(kpi_report(scope=KpiScope(year=2025, municipality_id=empty.pk)))
    for code in ["dpo-federal-registry-diagnostics", "management-teams-trained", "young-teachers-share"]:
        assert _v(got[code]) == (None, 0, 0)
        assert got[code].status == KpiStatus.NO_DATA and got[code].status_label == "Нет данных"
    for code in ["dpo-federal-registry-diagnostics", "young-teachers-share"]:
        assert got[code].note == "нет данных за год: нет ни кадрового состава, ни численности персонала"
    assert _v(got["prestige-burnout-events"]) == (0, 0, None)  # a count: zero is a value


def test_breakdown_per_school_and_per_municipality(world):
    scope = KpiScope(year=2025, municipality_id=world["m"].pk)
    rows = kpi_breakdown(code="dpo-federal-registry-diagnostics", scope=scope, by="organisation")
    # School 1: a, b of 3; school 2: nobody of 2; school 3 and the kindergarten (covered by seed 002 §6.2) have
    # only a management worker in their rosters: no data, and said why.
    assert [(r.label, r.value, r.numerator, r.denominator, r.status) for r in rows] == [
        ("Детский сад", None, 0, 0, KpiStatus.NO_DATA),
        ("Школа 1", 66.7, 2, 3, KpiStatus.MET),
        ("Школа 2", 0.0, 0, 2, KpiStatus.MISSED),
        ("Школа 3", None, 0, 0, KpiStatus.NO_DATA),
    ]
    assert rows[-1].note == "нет данных за год: в кадровом составе нет педагогических работников"
    places = {
        r.label: (r.value, r.numerator, r.denominator)
        for r in kpi_breakdown(code="dpo-federal-registry-diagnostics", scope=KpiScope(year=2025), by="municipality")
    }
    assert places["Октябрьский район"] == (40.0, 2, 5) and places["Соседний район"] == (100.0, 1, 1)
    events = {r.label: r.value for r in kpi_breakdown(code="prestige-burnout-events", scope=scope, by="organisation")}
    assert events == {"Школа 1": 1, "Школа 2": 0, "Школа 3": 0, "Без организации": 1}


@pytest.mark.parametrize("by", ["organisation", "municipality"])
def test_a_breakdown_is_one_grouped_query_and_one_for_names(world, django_assert_num_queries, by):
    # The target, the grouped roster, the grouped headcounts of organisations without a roster, the names.
    with django_assert_num_queries(4):
        kpi_breakdown(code="young-teachers-share", scope=KpiScope(year=2025, municipality_id=world["m"].pk), by=by)


ORDER_YEARS = [2022, 2023, 2024, 2025, 2026]


@pytest.mark.parametrize("code", [d.code for d in ORDER_KPIS])
def test_years_measured_together_are_each_year_measured_alone(world, code):
    # A school with only a headcount in 2025 (no named roster): the joined headcount counts in that year only.
    school = OrganisationFactory(municipality=world["m"], short_name="Школа 4")
    StaffHeadcount.objects.create(
        organisation=school, year=2025, pedagogical_total=10, teachers=8, higher_education=7, teachers_under_5_years=2
    )
    MunicipalEvent.objects.create(
        municipality=world["m"], title="Событие", held_on=date(2023, 6, 1), category=MunicipalEvent.Category.OTHER
    )
    scope = KpiScope(year=2026, municipality_id=world["m"].pk)
    together = kpi_years(code=code, scope=scope, years=ORDER_YEARS)
    alone = [kpi_report(scope=KpiScope(year=y, municipality_id=world["m"].pk), codes=[code])[0] for y in ORDER_YEARS]
    assert [r.year for r in together] == ORDER_YEARS
    assert [(r.value, r.numerator, r.denominator, r.status, r.note) for r in together] == [
        (r.value, r.numerator, r.denominator, r.status, r.note) for r in alone
    ]


@pytest.mark.parametrize(
    "code", ["dpo-federal-registry-diagnostics", "management-teams-trained", "pre-professional-events"]
)
def test_an_order_kpis_years_take_the_same_queries_whatever_their_number(world, code):
    scope = KpiScope(year=2026, municipality_id=world["m"].pk)
    counts = []
    for years in ([2026], [2025, 2026], ORDER_YEARS):
        with CaptureQueriesContext(connection) as queries:
            kpi_years(code=code, scope=scope, years=years)
        counts.append(len(queries.captured_queries))
    # The targets and each shared query of the KPI once for all the years (UNION ALL of the years' aggregates).
    assert counts[0] == counts[1] == counts[2] <= 3, counts
