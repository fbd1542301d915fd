"""Seed 001, «ПРОкомьюнити», задачи: «Внедрение в районе каскадного обучения педагогических работников с опорой на
актив ПРОкомьюнити». A member of the active trains a group: an activity «Тренинг» with the trainees invited; the
trainees' attendance is marked as for any session; the trainer's «провёл занятие» counts once the session has
ended with a trainee present. Real services, explicit dates."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from activities.models import ActivityKind, Attendance
from projects.models import CommunityRole
from projects.selectors_communities import my_points, my_trainings
from projects.services_communities import cascade_training_schedule, community_member_add
from tests.factories import EnrollmentFactory
from tests.projects.communities_fixtures import community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
HELD = datetime(2025, 3, 12, 15, 0, tzinfo=MSK)


def test_a_tutor_of_the_active_trains_a_group_and_it_counts_for_both():
    season = season_of()
    coordinator = coordinator_of(season)
    community, _members = community_with(season, 5)
    tutor = community_member_add(
        community=community,
        enrollment=EnrollmentFactory(season=season),
        role=CommunityRole.TUTOR,
        joined_on=HELD.date() - timedelta(days=30),
        by=coordinator,
    )
    trainees = [EnrollmentFactory(season=season) for _ in range(3)]
    training = cascade_training_schedule(
        community=community,
        trainer=tutor.enrollment,
        title="Функциональная грамотность: разбор заданий",
        starts_at=HELD,
        ends_at=HELD + timedelta(hours=2),
        trainees=trainees,
        by=coordinator,
    )
    assert training.session.activity.kind == ActivityKind.TRAINING
    Attendance.objects.create(session=training.session, enrollment=trainees[0], status=Attendance.Status.PRESENT)
    Attendance.objects.create(session=training.session, enrollment=trainees[1], status=Attendance.Status.LATE)
    Attendance.objects.create(session=training.session, enrollment=trainees[2], status=Attendance.Status.ABSENT)
    (led,) = my_trainings(tutor.enrollment)
    assert led.attended_count == 2
    before, _scale = my_points(tutor.enrollment, now=HELD + timedelta(hours=1))
    after, _scale = my_points(tutor.enrollment, now=HELD + timedelta(hours=3))
    assert (before.groups_trained, after.groups_trained) == (0, 1)


def test_a_plain_participant_does_not_lead_cascade_training():
    season = season_of()
    community, members = community_with(season, 5)
    with pytest.raises(ValidationError, match="актив сообщества"):
        cascade_training_schedule(
            community=community,
            trainer=members[3].enrollment,
            title="Занятие",
            starts_at=HELD,
            ends_at=HELD + timedelta(hours=1),
            trainees=[EnrollmentFactory(season=season)],
            by=coordinator_of(season),
        )


def test_a_member_of_the_active_schedules_their_own_group_and_no_one_elses():
    from django.core.exceptions import PermissionDenied

    season = season_of()
    coordinator = coordinator_of(season)
    community, members = community_with(season, 5)
    coach = community_member_add(
        community=community,
        enrollment=EnrollmentFactory(season=season),
        role=CommunityRole.COACH,
        joined_on=HELD.date() - timedelta(days=30),
        by=coordinator,
    )
    trainees = [EnrollmentFactory(season=season) for _ in range(2)]
    training = cascade_training_schedule(
        community=community,
        trainer=coach.enrollment,
        title="Коучинговый подход на уроке",
        starts_at=HELD,
        ends_at=HELD + timedelta(hours=2),
        trainees=trainees,
        by=coach.enrollment.person.user,
    )
    assert training.trainer_id == coach.enrollment_id
    with pytest.raises(PermissionDenied):
        cascade_training_schedule(
            community=community,
            trainer=members[0].enrollment,
            title="Чужая группа",
            starts_at=HELD,
            ends_at=HELD + timedelta(hours=2),
            trainees=trainees,
            by=coach.enrollment.person.user,
        )
