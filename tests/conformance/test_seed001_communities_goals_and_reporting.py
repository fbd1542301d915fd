"""Seed 001, «ПРОкомьюнити», principle «Определение целей и отчетности»: «им надо указывать общий курс и ставить
четкие задачи… необходимость отчитываться». A half-year report has a due date set by the coordinator; the leader
«координирует его работу» and submits it (text or file); the coordinator accepts it; an accepted report is final.
Real services, explicit dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import CommunityReport
from projects.services_communities import community_report_accept, community_report_plan, community_report_submit
from tests.projects.communities_fixtures import community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def test_the_leader_reports_for_the_half_year_and_the_coordinator_accepts():
    season = season_of()
    coordinator = coordinator_of(season)
    community, members = community_with(season, 5)
    report = community_report_plan(community=community, year=2024, half=2, due_on=date(2024, 12, 25), by=coordinator)
    with pytest.raises(ValidationError):
        community_report_plan(community=community, year=2024, half=2, due_on=date(2024, 12, 26), by=coordinator)
    with pytest.raises(PermissionDenied):  # a member, not the leader
        community_report_submit(report=report, text="Итоги", by=members[2].enrollment.person.user)
    submitted_at = datetime(2024, 12, 20, 15, 0, tzinfo=MSK)
    community_report_submit(
        report=report, text="Четыре встречи, два мастер-класса", by=members[0].enrollment.person.user, now=submitted_at
    )
    accepted_at = datetime(2024, 12, 23, 10, 0, tzinfo=MSK)
    community_report_accept(report=report, by=coordinator, now=accepted_at)
    report = CommunityReport.objects.get(pk=report.pk)
    assert report.submitted_at == submitted_at and report.accepted_at == accepted_at
    assert report.submitted_at.date() <= report.due_on
    assert report.state_label == "принят"
    with pytest.raises(ValidationError):
        community_report_submit(report=report, text="Исправление", by=members[0].enrollment.person.user)


def test_an_unsubmitted_report_cannot_be_accepted():
    season = season_of()
    coordinator = coordinator_of(season)
    community, _members = community_with(season, 5)
    report = community_report_plan(community=community, year=2025, half=1, due_on=date(2025, 6, 25), by=coordinator)
    with pytest.raises(ValidationError, match="ещё не сдан"):
        community_report_accept(report=report, by=coordinator)
