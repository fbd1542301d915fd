"""Reminders to experts with a review due: assigned to them or taken by them, not yet scored; the deadline is
their review's due date (or submission + the season's review period); once per (expert, lesson, deadline,
offset); set-based."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from activities.models import Submission
from core.models import Notification
from core.notifications import notifications_deliver
from experts.models import ExpertRole
from participants.models import User
from participants.reminders import reminders_send
from ratings.models import Review, ReviewAssignment
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    ReviewFactory,
    RubricFactory,
    SeasonFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 10, 10, 6, 0, tzinfo=UTC)


@pytest.fixture
def season():
    return SeasonFactory(reminder_offsets="7д, 2д, 3ч", review_due_days=7, program__title="Педагоги будущего")


@pytest.fixture
def assignment(season):
    # Long past its dates so that no teacher reminder mixes in.
    return VideoAssignmentFactory(
        activity=ActivityFactory(season=season, title="Открытый урок", kind="video_lesson"),
        opens_at=NOW - timedelta(days=30),
        due_at=NOW - timedelta(days=20),
        cutoff_at=NOW - timedelta(days=15),
    )


def _expert(season, **kwargs):
    return ExpertAssignmentFactory(
        season=season, role=ExpertRole.METHODIST, person__user=UserFactory(role=User.Role.EXPERT), **kwargs
    )


def _submission(assignment, *, days_ago=6, **kwargs):
    return SubmissionFactory(
        assignment=assignment,
        enrollment=EnrollmentFactory(season=assignment.activity.season),
        submitted_at=NOW - timedelta(days=days_ago),
        **kwargs,
    )


def _key(submission, deadline, offset):
    return f"reminder:review:{submission.pk}:{int(deadline.timestamp())}:{offset}h"


def _keys(expert=None):
    rows = Notification.objects.all()
    if expert is not None:
        rows = rows.filter(user_id=expert.person.user_id)
    return sorted(rows.values_list("dedupe_key", flat=True))


def test_an_assigned_review_is_reminded_once_before_its_due_date(season, assignment):
    expert = _expert(season)
    submission = _submission(assignment)  # due in a day: the 2-day offset is the nearest reached
    ReviewAssignment.objects.create(submission=submission, expert=expert)
    assert reminders_send(now=NOW) == {"review": 1, "video": 0}
    assert reminders_send(now=NOW + timedelta(minutes=30)) == {"review": 0, "video": 0}
    deadline = submission.submitted_at + timedelta(days=7)
    assert _keys() == [_key(submission, deadline, 48)]
    reminder = Notification.objects.get()
    assert reminder.user_id == expert.person.user_id
    assert reminder.kind == Notification.Kind.REMINDER
    assert (
        reminder.title
        == "Проверьте видеоурок по мероприятию «Открытый урок» до 11 октября 2025, 11:00 (время Екатеринбурга, МСК+2)"
    )
    assert "ждёт вашей проверки" in reminder.body and "программа «Педагоги будущего»" in reminder.body
    # Nothing about the teacher: no name, no topic.
    assert submission.topic not in reminder.body and submission.enrollment.person.last_name not in reminder.body
    assert reminder.url == "/expert/reviews/"
    assert reminder.email_template == "reminder_review"
    assert reminder.email_context["link"] == "http://localhost:8000/expert/reviews/"
    assert notifications_deliver()["sent"] == 1
    message = mail.outbox[0]
    assert message.to == [expert.person.user.email]
    assert message.subject == (
        "Напоминание: проверьте видеоурок по мероприятию «Открытый урок» до 11 октября 2025, 11:00 (время Екатеринбурга, МСК+2)"
    )
    assert "http://localhost:8000/expert/reviews/" in message.body
    assert 'href="http://localhost:8000/expert/reviews/"' in message.alternatives[0][0]
    # Three hours before: the last offset.
    assert reminders_send(now=deadline - timedelta(hours=1))["review"] == 1
    assert reminders_send(now=deadline + timedelta(minutes=1))["review"] == 0
    assert _keys() == sorted([_key(submission, deadline, 48), _key(submission, deadline, 3)])


def test_a_review_in_progress_counts_to_its_own_due_date_and_a_change_rearms(season, assignment):
    expert = _expert(season)
    submission = _submission(assignment, status=Submission.Status.IN_REVIEW)
    # Taken from the general queue (no assignment): still the expert's to finish.
    review = ReviewFactory(
        submission=submission,
        expert=expert,
        rubric=RubricFactory(program=season.program),
        status=Review.Status.IN_PROGRESS,
        due_at=NOW + timedelta(hours=100),
    )
    assert reminders_send(now=NOW)["review"] == 1
    assert _keys() == [_key(submission, review.due_at, 168)]
    old = review.due_at
    review.due_at = NOW + timedelta(hours=30)
    review.save()
    assert reminders_send(now=NOW)["review"] == 1
    assert _keys() == sorted([_key(submission, old, 168), _key(submission, review.due_at, 48)])


def test_who_is_not_reminded(season, assignment):
    rubric = RubricFactory(program=season.program)
    scored_by, inactive, replaced_by, finished_by = (_expert(season) for _ in range(4))
    inactive.is_active = False
    inactive.save()
    waiting = _submission(assignment)
    # Scored by this expert already.
    ReviewAssignment.objects.create(submission=waiting, expert=scored_by)
    ReviewFactory(submission=waiting, expert=scored_by, rubric=rubric, status=Review.Status.SUBMITTED)
    # No longer in the season's expert team.
    ReviewAssignment.objects.create(submission=waiting, expert=inactive)
    # A replaced version, and a lesson already reviewed.
    old = _submission(assignment, is_current=False)
    ReviewAssignment.objects.create(submission=old, expert=replaced_by)
    done = _submission(assignment, status=Submission.Status.REVIEWED)
    ReviewAssignment.objects.create(submission=done, expert=finished_by)
    # Overdue already: nothing to remind before.
    late = _submission(assignment, days_ago=8)
    ReviewAssignment.objects.create(submission=late, expert=finished_by)
    assert reminders_send(now=NOW)["review"] == 0
    assert Notification.objects.count() == 0


def test_a_season_without_offsets_reminds_no_expert(assignment, season):
    season.reminder_offsets = ""
    season.save()
    ReviewAssignment.objects.create(submission=_submission(assignment), expert=_expert(season))
    assert reminders_send(now=NOW)["review"] == 0


@pytest.mark.parametrize("n", [1, 3])
def test_the_queries_do_not_grow_with_enrollments(season, assignment, django_assert_num_queries, n):
    rubric = RubricFactory(program=season.program)
    expert, other = _expert(season), _expert(season)
    for _ in range(n):
        ReviewAssignment.objects.create(submission=_submission(assignment), expert=expert)
        taken = _submission(assignment, days_ago=1, status=Submission.Status.IN_REVIEW)
        ReviewFactory(
            submission=taken,
            expert=other,
            rubric=rubric,
            status=Review.Status.IN_PROGRESS,
            due_at=NOW + timedelta(hours=2),
        )
    # review source: reviews in progress, assignments; video source: its assignments (none due); storing: the
    # keys already sent, the insert, the unread counters; a savepoint and its release per source.
    with django_assert_num_queries(10):
        sent = reminders_send(now=NOW)
    assert sent == {"review": 2 * n, "video": 0}
    assert len(_keys(expert)) == n and len(_keys(other)) == n
