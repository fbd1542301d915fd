"""One number everywhere (seed 002 §6.2, seed 003): every KPI of one scope reads the same value, numerator,
denominator, target and status from kpi_report, the dashboard, the KPI's own page, the workbook's «Сводка» and a
half-year snapshot — only the display formatting may differ (15,5 on a page, 15.5 in a cell)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Attendance, Certificate
from participants.models import Enrollment
from reports.kpi import KPI_DEFINITIONS, KpiScope, KpiStatus, kpi_report
from reports.models import KpiSnapshot, KpiTarget
from reports.monitoring_exports import monitoring_xlsx
from reports.selectors_monitoring import monitoring_page
from reports.services import kpi_period_snapshot_take
from reports.workbooks import kpi_workbook_build
from reports.xlsx import workbook_write
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    roster_of,
)
from tests.reports.dashboard_world import management
from tests.reports.test_kpi_order import world  # noqa: F401 — the order KPIs' hand-made municipality

pytestmark = pytest.mark.django_db

YEAR = 2025
HEADER_ROW = 7  # six preamble lines above the header of «Сводка»
S = Enrollment.Status


@pytest.fixture
def one_world(world):  # noqa: F811
    """The order KPIs' municipality of test_kpi_order plus a program season of 2025 (enrollments, attendance,
    certificates), a target the value rounds up to but misses, and a target that ended before 2025."""
    m, s1, s2 = world["m"], world["s1"], world["s2"]
    season = SeasonFactory(
        program__municipality=m, program__organiser=s1, starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31)
    )
    # A spring season of 2025, over before the second half-year: still one of 2025's seasons on every surface.
    spring = SeasonFactory(
        program__municipality=m, program__organiser=s2, starts_on=date(2025, 1, 15), ends_on=date(2025, 5, 31)
    )
    spring_teacher = PersonFactory(organisation=s1, experience_years=None, education_level="")
    EnrollmentFactory(season=spring, person=spring_teacher, status=S.COMPLETED)
    people = {
        "a": PersonFactory(organisation=s1, experience_years=4, education_level="higher"),
        "b": PersonFactory(organisation=s1, experience_years=12, education_level="higher"),
        "c": PersonFactory(organisation=s2, experience_years=7, education_level="higher"),
        "d": PersonFactory(organisation=s2, experience_years=1, education_level="secondary_vocational"),
        "e": PersonFactory(organisation=s2, experience_years=30, education_level="higher"),
    }
    # Everyone here is in the 2025 roster of their school (the order KPIs' staff).
    for person in [spring_teacher, *people.values()]:
        roster_of(person, YEAR)
    statuses = {"a": S.ACTIVE, "b": S.ACTIVE, "c": S.COMPLETED, "d": S.ACTIVE, "e": S.WITHDRAWN}
    enrollments = {key: EnrollmentFactory(season=season, person=people[key], status=statuses[key]) for key in people}
    session = SessionFactory(
        activity=ActivityFactory(season=season, title="Вебинар"), starts_at=datetime(2025, 10, 6, 10, tzinfo=UTC)
    )
    # Attendance in the municipality: a, c present, d late, b absent = 3 of 4.
    for key, status in {"a": "present", "b": "absent", "c": "present", "d": "late"}.items():
        AttendanceFactory(session=session, enrollment=enrollments[key], status=Attendance.Status(status))
    for n, key in enumerate(["a", "c"]):
        Certificate.objects.create(
            number=f"N-{n}", code=f"C-{n}", enrollment=enrollments[key], activity=session.activity, title="Вебинар"
        )
    # Higher education of M's teachers rounds up to 77,8 % (7 of 9 = 77,77…): «не менее 77,8 %» is missed.
    KpiTarget.objects.filter(municipality=m, code="higher-education-staffing", year=YEAR).update(value=Decimal("77.8"))
    # The order's targets of this KPI stop at 2024: 2025 shows the last one, status «ended».
    KpiTarget.objects.create(
        municipality=m, code="remote-pd-share", title="-", year=2024, value=Decimal("10"), comparison="gte"
    )
    return {**world, "season": season, "boss": management(m)}


def _numbers(value, numerator, denominator, target, status) -> tuple:
    """What must agree on every surface; floats compared as numbers (a cell holds 77.8, a page shows 77,8)."""

    def number(x):
        return None if x is None else float(x)

    return number(value), number(numerator), number(denominator), number(target), status


def _expected(scope: KpiScope, now: datetime) -> dict[str, tuple]:
    return {
        r.code: _numbers(r.value, r.numerator, r.denominator, r.target, r.status)
        for r in kpi_report(scope=scope, now=now)
    }


def _dashboard(client, params: dict) -> dict[str, tuple]:
    response = client.get(reverse("kpi_dashboard"), params)
    assert response.status_code == 200
    overview = response.context["overview"]
    return {
        r.code: _numbers(r.value, r.numerator, r.denominator, r.target, r.status)
        for r in overview.order + overview.program
    }


def _detail(client, params: dict, code: str) -> tuple:
    """The page's headline value; its «value per year» bar for the same year must carry the same numbers."""
    response = client.get(reverse("kpi_detail", args=[code]), params)
    assert response.status_code == 200
    detail = response.context["detail"]
    r = detail.result
    headline = _numbers(r.value, r.numerator, r.denominator, r.target, r.status)
    if "season" in params:
        return headline  # each year's bar counts every season of that year (the page says so)
    (same_year,) = [y for y in detail.years if y.year == YEAR]
    assert (
        _numbers(same_year.value, same_year.numerator, same_year.denominator, same_year.target, same_year.status)
        == headline
    ), code
    return headline


def _school_rows(client, params: dict, code: str, school_id: int) -> tuple | None:
    """The municipality page's «По школам» row of one school: value, numerator, denominator and status."""
    response = client.get(reverse("kpi_detail", args=[code]), params)
    for breakdown in response.context["detail"].breakdowns:
        if breakdown.by == "organisation":
            (row,) = [row for row in breakdown.rows if row.key == school_id]
            return _numbers(row.value, row.numerator, row.denominator, None, row.status)
    return None


def _workbook(user, params: dict, now: datetime) -> dict[str, tuple]:
    """The «Сводка» rows read back from the file: numerator, denominator, value, target number and status."""
    sheets, _rows = kpi_workbook_build({"user": user.pk, **params}, now=now)
    file = io.BytesIO()
    workbook_write(sheets=sheets, file=file)
    file.seek(0)
    summary = load_workbook(file)["Сводка"]
    header = [cell.value for cell in summary[HEADER_ROW]]
    at = {name: header.index(name) for name in header}
    codes = {str(d.name): d.code for d in KPI_DEFINITIONS}
    status_codes = {str(label): code for code, label in KpiStatus.LABELS.items()}
    got = {}
    for row in summary.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        got[codes[row[at["Показатель"]]]] = _numbers(
            row[at["Значение"]],
            row[at["Числитель, значение"]],
            row[at["Знаменатель, значение"]],
            row[at["Цель, число"]],
            status_codes[row[at["Статус"]]],
        )
    return got


def _snapshot(w, now: datetime) -> dict[str, tuple]:
    """The second half-year's snapshot: 1 January–31 December, the year of the dashboard's scope."""
    snapshot = kpi_period_snapshot_take(municipality=w["m"], period_label="", year=YEAR, half=2, by=None, now=now)
    snapshot.refresh_from_db()
    return {
        code: _numbers(v["value"], v["numerator"], v["denominator"], v["target"], v["status"])
        for code, v in snapshot.values.items()
    }


def _monitoring_xlsx(snapshot: KpiSnapshot) -> dict[str, tuple]:
    """The monitoring report's «Показатели» rows read back: value, numerator, denominator and status (its target
    is the words «не менее 20 %», so the number is left out: None)."""
    file = io.BytesIO(monitoring_xlsx(monitoring_page(snapshot), previous=None, comparison=[]))
    rows = list(load_workbook(file)["Показатели"].iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row[0] == "№")
    at = {name: index for index, name in enumerate(rows[header_at])}
    codes = {v["name"]: code for code, v in snapshot.values.items()}
    status_codes = {str(label): code for code, label in KpiStatus.LABELS.items()}
    return {
        codes[row[at["Показатель"]]]: _numbers(
            row[at["Значение"]], row[at["Числитель"]], row[at["Знаменатель"]], None, status_codes[row[at["Статус"]]]
        )
        for row in rows[header_at + 1 :]
    }


def test_the_world_has_the_cases_that_tell_surfaces_apart(one_world):
    got = _expected(KpiScope(year=YEAR, municipality_id=one_world["m"].pk), timezone.now())
    # 7 of 9 = 77,77…: shown as 77,8, missed against «не менее 77,8» on the exact fraction.
    assert got["higher-education-staffing"] == (77.8, 7.0, 9.0, 77.8, KpiStatus.MISSED)
    # The order's targets stop at 2024: the last one is carried with the status «ended» (a, c remote of a, b, c, f).
    assert got["remote-pd-share"] == (50.0, 2.0, 4.0, 10.0, KpiStatus.ENDED)
    assert got["attendance_rate"] == (75.0, 3.0, 4.0, None, KpiStatus.NO_TARGET)
    non_zero = [code for code, numbers in got.items() if numbers[1]]
    assert len(non_zero) > len(got) / 2


@pytest.mark.parametrize("which", ["municipality", "school", "season"])
def test_every_kpi_reads_the_same_on_every_surface(one_world, client, which):
    w = one_world
    now = timezone.now()
    if which == "municipality":
        params, scope = {"year": YEAR}, KpiScope(year=YEAR, municipality_id=w["m"].pk)
    elif which == "school":
        params = {"year": YEAR, "organisation": w["s1"].pk}
        scope = KpiScope(year=YEAR, municipality_id=w["m"].pk, organisation_id=w["s1"].pk)
    else:
        params = {"year": YEAR, "season": w["season"].pk}
        scope = KpiScope(year=YEAR, season_ids=(w["season"].pk,), municipality_id=w["m"].pk)
    expected = _expected(scope, now)
    assert set(expected) == {d.code for d in KPI_DEFINITIONS}

    client.force_login(w["boss"])
    assert _dashboard(client, params) == expected
    assert {code: _detail(client, params, code) for code in expected} == expected
    assert _workbook(w["boss"], {**params, "municipality": w["m"].pk}, now) == expected
    if which == "municipality":  # a period snapshot is a municipality's, over every season
        assert _snapshot(w, now) == expected
        # The half-year monitoring report of that snapshot prints the same numbers.
        snapshot = KpiSnapshot.objects.filter(kind=KpiSnapshot.Kind.PERIOD, municipality=w["m"]).latest("pk")
        without_target = {code: (v, n, d, None, s) for code, (v, n, d, _t, s) in expected.items()}
        assert _monitoring_xlsx(snapshot) == without_target


def test_a_schools_row_on_the_municipality_page_is_the_schools_own_number(one_world, client):
    w = one_world
    now = timezone.now()
    school = _expected(KpiScope(year=YEAR, municipality_id=w["m"].pk, organisation_id=w["s1"].pk), now)
    client.force_login(w["boss"])
    checked = 0
    for definition in KPI_DEFINITIONS:
        row = _school_rows(client, {"year": YEAR}, definition.code, w["s1"].pk)
        if row is None:
            continue
        value, numerator, denominator, _target, status = school[definition.code]
        assert row == (value, numerator, denominator, None, status), definition.code
        checked += 1
    assert checked == len([d for d in KPI_DEFINITIONS if "organisation" in d.breakdowns])
