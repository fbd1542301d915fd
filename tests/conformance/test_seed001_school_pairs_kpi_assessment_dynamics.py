"""Сид 001, «Школа – Школе», ожидаемые результаты: «положительная динамика результатов оценочных процедур (ВПР, ОГЭ,
ЕГЭ) обучающихся школ, демонстрирующих низкие результаты обучения» — the KPI «Доля школ ШНОР с положительной
динамикой результатов оценочных процедур»: of the ШНОР schools of the pairs working in the year that have results
of the same procedure, subject and grade in this year and the year before, those whose share of low results
(weighted by the participants) fell. Pairs through the real service, with explicit dates and years.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import AssessmentResult
from projects.services_school_pairs import school_pair_close, school_pair_create
from reports.kpi import KpiScope, KpiStatus, kpi_breakdown, kpi_report, kpi_years
from tests.projects.school_pairs_world import build_world

pytestmark = pytest.mark.django_db

CODE = "shnor-assessment-dynamics"
NOW = timezone.make_aware(datetime(2026, 12, 1, 12))


def _vpr(school, subject, year, participants, low_share, *, grade=5, assessment="vpr"):
    AssessmentResult.objects.create(
        organisation=school,
        year=year,
        assessment=assessment,
        subject=subject,
        grade=grade,
        participants=participants,
        average=Decimal("3.5"),
        low_share=Decimal(low_share),
    )


@pytest.fixture
def w():
    world = build_world()
    for partner in (world["weak"], world["weak2"]):
        school_pair_create(season=world["season"], leader=world["leader"], partner=partner, starts_on=date(2025, 9, 1))
    return world


def _result(w, year=2026):
    (result,) = kpi_report(scope=KpiScope(year=year, municipality_id=w["home"].pk), now=NOW, codes=[CODE])
    return result


def test_one_of_two_shnor_schools_with_fewer_low_results_is_half(w):
    _vpr(w["weak"], w["math"], 2025, 48, "21.0")
    _vpr(w["weak"], w["math"], 2026, 51, "13.7")  # fewer «2»: positive dynamics
    _vpr(w["weak2"], w["math"], 2025, 40, "10.0")
    _vpr(w["weak2"], w["math"], 2026, 40, "12.5")  # more «2»
    result = _result(w)
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)
    assert "взвешенная по числу участников" in result.reading


def test_the_share_is_weighted_by_participants_over_the_procedures_written_both_years(w):
    # Math fell by 5 points among 10 pupils, Russian rose by 1 point among 100: 50 → 60 low results of 110 pupils.
    _vpr(w["weak"], w["math"], 2025, 10, "50.0")
    _vpr(w["weak"], w["math"], 2026, 10, "0.0")
    _vpr(w["weak"], w["russian"], 2025, 100, "0.0")
    _vpr(w["weak"], w["russian"], 2026, 100, "10.0")
    # ЕГЭ of 2026 only: nothing to compare it with, left out.
    _vpr(w["weak"], w["math"], 2026, 30, "0.0", grade=11, assessment="ege")
    result = _result(w)
    assert (result.numerator, result.denominator) == (0, 1)


def test_an_unchanged_share_is_not_a_positive_dynamics(w):
    _vpr(w["weak"], w["math"], 2025, 40, "12.50")
    _vpr(w["weak"], w["math"], 2026, 80, "12.50")
    assert (_result(w).numerator, _result(w).denominator) == (0, 1)


def test_a_school_without_comparable_results_has_no_value_not_zero(w):
    _vpr(w["weak"], w["math"], 2026, 51, "13.7")
    result = _result(w)
    assert result.value is None and result.status == KpiStatus.NO_DATA
    assert result.note.startswith("нет данных: у школ ШНОР")


def test_only_partner_schools_of_pairs_working_in_the_year_count(w):
    # The leader's own results improve too: a leader school is no ШНОР.
    _vpr(w["leader"], w["math"], 2025, 75, "5.0")
    _vpr(w["leader"], w["math"], 2026, 75, "2.5")
    _vpr(w["weak"], w["math"], 2024, 48, "30.0")
    _vpr(w["weak"], w["math"], 2025, 48, "21.0")
    # Another municipality's ШНОР, without a pair of the scope.
    _vpr(w["far"], w["math"], 2025, 48, "21.0")
    _vpr(w["far"], w["math"], 2026, 48, "11.0")
    # The pair of № 500 ended in 2025: it counts in 2025, not in 2026.
    pair = w["weak"].school_pairs_supported.get()
    school_pair_close(pair=pair, ends_on=date(2025, 12, 31))
    assert (_result(w, 2025).numerator, _result(w, 2025).denominator) == (1, 1)
    assert _result(w, 2026).denominator == 0


def test_each_year_in_one_pass_and_per_municipality(w, django_assert_num_queries):
    _vpr(w["weak"], w["math"], 2025, 48, "21.0")
    _vpr(w["weak"], w["math"], 2026, 51, "13.7")
    scope = KpiScope(year=2026, municipality_id=w["home"].pk)
    # The targets and one query of the pairs' results for every year.
    with django_assert_num_queries(2):
        years = kpi_years(code=CODE, scope=scope, years=[2025, 2026], now=NOW)
    assert [(r.year, r.value) for r in years] == [(2025, None), (2026, 100.0)]
    assert years[1].status == KpiStatus.NO_TARGET  # the seed names no number: the coordinator sets it
    rows = kpi_breakdown(code=CODE, scope=KpiScope(year=2026), by="municipality", now=NOW)
    assert {row.label: row.value for row in rows}["Московский район"] == 100.0
