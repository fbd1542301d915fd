"""Seed 002 (приказ № 1063-од), п. 6.2, показатель 2: «Количество управленческих команд, принявших участие в
программах повышения квалификации (% с нарастающим итогом – от общего количества управленческих команд района)».

A team counts when it took part as a team: a team programme with at least two of its members (or all of a team of
one), ending by 31.12 of the year, cumulative. One member's own course is no team's participation. The denominator
is the organisations with a management team member in the year.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from participants.models import ManagementTeamMember, ManagementTeamProgramme, ProfessionalDevelopment
from participants.services_teams import management_team_programme_record
from reports.kpi import KpiScope, kpi_report, kpi_years
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
CODE = "management-teams-trained"


def _team(school, n: int, **dates) -> list[ManagementTeamMember]:
    return [
        ManagementTeamMember.objects.create(
            organisation=school, person=PersonFactory(organisation=school), role=f"Роль {i}", **dates
        )
        for i in range(n)
    ]


def _value(municipality, year):
    result = {r.code: r for r in kpi_report(scope=KpiScope(year=year, municipality_id=municipality.pk))}[CODE]
    return result.value, result.numerator, result.denominator


@pytest.fixture
def district():
    return MunicipalityFactory(name="Октябрьский район")


def test_one_member_with_an_individual_course_does_not_make_the_team_count(district):
    school = OrganisationFactory(municipality=district)
    director, *_deputies = _team(school, 4, since=date(2020, 9, 1))
    ProfessionalDevelopment.objects.create(
        person=director.person, course_title="Курс директора", provider="ИРО", hours=72, ends_on=date(2025, 3, 1)
    )
    assert _value(district, 2025) == (0.0, 0, 1)


def test_a_team_programme_with_two_members_counts(district):
    school, other = OrganisationFactory(municipality=district), OrganisationFactory(municipality=district)
    team = _team(school, 4)
    _team(other, 3)
    management_team_programme_record(
        organisation=school,
        title="Управленческая команда: эффективная школа",
        provider="ИРО",
        starts_on=date(2025, 2, 1),
        ends_on=date(2025, 4, 30),
        members=team[:2],
    )
    assert _value(district, 2025) == (50.0, 1, 2)


def test_one_member_in_a_team_programme_is_refused_but_a_team_of_one_takes_part_alone(district):
    school, small = OrganisationFactory(municipality=district), OrganisationFactory(municipality=district)
    team = _team(school, 3)
    with pytest.raises(ValidationError) as refused:
        management_team_programme_record(
            organisation=school, title="Программа", ends_on=date(2025, 5, 1), members=team[:1]
        )
    assert "не меньше 2" in refused.value.message_dict["members"][0]
    (head,) = _team(small, 1)
    management_team_programme_record(organisation=small, title="Программа", ends_on=date(2025, 5, 1), members=[head])
    assert _value(district, 2025) == (50.0, 1, 2)


def test_members_of_another_organisation_are_refused(district):
    school, other = OrganisationFactory(municipality=district), OrganisationFactory(municipality=district)
    own, foreign = _team(school, 1), _team(other, 1)
    with pytest.raises(ValidationError) as refused:
        management_team_programme_record(
            organisation=school, title="Программа", ends_on=date(2025, 5, 1), members=[*own, *foreign]
        )
    assert "Не члены управленческой команды" in refused.value.message_dict["members"][0]


def test_cumulative_across_years(district):
    first, second, third = (OrganisationFactory(municipality=district) for _ in range(3))
    a, b = _team(first, 2), _team(second, 2)
    _team(third, 2)
    management_team_programme_record(organisation=first, title="П-2024", ends_on=date(2024, 12, 31), members=a)
    management_team_programme_record(organisation=second, title="П-2025", ends_on=date(2025, 1, 1), members=b)
    scope = KpiScope(year=2025, municipality_id=district.pk)
    years = kpi_years(code=CODE, scope=scope, years=[2023, 2024, 2025, 2026])
    # 2023: nobody yet; 2024: the first team (31.12 is in); 2025: the first still counts, the second joins.
    assert [(r.numerator, r.denominator) for r in years] == [(0, 3), (1, 3), (2, 3), (2, 3)]


def test_a_team_that_had_left_is_not_in_the_denominator(district):
    gone, current = OrganisationFactory(municipality=district), OrganisationFactory(municipality=district)
    old = _team(gone, 2, since=date(2019, 9, 1), until=date(2024, 8, 31))
    management_team_programme_record(organisation=gone, title="Программа", ends_on=date(2023, 6, 1), members=old)
    _team(current, 2, since=date(2024, 9, 1))
    # 2024: both teams worked (the old one until August) and one of them had taken part → 1 of 2.
    assert _value(district, 2024) == (50.0, 1, 2)
    # 2025: the old team's members had all left before the year: neither in the numerator nor the denominator.
    assert _value(district, 2025) == (0.0, 0, 1)


def test_members_who_were_not_in_the_team_during_the_programme_are_refused(district):
    school = OrganisationFactory(municipality=district)
    left = _team(school, 2, until=date(2024, 8, 31))
    with pytest.raises(ValidationError) as refused:
        management_team_programme_record(organisation=school, title="Программа", ends_on=date(2025, 5, 1), members=left)
    assert "Не входили в управленческую команду" in refused.value.message_dict["members"][0]


def test_the_kpi_itself_ignores_a_programme_of_one_member_of_a_larger_team(district):
    """The rule holds in the count too, not only in the form: a row written past the service is no team's."""
    school = OrganisationFactory(municipality=district)
    team = _team(school, 4)
    programme = ManagementTeamProgramme.objects.create(organisation=school, title="Программа", ends_on=date(2025, 5, 1))
    programme.members.set(team[:1])
    assert _value(district, 2025) == (0.0, 0, 1)
    programme.members.add(team[1])
    assert _value(district, 2025) == (100.0, 1, 1)
