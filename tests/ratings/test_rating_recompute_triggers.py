"""The rating is recomputed when its inputs change, after the commit, once per season and transaction."""

from decimal import Decimal

import pytest
from django.db import transaction

from activities.models import Attendance
from config.celery import app
from core.models import TaskOutbox
from ratings.models import Achievement, ParticipantRating, Review
from ratings.services import RATING_RECOMPUTE_TASK, achievement_decide, rating_recompute_schedule
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ReviewFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

from .achievement_helpers import AchievementFactory, expert_of

pytestmark = pytest.mark.django_db


def _queued(callbacks) -> list[int]:
    return [
        c.work.kwargs["season_id"]
        for c in callbacks
        if isinstance(getattr(c, "work", None), TaskOutbox) and c.work.task == RATING_RECOMPUTE_TASK
    ]


@pytest.fixture
def eager():
    """Run queued tasks in-process, so an executed callback really recomputes."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_attendance_marks_queue_one_recompute_per_season(django_capture_on_commit_callbacks):
    season, other = SeasonFactory(), SeasonFactory()
    sessions = [SessionFactory(activity=ActivityFactory(season=season)) for _ in range(2)]
    people = [EnrollmentFactory(season=season) for _ in range(3)]
    with django_capture_on_commit_callbacks() as callbacks:
        for session in sessions:
            for enrollment in people:
                AttendanceFactory(session=session, enrollment=enrollment)
        AttendanceFactory(session=SessionFactory(activity=ActivityFactory(season=other)), enrollment__season=other)
    assert _queued(callbacks) == [season.pk, other.pk]


def test_a_new_mark_reaches_the_rating_after_commit(django_capture_on_commit_callbacks, eager):
    season = SeasonFactory(weight_attendance=Decimal("2"))
    enrollment = EnrollmentFactory(season=season)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        AttendanceFactory(session=SessionFactory(activity=ActivityFactory(season=season)), enrollment=enrollment)
    assert _queued(callbacks) == [season.pk]
    assert ParticipantRating.objects.get(enrollment=enrollment).attendance_points == Decimal("2.00")


def test_a_deleted_mark_queues_and_later_changes_in_the_transaction_do_not(django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory()
    session = SessionFactory(activity=ActivityFactory(season=enrollment.season))
    # bulk_create sends no signal: nothing is queued before the delete below.
    Attendance.objects.bulk_create([Attendance(session=session, enrollment=enrollment, status="present")])
    mark = Attendance.objects.get(session=session, enrollment=enrollment)
    with django_capture_on_commit_callbacks() as callbacks:
        mark.delete()
    assert _queued(callbacks) == [enrollment.season_id]
    with django_capture_on_commit_callbacks() as callbacks:
        again = AttendanceFactory(session=session, enrollment=enrollment, status=Attendance.Status.ABSENT)
        again.status = Attendance.Status.LATE
        again.save()
    assert _queued(callbacks) == []  # already queued in this transaction


def test_review_release_queues_and_unreleased_reviews_do_not(django_capture_on_commit_callbacks):
    season = SeasonFactory()
    submission = SubmissionFactory(
        assignment=VideoAssignmentFactory(activity__season=season), enrollment__season=season
    )
    with django_capture_on_commit_callbacks() as callbacks:
        review = ReviewFactory(submission=submission, status=Review.Status.IN_PROGRESS)
        review.status = Review.Status.SUBMITTED
        review.save()
    assert _queued(callbacks) == []
    with django_capture_on_commit_callbacks() as callbacks:
        review.status = Review.Status.RELEASED
        review.total_score = Decimal("7")
        review.save()
    assert _queued(callbacks) == [season.pk]


def test_achievement_decisions_queue_once_per_season(django_capture_on_commit_callbacks):
    season, other = SeasonFactory(), SeasonFactory()
    expert = expert_of(season)
    other_assignment = expert_of(other, person=expert.person)
    items = [AchievementFactory(enrollment__season=season) for _ in range(3)]
    items.append(AchievementFactory(enrollment__season=other))
    with django_capture_on_commit_callbacks() as callbacks:
        achievement_decide(achievements=items, confirm=True, by=expert.person.user)
    assert sorted(_queued(callbacks)) == sorted([season.pk, other.pk])
    assert Achievement.objects.get(pk=items[-1].pk).decided_by == other_assignment


def test_confirmation_reaches_the_rating_after_commit(django_capture_on_commit_callbacks, eager):
    season = SeasonFactory(weight_achievement_federal=Decimal("3"))
    item = AchievementFactory(enrollment__season=season, level=Achievement.Level.FEDERAL)
    with django_capture_on_commit_callbacks(execute=True):
        achievement_decide(achievements=[item], confirm=True, by=expert_of(season).person.user)
    assert ParticipantRating.objects.get(enrollment=item.enrollment).achievement_points == Decimal("3.00")


def test_deleting_a_confirmed_achievement_queues(django_capture_on_commit_callbacks):
    item = AchievementFactory(status=Achievement.Status.CONFIRMED)
    pending = AchievementFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        pending.delete()
    assert _queued(callbacks) == []
    with django_capture_on_commit_callbacks() as callbacks:
        item.delete()
    assert _queued(callbacks) == [item.enrollment.season_id]


def test_a_rolled_back_savepoint_leaves_no_stale_debounce(django_capture_on_commit_callbacks):
    season = SeasonFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            assert rating_recompute_schedule(season_id=season.pk) is True
            raise RuntimeError
        assert rating_recompute_schedule(season_id=season.pk) is True
        assert rating_recompute_schedule(season_id=season.pk) is False
    assert _queued(callbacks) == [season.pk]


def test_nothing_runs_before_the_commit(django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory()
    with django_capture_on_commit_callbacks(execute=False):
        AttendanceFactory(
            session=SessionFactory(activity=ActivityFactory(season=enrollment.season)),
            enrollment=enrollment,
            status=Attendance.Status.PRESENT,
        )
    assert not ParticipantRating.objects.exists()


def test_attendance_marked_in_bulk_on_the_page_queues_one_recompute(django_capture_on_commit_callbacks):
    """The attendance page writes marks with one bulk upsert, which post_save never sees: a signal covers it."""
    from activities.services import attendance_mark
    from participants.roles import COORDINATORS, role_groups_ensure
    from tests.factories import EnrollmentFactory, SessionFactory, UserFactory

    enrollment = EnrollmentFactory(status="active")
    season = enrollment.season
    session = SessionFactory(activity__season=season)
    coordinator = UserFactory(is_staff=True, role="coordinator", municipality=season.program.municipality)
    coordinator.groups.add(role_groups_ensure()[COORDINATORS])

    with django_capture_on_commit_callbacks() as callbacks:
        # Marked once the session has started: earlier, no mark is taken.
        attendance_mark(session=session, marks={enrollment.pk: ("present", "")}, by=coordinator, now=session.starts_at)

    assert _queued(callbacks) == [season.pk]
