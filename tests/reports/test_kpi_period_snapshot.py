"""Half-year monitoring (seed 002 §7.3): a period snapshot freezes every KPI of a municipality; later edits of
the data or the targets do not change it; two snapshots compare KPI by KPI."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from participants.models import ProfessionalDevelopment
from reports.kpi import KPI_DEFINITIONS
from reports.models import KpiSnapshot, KpiTarget
from reports.services import kpi_period_snapshot_take, kpi_snapshots_compare
from tests.factories import MunicipalityFactory, OrganisationFactory, PersonFactory, UserFactory, roster_of

pytestmark = pytest.mark.django_db
JULY = datetime(2025, 7, 3, 9, 0, tzinfo=UTC)
JANUARY = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def _training(person, ends_on, **flags):
    return ProfessionalDevelopment.objects.create(
        person=person, course_title="Курс", provider="Академия", hours=36, ends_on=ends_on, **flags
    )


@pytest.fixture
def world():
    m = MunicipalityFactory(name="Октябрьский район")
    school = OrganisationFactory(municipality=m)
    teachers = [PersonFactory(organisation=school) for _i in range(4)]
    other_school = OrganisationFactory()  # another municipality: never in m's snapshot
    for person in [*teachers, PersonFactory(organisation=other_school)]:
        roster_of(person, 2025)  # the 2025 staff rosters: the order KPIs' denominators
    # Remote share: H1 — one of two (a remote in March, b in-person in May); by December c (remote, October)
    # joins → 2 of 3. Registry + diagnostics (cumulative): a by H1 (1 of 4), a and c by year end (2 of 4).
    _training(teachers[0], date(2025, 3, 1), is_remote=True, in_federal_registry=True, based_on_diagnostics=True)
    _training(teachers[1], date(2025, 5, 10))
    _training(teachers[2], date(2025, 10, 1), is_remote=True, in_federal_registry=True, based_on_diagnostics=True)
    KpiTarget.objects.create(
        municipality=m,
        code="remote-pd-share",
        title="Дистанционно",
        year=2025,
        value=Decimal("60"),
        source="Приказ № 223/1, приложение 1",
    )
    return {"m": m, "teachers": teachers, "user": UserFactory(is_staff=True)}


def _take(world, half, now, label=""):
    return kpi_period_snapshot_take(
        municipality=world["m"], period_label=label, year=2025, half=half, by=world["user"], now=now
    )


def test_snapshot_freezes_every_kpi_with_target_and_status(world):
    first = _take(world, 1, JULY)
    assert first.kind == KpiSnapshot.Kind.PERIOD and first.municipality == world["m"]
    assert first.period == "1-е полугодие 2025" and first.taken_by == world["user"]
    assert first.taken_on == date(2025, 7, 3) and first.season is None
    assert (first.year, first.half, first.automatic) == (2025, 1, False)  # a hand-taken one
    assert set(first.values) == {d.code for d in KPI_DEFINITIONS}
    # Counted up to 30 June: a (remote) and b (in person) finished a course → 1 of 2 = 50 % < 60 %.
    assert first.values["remote-pd-share"] == {
        "name": "Доля педагогов, прошедших повышение квалификации дистанционно",
        "value": 50.0,
        "numerator": 1,
        "denominator": 2,
        "unit": "%",
        "target": "60.00",
        "comparison": "gte",
        "status": "missed",
        "source": "Приказ № 223/1, приложение 1",  # the clause the target comes from, frozen with it
    }
    assert first.values["dpo-federal-registry-diagnostics"]["value"] == 25.0  # a of 4 teachers
    assert first.values["young-teachers-share"]["status"] == "no_data"  # no experience recorded


def test_later_edits_do_not_change_a_taken_snapshot(world):
    first = _take(world, 1, JULY, label="Мониторинг, июль")
    ProfessionalDevelopment.objects.filter(ends_on=date(2025, 5, 10)).update(is_remote=True)
    KpiTarget.objects.filter(code="remote-pd-share").update(value=Decimal("10"))
    world["teachers"][3].delete()
    first.refresh_from_db()
    assert first.period == "Мониторинг, июль"
    assert first.values["remote-pd-share"]["value"] == 50.0
    assert first.values["remote-pd-share"]["target"] == "60.00"
    assert first.values["dpo-federal-registry-diagnostics"]["denominator"] == 4
    # A new snapshot sees the edits: both H1 courses are remote now, against the new target.
    again = _take(world, 1, JULY)
    assert again.values["remote-pd-share"]["value"] == 100.0 and again.values["remote-pd-share"]["status"] == "met"
    assert KpiSnapshot.objects.filter(kind=KpiSnapshot.Kind.PERIOD).count() == 2


def test_comparison_rows_kpi_by_kpi(world):
    first = _take(world, 1, JULY)
    second = _take(world, 2, JANUARY)
    assert second.period == "2-е полугодие 2025"
    rows = {row.code: row for row in kpi_snapshots_compare(first, second)}
    assert [row.code for row in kpi_snapshots_compare(first, second)] == [d.code for d in KPI_DEFINITIONS]
    remote = rows["remote-pd-share"]
    # 1 of 2 by June → 2 of 3 by December: 50 → 66.7, +16.7; missed → met (≥ 60).
    assert (remote.value_a, remote.value_b, remote.change) == (50.0, 66.7, 16.7)
    assert (remote.status_a, remote.status_b) == ("Не достигнуто", "Достигнуто")
    registry = rows["dpo-federal-registry-diagnostics"]
    assert (registry.value_a, registry.value_b, registry.change) == (25.0, 50.0, 25.0)
    assert rows["young-teachers-share"].change is None  # no data on either side
    assert rows["remote-pd-share"].unit == "%"


def test_comparison_keeps_a_kpi_missing_on_one_side(world):
    first = _take(world, 1, JULY)
    old = KpiSnapshot.objects.create(
        kind=KpiSnapshot.Kind.PERIOD,
        taken_on=date(2024, 12, 30),
        municipality=world["m"],
        values={"retired-kpi": {"value": 3, "numerator": 3, "denominator": None, "unit": "шт."}},
    )
    rows = {row.code: row for row in kpi_snapshots_compare(old, first)}
    assert (rows["retired-kpi"].name, rows["retired-kpi"].value_a, rows["retired-kpi"].value_b) == (
        "retired-kpi",
        3,
        None,
    )
    assert rows["remote-pd-share"].value_a is None and rows["remote-pd-share"].change is None


def test_half_must_be_one_or_two(world):
    with pytest.raises(ValueError):
        _take(world, 3, JULY)
