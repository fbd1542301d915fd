"""Seed 000 (order № 643-од, «Прогрессивный педагог») §4.4 «вступление в чат информирования участников», §5.5 and §5.7,
on the real services with explicit dates.

The order names the condition, not a term: the days to join are the season's setting (the portal's default,
labelled so). The teacher says «я вступил(а)», the technical specialist confirms; the rule reads the confirmed
membership — and a claim made in time holds the ground back until the specialist confirms or takes it back, since
the specialist's delay is not the teacher's breach.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from activities.exclusion import exclusion_rules_apply
from activities.models import ExclusionCase
from participants.models import Enrollment
from participants.services_chat import chat_join_claim, chat_membership_confirm, chat_membership_revoke
from tests.activities.exclusion_fixtures import coordinator, rules_season
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Yekaterinburg")
ADMITTED = datetime(2024, 9, 25, 12, 0, tzinfo=TZ)
DEADLINE = ADMITTED + timedelta(days=7)  # 2 October 2024, 12:00
CHAT = "https://t.me/+progressive_pedagog"


@pytest.fixture
def season():
    return rules_season(
        chat_join_days=7,
        chat_url=CHAT,
        starts_on=datetime(2024, 9, 1).date(),
        ends_on=datetime(2025, 6, 30).date(),
    )


def _teacher(season):
    return EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE, status_changed_at=ADMITTED)


def _chat_grounds(enrollment):
    return [c for c in ExclusionCase.objects.filter(enrollment=enrollment) if "chat" in c.reason_keys]


def test_p4_4_not_joined_by_the_deadline_is_a_ground(season):
    anna = _teacher(season)

    exclusion_rules_apply(now=DEADLINE - timedelta(minutes=1))
    assert _chat_grounds(anna) == []

    exclusion_rules_apply(now=DEADLINE + timedelta(hours=1))
    assert len(_chat_grounds(anna)) == 1


def test_p4_4_a_claim_in_time_waits_for_the_specialist_and_a_late_confirmation_opens_nothing(season):
    anna = _teacher(season)
    chat_join_claim(enrollment=anna, by=anna.person.user, now=ADMITTED + timedelta(days=3))

    exclusion_rules_apply(now=DEADLINE + timedelta(days=3))
    assert _chat_grounds(anna) == []

    chat_membership_confirm(
        enrollments=[anna], by=coordinator(season.program.municipality), now=DEADLINE + timedelta(days=8)
    )
    exclusion_rules_apply(now=DEADLINE + timedelta(days=9))
    assert _chat_grounds(anna) == []


def test_p4_4_a_claim_taken_back_by_the_specialist_opens_the_ground(season):
    anna = _teacher(season)
    chat_join_claim(enrollment=anna, by=anna.person.user, now=ADMITTED + timedelta(days=3))
    chat_membership_revoke(
        enrollments=[anna], by=coordinator(season.program.municipality), reason="В чате участницы нет"
    )

    exclusion_rules_apply(now=DEADLINE + timedelta(days=4))

    assert len(_chat_grounds(anna)) == 1


def test_p4_4_a_claim_after_the_deadline_does_not_undo_the_breach(season):
    anna = _teacher(season)
    chat_join_claim(enrollment=anna, by=anna.person.user, now=DEADLINE + timedelta(days=1))

    exclusion_rules_apply(now=DEADLINE + timedelta(days=2))

    assert len(_chat_grounds(anna)) == 1


def test_p4_4_the_days_are_counted_from_admission_not_from_the_application(season):
    late = EnrollmentFactory(
        season=season,
        status=Enrollment.Status.ACTIVE,
        applied_at=ADMITTED - timedelta(days=20),
        status_changed_at=ADMITTED + timedelta(days=10),
    )

    exclusion_rules_apply(now=DEADLINE + timedelta(days=5))  # 12 days after applying, 2 after admission

    assert _chat_grounds(late) == []
