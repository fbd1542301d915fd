"""Erasure keeps the KPIs: every number of the KPI report (value, numerator, denominator) is the same before and
after a person is anonymised — at their request, and by the retention job."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participants.models import Enrollment, Person
from participants.retention import personal_data_retention_run
from participants.services import person_erase
from programs.models import Season
from reports.kpi import KpiScope, kpi_report
from tests.factories import EnrollmentFactory, PersonFactory
from tests.participants.test_personal_data_export import fill

pytestmark = pytest.mark.django_db


def kpi_numbers(now) -> dict:
    seasons = tuple(Season.objects.order_by("pk").values_list("pk", flat=True))
    numbers = {}
    for year in sorted({2025, now.year}):
        for r in kpi_report(scope=KpiScope(year=year, season_ids=seasons), now=now):
            numbers[(year, r.code)] = (r.value, r.numerator, r.denominator)
    return numbers


@pytest.fixture
def world(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    person = PersonFactory(last_name="Смирнова")
    fill(person, 2)
    other = PersonFactory(last_name="Петрова")
    fill(other, 1)
    season = person.enrollments.order_by("pk").first().season
    excluded = EnrollmentFactory(person__last_name="Исключённая", season=season, status="excluded")
    Enrollment.objects.filter(pk=excluded.pk).update(status_changed_at=timezone.now() - timedelta(days=400))
    return {"person": person, "excluded": excluded.person}


def test_kpis_are_the_same_after_erasure_at_request_and_by_retention(world):
    now = timezone.now()
    before = kpi_numbers(now)
    # The report has something to lose: participants, attendance, certificates, reviews are counted.
    assert sum(1 for value, numerator, _d in before.values() if numerator) >= 5

    person_erase(person=world["person"], by=world["person"].user, reason="")
    assert Person.objects.get(pk=world["person"].pk).is_anonymised
    assert kpi_numbers(now) == before

    outcome = personal_data_retention_run(now=now)
    assert len(outcome.expired) == 1 and Person.objects.get(pk=world["excluded"].pk).is_anonymised
    assert kpi_numbers(now) == before
