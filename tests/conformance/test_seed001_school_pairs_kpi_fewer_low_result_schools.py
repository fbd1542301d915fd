"""Сид 001, «Школа – Школе», ожидаемые результаты: «уменьшение количества школ, демонстрирующих низкие результаты
обучения» — the KPI «Количество школ с низкими результатами обучения» per municipality and year, against the
portal's default target «не больше N − 1, где N — число ШНОР в прошлом году» (the seed names no number) or the
coordinator's own target of the year. The schools of a year are marked through the real service, with explicit
years; the current mark of a school is its latest year's.
"""

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import Organisation
from programs.services import organisation_low_results_mark
from reports.kpi import KpiScope, KpiStatus, kpi_report, kpi_years
from reports.models import KpiTarget
from tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CODE = "low-result-schools"
NOW = timezone.make_aware(datetime(2026, 12, 1, 12))


@pytest.fixture
def district():
    municipality = MunicipalityFactory(name="Московский район")
    schools = [OrganisationFactory(municipality=municipality, short_name=f"ГБОУ школа № {n}") for n in range(1, 6)]
    return municipality, schools


def _year(schools, year: int, low: list[int]) -> None:
    """The coordinator's list of ШНОР of the year: the schools at `low` marked, the others recorded as not."""
    marked = [schools[i].pk for i in low]
    organisation_low_results_mark(organisation_ids=marked, year=year, low_results=True)
    organisation_low_results_mark(
        organisation_ids=[s.pk for s in schools if s.pk not in marked], year=year, low_results=False
    )


def _result(municipality, year: int):
    (result,) = kpi_report(scope=KpiScope(year=year, municipality_id=municipality.pk), now=NOW, codes=[CODE])
    return result


def test_three_then_two_schools_of_low_results_is_met(district):
    municipality, schools = district
    _year(schools, 2025, [0, 1, 2])
    _year(schools, 2026, [0, 1])
    result = _result(municipality, 2026)
    assert result.value == 2
    assert result.target == Decimal(2) and result.comparison == KpiTarget.Comparison.AT_MOST
    assert result.status == KpiStatus.MET and result.status_label == "Достигнуто"
    assert result.target_label == "не более 2 шк. (меньше, чем 3 в 2025 году)"
    assert "«Школа – Школе», ожидаемые результаты" in result.target_source
    assert "значение портала по умолчанию, можно изменить" in result.target_source


def test_three_then_three_schools_of_low_results_is_not_met(district):
    municipality, schools = district
    _year(schools, 2025, [0, 1, 2])
    _year(schools, 2026, [0, 3, 4])  # two left the list, two others joined it: still three
    result = _result(municipality, 2026)
    assert (result.value, result.target) == (3, Decimal(2))
    assert result.status == KpiStatus.MISSED and result.status_label == "Не достигнуто"


def test_the_first_year_without_a_previous_year_has_no_data_for_last_year(district):
    municipality, schools = district
    _year(schools, 2026, [0, 1])
    result = _result(municipality, 2026)
    assert result.value == 2
    assert result.target is None
    assert result.status == KpiStatus.NO_PREVIOUS and result.status_label == "Нет данных за прошлый год"
    assert result.target_label == "меньше, чем в 2025 году — нет данных за 2025 год"


def test_a_year_without_any_school_facts_has_no_value_not_zero(district):
    municipality, schools = district
    _year(schools, 2025, [0])
    result = _result(municipality, 2026)
    assert result.value is None and result.status == KpiStatus.NO_DATA
    assert result.note == "нет данных за год: ни одна школа не внесла сведения за этот год"


def test_a_coordinators_explicit_target_overrides_the_default(district):
    municipality, schools = district
    _year(schools, 2025, [0, 1, 2])
    _year(schools, 2026, [0, 1])
    KpiTarget.objects.create(
        municipality=municipality,
        code=CODE,
        title="Количество школ с низкими результатами обучения",
        year=2026,
        value=Decimal(1),
        unit="шк.",
        comparison=KpiTarget.Comparison.AT_MOST,
        source="Решение рабочей группы проекта от 01.09.2026",
    )
    result = _result(municipality, 2026)
    assert result.target == Decimal(1) and result.status == KpiStatus.MISSED
    assert result.target_source == "Решение рабочей группы проекта от 01.09.2026"


def test_last_year_with_none_keeps_the_target_at_zero(district):
    municipality, schools = district
    _year(schools, 2025, [])
    _year(schools, 2026, [])
    result = _result(municipality, 2026)
    assert (result.value, result.target, result.status) == (0, Decimal(0), KpiStatus.MET)


def test_each_year_against_the_year_before_in_one_pass(district, django_assert_num_queries):
    municipality, schools = district
    _year(schools, 2024, [0, 1, 2, 3])
    _year(schools, 2025, [0, 1, 2])
    _year(schools, 2026, [0, 1, 2])
    scope = KpiScope(year=2026, municipality_id=municipality.pk)
    # The targets, then the organisations' shared query for all the years at once (a UNION ALL).
    with django_assert_num_queries(2):
        years = kpi_years(code=CODE, scope=scope, years=[2024, 2025, 2026], now=NOW)
    assert [(r.year, r.value, r.status) for r in years] == [
        (2024, 4, KpiStatus.NO_PREVIOUS),
        (2025, 3, KpiStatus.MET),
        (2026, 3, KpiStatus.MISSED),
    ]


def test_another_municipalitys_schools_do_not_count(district):
    municipality, schools = district
    far = OrganisationFactory(municipality=MunicipalityFactory(name="Чужой район"), short_name="МБОУ СОШ № 9")
    _year(schools, 2025, [0, 1])
    _year(schools, 2026, [0])
    organisation_low_results_mark(organisation_ids=[far.pk], year=2026, low_results=True)
    assert _result(municipality, 2026).value == 1


def test_the_schools_current_mark_is_its_latest_years(district):
    municipality, schools = district
    _year(schools, 2025, [0, 1, 2])
    _year(schools, 2026, [0])
    marked = set(
        Organisation.objects.with_low_results()
        .filter(municipality=municipality, low_results=True)
        .values_list("pk", flat=True)
    )
    assert marked == {schools[0].pk}
