"""Приказ № 223/1 (seed 003), «Результаты (критерии достижений результата)» that carry a number:

- результат 8 — «не менее 80%» of pedagogical workers trained in continuous formats on diagnostics: the same
  share as показатель 1, against 80 % in the last year of the indicators' table (the portal's labelled default,
  the order names no year);
- результат 9 — «функционируют классы (группы) педагогической направленности»: at least one class, the
  portal's labelled default;
- результат 12 — «сохранено число методических объединений … не ниже 2020 года»: the sum of the organisations'
  facts of the year against the 2020 value the coordinator enters; without it the status says so, and a year
  without any facts is «нет данных», not zero.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from programs.models import Organisation, OrganisationYearFacts
from programs.program_templates import PEDCLUSTER27
from programs.templates_service import program_template_apply
from reports.kpi import KPI_BY_CODE, KpiScope, KpiStatus, KpiValue, kpi_report, kpi_status, kpi_target, kpi_years
from reports.models import KpiBaseline, KpiTarget
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=ZoneInfo("Asia/Vladivostok"))


@pytest.fixture
def district():
    return program_template_apply(template=PEDCLUSTER27).program.municipality


def _facts(municipality, year, *associations, classes=0):
    for number, count in enumerate(associations, start=1):
        school = Organisation.objects.filter(municipality=municipality, short_name=f"МБОУ СОШ № {number}").first()
        school = school or OrganisationFactory(municipality=municipality, short_name=f"МБОУ СОШ № {number}")
        OrganisationYearFacts.objects.create(
            organisation=school, year=year, methodical_associations=count, pedagogical_classes=classes
        )


def _result(municipality, code, year):
    (result,) = kpi_report(scope=KpiScope(year=year, municipality_id=municipality.pk), now=NOW, codes=[code])
    return result


def test_result_8_eighty_percent_in_the_last_year_of_the_indicators(district):
    target = kpi_target(code="continuous-formats-result-8", municipality=district, year=2023)
    assert target.value == Decimal("80")
    assert "результат 8" in target.source_label and "по умолчанию" in target.source_label
    assert kpi_status(KpiValue(799, 1000), target) == KpiStatus.MISSED
    assert kpi_status(KpiValue(4, 5), target) == KpiStatus.MET
    # Before the last year only показатель 1 sets a number; the order gives result 8 no intermediate value.
    assert kpi_target(code="continuous-formats-result-8", municipality=district, year=2022) is None
    # The same computation as показатель 1: one number for one measure.
    assert KPI_BY_CODE["continuous-formats-result-8"].compute is KPI_BY_CODE["continuous-formats-diagnostics"].compute


def test_result_8_and_indicator_1_readings_are_stated_beside_the_number(district):
    for code in ("continuous-formats-result-8", "continuous-formats-diagnostics", "methodical-associations"):
        result = _result(district, code, 2023)
        assert "Приказ № 223/1" in result.reading, code
    assert "по умолчанию" in _result(district, "continuous-formats-result-8", 2023).reading


def test_result_9_at_least_one_pedagogical_class(district):
    _facts(district, 2022, 0, 0)
    assert _result(district, "pedagogical-classes", 2022).status == KpiStatus.MISSED
    assert "по умолчанию" in _result(district, "pedagogical-classes", 2022).target_source
    OrganisationYearFacts.objects.filter(year=2022).update(pedagogical_classes=1)
    result = _result(district, "pedagogical-classes", 2022)
    assert (result.value, result.status) == (2, KpiStatus.MET)


def test_result_12_without_the_2020_value_says_so(district):
    _facts(district, 2022, 5, 4)
    result = _result(district, "methodical-associations", 2022)
    assert result.value == 9
    assert result.status == KpiStatus.NO_BASELINE
    assert result.target is None
    assert "не ниже уровня 2020 года" in result.target_label and "не внесено" in result.target_label


def test_result_12_not_below_the_2020_level(district):
    KpiBaseline.objects.create(
        municipality=district, code="methodical-associations", year=2020, value=9, source="Отчёт РИМЦ за 2020 год"
    )
    _facts(district, 2021, 5, 3)  # 8 < 9
    _facts(district, 2022, 5, 4)  # 9 = 9
    missed, met = kpi_years(
        code="methodical-associations", scope=KpiScope(year=2022, municipality_id=district.pk), years=[2021, 2022]
    )
    assert (missed.value, missed.status) == (8, KpiStatus.MISSED)
    assert (met.value, met.status) == (9, KpiStatus.MET)
    assert met.target == Decimal("9")
    assert met.target_label == "не ниже уровня 2020 года (9)"
    assert "Отчёт РИМЦ за 2020 год" in met.target_source and "результат 12" in met.target_source


def test_result_12_a_year_without_facts_has_no_data_not_zero(district):
    KpiBaseline.objects.create(municipality=district, code="methodical-associations", year=2020, value=9, source="x")
    result = _result(district, "methodical-associations", 2023)
    assert result.value is None
    assert result.status == KpiStatus.NO_DATA


def test_result_12_baseline_of_another_municipality_does_not_count(district):
    other = OrganisationFactory().municipality
    KpiBaseline.objects.create(municipality=other, code="methodical-associations", year=2020, value=1, source="x")
    _facts(district, 2022, 5)
    assert _result(district, "methodical-associations", 2022).status == KpiStatus.NO_BASELINE


def test_a_target_is_a_number_or_a_base_year_never_both(district):
    from django.core.exceptions import ValidationError

    target = KpiTarget(
        municipality=district, code="methodical-associations", year=2024, title="x", value=5, baseline_year=2020
    )
    with pytest.raises(ValidationError, match="одно из двух"):
        target.full_clean()
    target.value, target.baseline_year = None, 2025
    with pytest.raises(ValidationError, match="раньше года цели"):
        target.full_clean()
    target.year, target.baseline_year = 9999, 2020
    with pytest.raises(ValidationError, match="от 1990 до 2100"):
        target.full_clean()
    baseline = KpiBaseline(municipality=district, code="methodical-associations", year=1, value=3, source="x")
    with pytest.raises(ValidationError, match="от 1990 до 2100"):
        baseline.full_clean()
