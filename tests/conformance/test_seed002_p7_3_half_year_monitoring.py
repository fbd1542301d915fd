"""Seed 002 (приказ № 1063-од, приложение 1), разд. 7 «Мониторинг эффективности ММС»:

«7.3. Мониторинг эффективности деятельности школьных и муниципальных методических служб проводится не реже
одного раза в полугодие.»
«7.5. По результатам мониторинга эффективности деятельности ММС проводится анализ, разрабатываются адресные
рекомендации.»

A scenario of one year of Oktyabrsky district (Asia/Yekaterinburg) through the real services with explicit dates:
the job freezes the KPIs once each half-year is over in the district's own time zone, not before; a later course
changes the next half's numbers and never the frozen ones; the coordinator's analysis and targeted
recommendations are required before the report is approved, and then it no longer changes.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from participants.models import ProfessionalDevelopment
from reports.models import KpiSnapshot, KpiTarget
from reports.monitoring import (
    kpi_half_year_snapshots_take,
    monitoring_analysis_save,
    monitoring_recommendation_add,
    monitoring_report_approve,
)
from reports.selectors_monitoring import monitoring_compare, previous_snapshot
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory, roster_of

pytestmark = pytest.mark.django_db
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")
CODE = "dpo-federal-registry-diagnostics"  # п. 6.2, показатель 1


def _course(person, ends_on):
    return ProfessionalDevelopment.objects.create(
        person=person,
        course_title="Программа ДПО из Федерального реестра",
        provider="Академия Минпросвещения",
        hours=36,
        ends_on=ends_on,
        in_federal_registry=True,
        based_on_diagnostics=True,
    )


@pytest.fixture
def district():
    m = MunicipalityFactory(name="Октябрьский район", time_zone="Asia/Yekaterinburg")
    school = OrganisationFactory(municipality=m, short_name="МКОУ «Октябрьская СОШ»")
    teachers = [PersonFactory(organisation=school) for _i in range(10)]
    for teacher in teachers:
        roster_of(teacher, 2025)  # the 2025 staff roster: the order KPIs' denominator
    KpiTarget.objects.create(
        municipality=m, code=CODE, title="ДПО", year=2025, value=Decimal("20"), source="Приказ № 1063-од, п. 6.2"
    )
    _course(teachers[0], date(2025, 3, 14))
    return {"m": m, "school": school, "teachers": teachers, "coordinator": UserFactory()}


def _at(*args):
    return datetime(*args, tzinfo=YEKATERINBURG)


def test_half_year_monitoring_over_a_year(district):
    m = district["m"]
    # п. 7.3: not before the half is over in the district's own zone.
    assert kpi_half_year_snapshots_take(now=_at(2025, 6, 30, 23, 59)) == 0
    assert kpi_half_year_snapshots_take(now=_at(2025, 7, 1, 0, 1)) == 1
    assert kpi_half_year_snapshots_take(now=_at(2025, 7, 1, 3, 0)) == 0  # once per half
    first = KpiSnapshot.objects.get(municipality=m, automatic=True, year=2025, half=1)
    assert first.values[CODE]["value"] == 10.0 and first.values[CODE]["status"] == "missed"  # 1 of 10 < 20 %
    assert first.values[CODE]["source"] == "Приказ № 1063-од, п. 6.2"

    # Courses of the second half: the frozen first half does not move.
    _course(district["teachers"][1], date(2025, 10, 1))
    _course(district["teachers"][2], date(2025, 12, 20))
    # The worker was down on 1 January: the run of 2 January catches the half up.
    assert kpi_half_year_snapshots_take(now=_at(2025, 12, 31, 23, 59)) == 0
    assert kpi_half_year_snapshots_take(now=_at(2026, 1, 2, 2, 45)) == 1
    second = KpiSnapshot.objects.get(municipality=m, automatic=True, year=2025, half=2)
    first.refresh_from_db()
    assert first.values[CODE]["value"] == 10.0
    assert second.values[CODE]["value"] == 30.0 and second.values[CODE]["status"] == "met"

    # Two half-years side by side: the second against the one before it.
    assert previous_snapshot(second) == first
    row = next(item for item in monitoring_compare(first, second) if item.row.code == CODE)
    assert (row.row.value_a, row.row.value_b, row.row.change) == (10.0, 30.0, 20.0)
    assert (row.status_a, row.status_b) == ("missed", "met")

    # п. 7.5: analysis and targeted recommendations, then approval; approved, the report is frozen.
    now = _at(2026, 1, 15, 10, 0)
    coordinator = district["coordinator"]
    monitoring_analysis_save(
        snapshot=second, analysis="Цель 2025 года (20 %) достигнута: 30 %.", by=coordinator, now=now
    )
    with pytest.raises(ValidationError):
        monitoring_report_approve(snapshot=second, by=coordinator, now=now)  # no recommendation yet
    monitoring_recommendation_add(
        snapshot=second,
        organisation=district["school"],
        addressee_group="",
        text="Включить программы ДПО из Федерального реестра в ИОМ педагогов по итогам диагностики",
        due_on=date(2026, 6, 30),
        responsible="Заместитель директора по УВР",
        by=coordinator,
        now=now,
    )
    with pytest.raises(ValidationError):  # to whom: another district's school is no address of this monitoring
        monitoring_recommendation_add(
            snapshot=second,
            organisation=OrganisationFactory(),
            addressee_group="",
            text="Чужая",
            due_on=date(2026, 6, 30),
            responsible="—",
            by=coordinator,
            now=now,
        )
    report = monitoring_report_approve(snapshot=second, by=coordinator, now=now)
    assert report.is_approved and report.recommendations.count() == 1
    with pytest.raises(ValidationError):
        monitoring_analysis_save(snapshot=second, analysis="Переписать", by=coordinator, now=now)
