"""Seed 003 (приказ № 223/1 от 17.05.2022, «Педкластер 27»), «Показатели реализации проекта» 1–3 and ожидаемый
результат 6, against the staff roster of the year (кадровый состав на 31 декабря, as forms 85-К and ОО-1 count
staff): «доля учителей общеобразовательных организаций, имеющих стаж педагогической работы до пяти лет, в общей
численности учителей общеобразовательных организаций» — 17 of 110 teachers is 15,4545… %: shown as «15,5 %»,
«Не достигнуто» against «не менее 15,5 %». Each year reads its own roster; a year without one has no data."""

from datetime import date

import pytest

from participants.models import ProfessionalDevelopment, StaffHeadcount, StaffRosterEntry
from participants.services_roster import staff_roster_copy_to_next_year
from programs.models import Organisation
from programs.program_templates import PEDCLUSTER27
from programs.templates_service import program_template_apply
from reports.kpi import KpiScope, KpiStatus, kpi_report, kpi_years
from tests.factories import OrganisationFactory, PersonFactory, StaffRosterEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    municipality = program_template_apply(template=PEDCLUSTER27).program.municipality
    school = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ п. Чегдомын")
    return municipality, school, KpiScope(year=2022, municipality_id=municipality.pk)


def _roster(school, year, *, teachers: int, young: int, higher: int | None = None, **fields):
    higher = teachers if higher is None else higher
    StaffRosterEntry.objects.bulk_create(
        StaffRosterEntry(
            organisation=school,
            year=year,
            last_name=f"Учитель{i}",
            first_name="Анна",
            position="Учитель истории",
            staff_kind=StaffRosterEntry.StaffKind.PEDAGOGICAL,
            is_teacher=True,
            experience_years=2 if i < young else 9,
            education_level="higher" if i < higher else "secondary_vocational",
            **fields,
        )
        for i in range(teachers)
    )


def test_indicator_2_seventeen_of_110_young_teachers_is_not_achieved(district):
    municipality, school, scope = district
    _roster(school, 2022, teachers=110, young=17)
    (result,) = kpi_report(scope=scope, codes=["young-teachers-share"])
    assert (result.value, result.numerator, result.denominator) == (15.5, 17, 110)
    assert result.target_label == "не менее 15,5 %"
    assert result.status == KpiStatus.MISSED and result.status_label == "Не достигнуто"


def test_indicator_2_each_year_its_own_roster_and_no_data_without_one(district):
    municipality, school, scope = district
    _roster(school, 2021, teachers=110, young=17)
    _roster(school, 2022, teachers=200, young=31)  # 15,5 % exactly
    years = kpi_years(code="young-teachers-share", scope=scope, years=[2021, 2022, 2023])
    assert [(r.year, r.value, r.status) for r in years] == [
        (2021, 15.5, KpiStatus.MISSED),
        (2022, 15.5, KpiStatus.MET),
        (2023, None, KpiStatus.NO_DATA),
    ]
    assert years[2].note == "нет данных за год: нет ни кадрового состава, ни численности персонала"


def test_indicator_3_higher_education_from_the_roster_and_a_headcount(district):
    municipality, school, scope = district
    _roster(school, 2023, teachers=100, young=10, higher=86)
    other = OrganisationFactory(municipality=municipality, short_name="МБОУ СОШ с. Софийск")
    # Form ОО-1 numbers only: 100 pedagogical workers, 88 with higher education → 174 of 200 = 87 % exactly.
    StaffHeadcount.objects.create(
        organisation=other, year=2023, pedagogical_total=100, teachers=80, higher_education=88, teachers_under_5_years=9
    )
    (result,) = kpi_report(
        scope=KpiScope(year=2023, municipality_id=municipality.pk), codes=["higher-education-staffing"]
    )
    assert (result.numerator, result.denominator, result.target_label) == (174, 200, "не менее 87 %")
    assert result.status == KpiStatus.MET


def test_indicator_1_and_result_6_count_the_rosters_pedagogical_workers_through_their_portal_person(district):
    municipality, school, scope = district
    _roster(school, 2021, teachers=91, young=0)  # not on the portal
    kindergarten = OrganisationFactory(municipality=municipality, kind=Organisation.Kind.KINDERGARTEN)
    for i in range(9):
        person = PersonFactory(organisation=school)
        StaffRosterEntryFactory(organisation=school, year=2021, person=person)
        ProfessionalDevelopment.objects.create(
            person=person,
            course_title="Методическая сессия",
            provider="ХК ИРО",
            hours=36,
            ends_on=date(2021, 11, 1),
            is_continuous_format=True,
            based_on_diagnostics=True,
            is_remote=i < 2,
        )
    StaffRosterEntryFactory(organisation=kindergarten, year=2021, position="Воспитатель")  # no school: not indicator 1
    got = {r.code: r for r in kpi_report(scope=KpiScope(year=2021, municipality_id=municipality.pk))}
    # Indicator 1, 2021: 9 of the 100 pedagogical workers of schools = 9 % — «9 %» is met.
    continuous = got["continuous-formats-diagnostics"]
    assert (continuous.numerator, continuous.denominator, continuous.status) == (9, 100, KpiStatus.MET)
    # Result 6: 2 of the 9 who finished a course in 2021 did so remotely — 22,2 %, at least 20 %.
    remote = got["remote-pd-share"]
    assert (remote.value, remote.numerator, remote.denominator) == (22.2, 2, 9)


def test_next_years_roster_is_copied_without_leavers_and_with_a_year_more(district):
    municipality, school, scope = district
    _roster(school, 2021, teachers=110, young=17)
    leavers = list(StaffRosterEntry.objects.filter(year=2021, experience_years=2).values_list("pk", flat=True)[:5])
    StaffRosterEntry.objects.filter(pk__in=leavers).update(left_on=date(2021, 8, 31))
    StaffRosterEntry.objects.filter(year=2021, experience_years=9).update(experience_years=4)

    assert staff_roster_copy_to_next_year(organisation=school, year=2021) == 105

    years = kpi_years(code="young-teachers-share", scope=scope, years=[2021, 2022])
    # 2021 on 31 December: 12 young + 93 with four years = 105 all under five. 2022: everyone a year older —
    # 12 with three years, 93 with five: 12 of 105 = 11,4 %.
    assert [(r.year, r.value, r.numerator, r.denominator) for r in years] == [
        (2021, 100.0, 105, 105),
        (2022, 11.4, 12, 105),
    ]
