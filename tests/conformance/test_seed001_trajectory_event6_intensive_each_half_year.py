"""Сид 001, «Траектория развития», мероприятие 6: «Организация и проведение образовательных интенсивов для
педагогов — не менее 1 раза в учебном полугодии» — with explicit dates: a half-year with an intensive, one that
passed without one (flagged on the project's page), the current one not yet over (not flagged)."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from activities.models import ActivityKind
from projects.selectors_trajectory import HalfYear, intensive_halves
from tests.factories import ActivityFactory, SessionFactory
from tests.projects.trajectory_world import build_world

pytestmark = pytest.mark.django_db


def _intensive(season, starts_at: datetime, kind=ActivityKind.INTENSIVE):
    activity = ActivityFactory(season=season, kind=kind, title="Образовательный интенсив для педагогов-наставников")
    return SessionFactory(activity=activity, starts_at=starts_at, ends_at=starts_at.replace(hour=starts_at.hour + 1))


def test_a_half_year_over_without_an_intensive_is_flagged_the_current_one_is_not():
    w = build_world()
    season = w["season"]  # 10.01.2025 – 30.06.2026: halves 1/2025, 2/2025, 1/2026
    _intensive(season, datetime(2025, 3, 20, 9, tzinfo=UTC), ActivityKind.METHODICAL_INTENSIVE)
    # 31.12.2025 22:30 UTC is 01:30 on 1 January 2026 in Moscow: the municipality's clock puts it in 1/2026.
    _intensive(season, datetime(2025, 12, 31, 22, 30, tzinfo=UTC))
    # A seminar is not an intensive.
    ActivityFactory(season=season, kind=ActivityKind.SEMINAR)

    rows = intensive_halves(season, today=date(2026, 3, 16))

    assert [(r.half, r.intensives, r.over, r.missing) for r in rows] == [
        (HalfYear(2025, 1), 1, True, False),
        (HalfYear(2025, 2), 0, True, True),
        (HalfYear(2026, 1), 1, False, False),
    ]


def test_the_half_year_ends_at_midnight_in_the_municipalitys_zone():
    w = build_world()
    rows = {r.half: r for r in intensive_halves(w["season"], today=date(2025, 12, 31))}
    assert not rows[HalfYear(2025, 2)].missing  # 31 December is still the half's day
    rows = {r.half: r for r in intensive_halves(w["season"], today=date(2026, 1, 1))}
    assert rows[HalfYear(2025, 2)].missing


def test_the_coordinators_project_page_shows_the_flag():
    w = build_world()
    _intensive(w["season"], datetime(2025, 3, 20, 9, tzinfo=UTC))
    client = Client()
    client.force_login(w["users"]["coordinator"])
    page = client.get("/projects/trajectory/").content.decode()
    assert page.count('data-missing="1"') >= 1
    assert "Полугодие прошло без интенсива" in page
