"""Seed 001, «ПРОкомьюнити», задачи: «Построение системы мотивации и геймификации». The seed sets no numbers: the
points per contribution and the level thresholds are the portal's defaults, labelled «по умолчанию портала», and a
season's scale replaces them. Points are computed from the rows (a practice added, a rating given, a meeting
attended, a group trained, a report submitted); the board names only those who consented to the rating."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from activities.models import Attendance
from participants.models import Consent
from projects.models import DEFAULT_WEIGHTS, MotivationScale
from projects.selectors_communities import board, my_points
from projects.services_communities import (
    community_meeting_schedule,
    community_report_plan,
    community_report_submit,
    practice_add,
    practice_rate,
)
from tests.projects.communities_fixtures import community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
MEETING = datetime(2024, 11, 14, 16, 0, tzinfo=MSK)


def test_the_defaults_are_labelled_as_the_portals():
    field = MotivationScale._meta.get_field("practice_added")
    assert "по умолчанию портала" in str(field.help_text) and "в сиде чисел нет" in str(field.help_text)
    assert field.default == DEFAULT_WEIGHTS["practice_added"]


def test_contributions_make_points_and_the_board_respects_consent():
    season = season_of()
    coordinator = coordinator_of(season)
    community, members = community_with(season, 5)
    leader, colleague = members[0], members[1]
    practice = practice_add(
        community=community,
        kind="practice",
        title="Интерактивный плакат",
        description="Как сделать",
        link="https://example.ru/plakat",
        by=leader.enrollment.person.user,
    )
    practice_rate(practice=practice, score=5, by=colleague.enrollment.person.user)
    meeting = community_meeting_schedule(
        community=community, starts_at=MEETING, ends_at=MEETING + timedelta(hours=2), by=coordinator
    )
    for member in (leader, colleague):
        Attendance.objects.create(session=meeting, enrollment=member.enrollment, status=Attendance.Status.PRESENT)
    report = community_report_plan(community=community, year=2024, half=2, due_on=date(2024, 12, 25), by=coordinator)
    community_report_submit(report=report, text="Отчёт", by=leader.enrollment.person.user)

    after = MEETING + timedelta(days=1)
    leader_row, scale = my_points(leader.enrollment, now=after)
    assert scale.is_default and leader_row.points == 5 + 2 + 5
    colleague_row, _scale = my_points(colleague.enrollment, now=after)
    assert colleague_row.points == 1 + 2

    MotivationScale.objects.create(season=season, meeting_attended=10, active_from=15, elite_from=30)
    leader_row, scale = my_points(leader.enrollment, now=after)
    assert leader_row.points == 5 + 10 + 5 and scale.level(leader_row.points) == "Актив сообщества"

    Consent.objects.create(
        person=colleague.enrollment.person, kind=Consent.Kind.RATING_PUBLICATION, text_version="1", text_sha256="0" * 64
    )
    rows, _scale = board(season, now=after)
    named = {row.pk: row.published for row in rows}
    assert named[leader.enrollment_id] is False and named[colleague.enrollment_id] is True
