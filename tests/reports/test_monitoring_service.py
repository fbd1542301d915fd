"""reports.monitoring: which municipalities get the automatic half-year snapshot and when (their own time zone),
idempotence, catching up a missed day; the analysis and recommendations (seed 002, п. 7.3, 7.5)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reports.models import KpiSnapshot, MonitoringRecommendation, MonitoringReport
from reports.monitoring import (
    CATCH_UP_DAYS,
    half_year_last_ended,
    half_year_snapshots_due,
    kpi_half_year_snapshots_take,
    monitoring_analysis_save,
    monitoring_recommendation_add,
    monitoring_recommendation_delete,
    monitoring_report_approve,
)
from reports.services import kpi_period_snapshot_take
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
MOSCOW, VLADIVOSTOK = ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Vladivostok")


@pytest.fixture
def two_zones():
    moscow = MunicipalityFactory(name="Армавир", time_zone="Europe/Moscow")
    far_east = MunicipalityFactory(name="Верхнебуреинский район", time_zone="Asia/Vladivostok")
    PersonFactory(organisation=OrganisationFactory(municipality=moscow))
    return moscow, far_east


def _automatic():
    return sorted(
        (s.municipality.name, s.year, s.half)
        for s in KpiSnapshot.objects.filter(automatic=True).select_related("municipality")
    )


def test_last_ended_half():
    assert half_year_last_ended(date(2025, 6, 30)) == (2024, 2, date(2024, 12, 31))
    assert half_year_last_ended(date(2025, 7, 1)) == (2025, 1, date(2025, 6, 30))
    assert half_year_last_ended(date(2025, 12, 31)) == (2025, 1, date(2025, 6, 30))
    assert half_year_last_ended(date(2026, 1, 1)) == (2025, 2, date(2025, 12, 31))


def test_30_june_2359_local_takes_nothing_1_july_0001_takes_it(two_zones):
    moscow, far_east = two_zones
    # 23:59 on 30 June in Moscow: the half is not over there; in Vladivostok it is 06:59 on 1 July: over.
    assert kpi_half_year_snapshots_take(now=datetime(2025, 6, 30, 23, 59, tzinfo=MOSCOW)) == 1
    assert _automatic() == [("Верхнебуреинский район", 2025, 1)]
    # 23:59 on 30 June in Vladivostok is 16:59 in Moscow: nothing is over anywhere yet.
    KpiSnapshot.objects.all().delete()
    assert kpi_half_year_snapshots_take(now=datetime(2025, 6, 30, 23, 59, tzinfo=VLADIVOSTOK)) == 0
    assert _automatic() == []
    # 00:01 on 1 July in Vladivostok: its half is over, Moscow's (17:01 on 30 June) is not.
    assert kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 0, 1, tzinfo=VLADIVOSTOK)) == 1
    assert _automatic() == [("Верхнебуреинский район", 2025, 1)]
    # 00:01 on 1 July in Moscow: Moscow's turn; Vladivostok keeps its one snapshot.
    assert kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 0, 1, tzinfo=MOSCOW)) == 1
    assert _automatic() == [("Армавир", 2025, 1), ("Верхнебуреинский район", 2025, 1)]
    snapshot = KpiSnapshot.objects.get(municipality=moscow, automatic=True)
    assert snapshot.kind == KpiSnapshot.Kind.PERIOD and snapshot.period == "1-е полугодие 2025"
    assert snapshot.taken_on == date(2025, 7, 1) and snapshot.taken_by is None and snapshot.season is None
    assert snapshot.values["participants_active"]["value"] == 0  # every KPI frozen
    assert "source" in snapshot.values["dpo-federal-registry-diagnostics"]


def test_second_half_ends_on_31_december_local(two_zones):
    moscow, _far_east = two_zones
    assert kpi_half_year_snapshots_take(now=datetime(2025, 12, 31, 23, 59, tzinfo=MOSCOW)) == 1  # Vladivostok only
    assert kpi_half_year_snapshots_take(now=datetime(2026, 1, 1, 0, 1, tzinfo=MOSCOW)) == 1
    assert ("Армавир", 2025, 2) in _automatic()
    assert KpiSnapshot.objects.get(municipality=moscow, automatic=True).period == "2-е полугодие 2025"


def test_run_twice_one_snapshot(two_zones):
    now = datetime(2025, 7, 1, 2, 45, tzinfo=MOSCOW)
    assert kpi_half_year_snapshots_take(now=now) == 2
    assert kpi_half_year_snapshots_take(now=now) == 0
    assert kpi_half_year_snapshots_take(now=now + timedelta(days=1)) == 0
    assert KpiSnapshot.objects.filter(automatic=True).count() == 2


def test_the_database_refuses_a_second_automatic_snapshot_of_a_half(two_zones):
    moscow, _far_east = two_zones
    kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 2, 45, tzinfo=MOSCOW))
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiSnapshot.objects.create(
            kind=KpiSnapshot.Kind.PERIOD, automatic=True, municipality=moscow, year=2025, half=1, taken_on=date.today()
        )


def test_a_missed_day_is_caught_up_within_the_window(two_zones):
    # The worker was down on 1 and 2 July: the run of 3 July takes both.
    assert kpi_half_year_snapshots_take(now=datetime(2025, 7, 3, 2, 45, tzinfo=MOSCOW)) == 2
    assert _automatic() == [("Армавир", 2025, 1), ("Верхнебуреинский район", 2025, 1)]
    snapshot = KpiSnapshot.objects.get(municipality__name="Армавир", automatic=True)
    assert snapshot.taken_on == date(2025, 7, 3)


def test_beyond_the_window_the_half_is_left_to_a_coordinator(two_zones):
    late = datetime(2025, 6, 30, 12, tzinfo=MOSCOW) + timedelta(days=CATCH_UP_DAYS + 1)
    assert half_year_snapshots_due(now=late) == []
    assert kpi_half_year_snapshots_take(now=late) == 0


def test_a_hand_taken_snapshot_does_not_stop_the_automatic_one_nor_the_reverse(two_zones):
    moscow, _far_east = two_zones
    now = datetime(2025, 7, 1, 2, 45, tzinfo=MOSCOW)
    kpi_period_snapshot_take(municipality=moscow, period_label="", year=2025, half=1, by=None, now=now)
    assert kpi_half_year_snapshots_take(now=now) == 2
    kpi_period_snapshot_take(municipality=moscow, period_label="Повторно", year=2025, half=1, by=None, now=now)
    assert KpiSnapshot.objects.filter(municipality=moscow, year=2025, half=1).count() == 3


def test_due_is_two_queries_whatever_the_number_of_municipalities(django_assert_num_queries):
    for n in range(5):
        MunicipalityFactory(name=f"Район {n}", time_zone="Asia/Yekaterinburg")
    with django_assert_num_queries(2):
        due = half_year_snapshots_due(now=datetime(2025, 7, 1, 2, 45, tzinfo=MOSCOW))
    assert len(due) == 5 and {(d.year, d.half) for d in due} == {(2025, 1)}


# --- analysis, recommendations, approval ------------------------------------------------------------------------


@pytest.fixture
def snapshot(two_zones):
    moscow, _far_east = two_zones
    kpi_half_year_snapshots_take(now=datetime(2025, 7, 1, 2, 45, tzinfo=MOSCOW))
    return KpiSnapshot.objects.get(municipality=moscow, automatic=True)


NOW = datetime(2025, 7, 10, 10, tzinfo=MOSCOW)


def _add(snapshot, organisation=None, group="Молодые педагоги"):
    return monitoring_recommendation_add(
        snapshot=snapshot,
        organisation=organisation,
        addressee_group=group,
        text="Провести методический интенсив",
        due_on=date(2025, 12, 1),
        responsible="Заместитель директора МКУ «ЦРО»",
        by=None,
        now=NOW,
    )


def test_analysis_and_recommendation_create_the_draft_report(snapshot):
    author = UserFactory()
    monitoring_analysis_save(snapshot=snapshot, analysis="  Доля выросла.  ", by=author, now=NOW)
    report = MonitoringReport.objects.get(snapshot=snapshot)
    assert report.analysis == "Доля выросла." and report.author == author
    assert report.status == MonitoringReport.Status.DRAFT
    school = OrganisationFactory(municipality=snapshot.municipality)
    recommendation = _add(snapshot, organisation=school, group="")
    assert recommendation.report == report and recommendation.addressee == school.short_name


def test_another_municipalitys_organisation_is_refused(snapshot):
    foreign = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        _add(snapshot, organisation=foreign)
    assert error.value.message_dict["organisation"] == ["Выберите организацию своего муниципалитета."]
    assert not MonitoringRecommendation.objects.exists()


def test_a_recommendation_needs_an_addressee(snapshot):
    with pytest.raises(ValidationError):
        _add(snapshot, organisation=None, group="  ")
    assert not MonitoringRecommendation.objects.exists()


def test_approval_needs_analysis_and_a_recommendation_then_freezes(snapshot):
    approver = UserFactory()
    with pytest.raises(ValidationError, match="анализ"):
        monitoring_report_approve(snapshot=snapshot, by=approver, now=NOW)
    monitoring_analysis_save(snapshot=snapshot, analysis="Анализ", by=approver, now=NOW)
    with pytest.raises(ValidationError, match="рекомендацию"):
        monitoring_report_approve(snapshot=snapshot, by=approver, now=NOW)
    recommendation = _add(snapshot)
    report = monitoring_report_approve(snapshot=snapshot, by=approver, now=NOW)
    assert report.is_approved and report.approved_by == approver and report.approved_at == NOW
    with pytest.raises(ValidationError, match="утверждён"):
        monitoring_analysis_save(snapshot=snapshot, analysis="Другой", by=approver, now=NOW)
    with pytest.raises(ValidationError, match="утверждён"):
        _add(snapshot)
    with pytest.raises(ValidationError, match="утверждён"):
        monitoring_recommendation_delete(recommendation=recommendation, by=approver, now=NOW)
    report.refresh_from_db()
    assert report.analysis == "Анализ" and report.recommendations.count() == 1


def test_delete_a_recommendation_of_a_draft(snapshot):
    recommendation = _add(snapshot)
    monitoring_recommendation_delete(recommendation=recommendation, by=None, now=NOW)
    assert not MonitoringRecommendation.objects.exists()
