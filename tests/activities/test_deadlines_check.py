"""The deadline job's service: late submissions, missed video lessons, default attendance marks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.deadlines import (
    DEFAULTS_AFTER,
    attendance_defaults_apply,
    deadlines_check,
    missed_videos_sync,
    submissions_mark_late,
)
from activities.models import Attendance, MissedVideo, Session, SubmissionExtension
from activities.signals import attendance_changed
from participants.models import Enrollment
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db
# Participants active since well before the sessions of the tests.
LONG_AGO = timezone.now() - timedelta(days=60)


def _closed_assignment(season, now, *, days_ago=1):
    return VideoAssignmentFactory(
        activity__season=season,
        opens_at=now - timedelta(days=30),
        due_at=now - timedelta(days=days_ago + 7),
        cutoff_at=now - timedelta(days=days_ago),
    )


# --- Late submissions ----------------------------------------------------------------------------------------


def test_submissions_after_the_due_date_are_marked_late_once():
    now = timezone.now()
    assignment = VideoAssignmentFactory(due_at=now - timedelta(days=2), cutoff_at=now + timedelta(days=5))
    season = assignment.activity.season
    late = SubmissionFactory(assignment=assignment, enrollment__season=season, submitted_at=now - timedelta(days=1))
    on_time = SubmissionFactory(assignment=assignment, enrollment__season=season, submitted_at=now - timedelta(days=3))

    assert submissions_mark_late(now=now) == 1
    assert submissions_mark_late(now=now) == 0

    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.is_late and not on_time.is_late


# --- Missed video lessons ------------------------------------------------------------------------------------


def test_missing_video_is_recorded_at_the_cutoff_for_active_enrollments_only():
    now = timezone.now()
    season = SeasonFactory()
    assignment = _closed_assignment(season, now)
    missing = EnrollmentFactory(season=season, status_changed_at=LONG_AGO)
    submitted = EnrollmentFactory(season=season, status_changed_at=LONG_AGO)
    SubmissionFactory(assignment=assignment, enrollment=submitted)
    EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    VideoAssignmentFactory(activity__season=season)  # its cut-off is still ahead

    assert missed_videos_sync(now=now) == (1, 0)
    assert missed_videos_sync(now=now) == (0, 0)

    (miss,) = MissedVideo.objects.all()
    assert (miss.enrollment, miss.assignment, miss.cutoff_at) == (missing, assignment, assignment.cutoff_at)


def test_personal_extension_moves_the_moment_of_the_miss():
    now = timezone.now()
    season = SeasonFactory()
    assignment = _closed_assignment(season, now, days_ago=3)
    extended_future = EnrollmentFactory(season=season, status_changed_at=LONG_AGO)
    extended_past = EnrollmentFactory(season=season, status_changed_at=LONG_AGO)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=extended_future, until=now + timedelta(days=2), reason="Болезнь"
    )
    until = now - timedelta(days=1)
    SubmissionExtension.objects.create(assignment=assignment, enrollment=extended_past, until=until, reason="Болезнь")

    missed_videos_sync(now=now)

    (miss,) = MissedVideo.objects.all()
    assert miss.enrollment == extended_past and miss.cutoff_at == until


def test_a_miss_is_removed_after_a_submission_or_a_new_extension():
    now = timezone.now()
    season = SeasonFactory()
    assignment = _closed_assignment(season, now)
    submits_late, extended = (
        EnrollmentFactory(season=season, status_changed_at=LONG_AGO),
        EnrollmentFactory(season=season, status_changed_at=LONG_AGO),
    )
    missed_videos_sync(now=now)
    assert MissedVideo.objects.count() == 2

    SubmissionFactory(assignment=assignment, enrollment=submits_late)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=extended, until=now + timedelta(days=3), reason="Командировка"
    )

    assert missed_videos_sync(now=now) == (0, 2)
    assert not MissedVideo.objects.exists()
    # The extension runs out unused: the miss comes back, dated at the extension.
    later = now + timedelta(days=4)
    assert missed_videos_sync(now=later) == (1, 0)
    assert MissedVideo.objects.get().cutoff_at == now + timedelta(days=3)


# --- Default attendance marks --------------------------------------------------------------------------------


def _ended_session(season, now, *, ago=DEFAULTS_AFTER + timedelta(hours=1)):
    ends = now - ago
    return SessionFactory(activity=ActivityFactory(season=season), starts_at=ends - timedelta(hours=2), ends_at=ends)


def test_unmarked_expected_participants_get_the_season_default_and_manual_marks_stay():
    now = timezone.now()
    season = SeasonFactory(default_attendance_status="absent")
    session = _ended_session(season, now)
    marked, unmarked = (
        EnrollmentFactory(season=season, status_changed_at=LONG_AGO),
        EnrollmentFactory(season=season, status_changed_at=LONG_AGO),
    )
    EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    EnrollmentFactory(season=season, status_changed_at=session.ends_at + timedelta(minutes=5))  # approved later
    AttendanceFactory(session=session, enrollment=marked, status="present")
    sent = []
    attendance_changed.connect(lambda sender, session, **kw: sent.append(session.pk), weak=False, dispatch_uid="t")
    try:
        assert attendance_defaults_apply(now=now) == (1, 1)
        assert attendance_defaults_apply(now=now) == (0, 0)
    finally:
        attendance_changed.disconnect(dispatch_uid="t")

    marks = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    assert set(marks) == {marked.pk, unmarked.pk}
    assert (marks[marked.pk].status, marks[marked.pk].is_default, marks[marked.pk].source) == (
        "present",
        False,
        "manual",
    )
    default = marks[unmarked.pk]
    assert (default.status, default.is_default, default.source, default.marked_by) == ("absent", True, "default", None)
    session.refresh_from_db()
    assert session.defaults_applied_at == now
    assert sent == [session.pk]


def test_sessions_still_within_the_marking_day_are_left_alone():
    now = timezone.now()
    season = SeasonFactory(default_attendance_status="absent")
    session = _ended_session(season, now, ago=timedelta(hours=2))
    EnrollmentFactory(season=season, status_changed_at=LONG_AGO)

    assert attendance_defaults_apply(now=now) == (0, 0)
    assert not Attendance.objects.exists()
    assert Session.objects.get(pk=session.pk).defaults_applied_at is None


def test_a_season_without_a_default_gets_no_marks_but_is_not_rescanned():
    now = timezone.now()
    season = SeasonFactory(default_attendance_status="")
    session = _ended_session(season, now)
    EnrollmentFactory(season=season, status_changed_at=LONG_AGO)

    assert attendance_defaults_apply(now=now) == (0, 1)
    assert not Attendance.objects.exists()
    assert Session.objects.get(pk=session.pk).defaults_applied_at == now


def test_present_default():
    now = timezone.now()
    season = SeasonFactory(default_attendance_status="present")
    session = _ended_session(season, now)
    enrollment = EnrollmentFactory(season=season, status_changed_at=LONG_AGO)

    attendance_defaults_apply(now=now)

    assert Attendance.objects.get(session=session, enrollment=enrollment).status == "present"


# --- The whole check ---------------------------------------------------------------------------------------


def _world(count: int, now):
    season = SeasonFactory(default_attendance_status="absent")
    assignment = _closed_assignment(season, now)
    open_assignment = VideoAssignmentFactory(
        activity__season=season, due_at=now - timedelta(days=1), cutoff_at=now + timedelta(days=5)
    )
    _ended_session(season, now)
    for n in range(count):
        enrollment = EnrollmentFactory(season=season, status_changed_at=LONG_AGO)
        SubmissionFactory(assignment=open_assignment, enrollment=enrollment, submitted_at=now - timedelta(hours=n + 1))
        if n == 0:
            SubmissionExtension.objects.create(
                assignment=assignment, enrollment=enrollment, until=now - timedelta(hours=1), reason="Болезнь"
            )
    return season


def _state():
    return (
        sorted(MissedVideo.objects.values_list("enrollment_id", "assignment_id", "cutoff_at")),
        sorted(Attendance.objects.values_list("session_id", "enrollment_id", "status", "is_default")),
        sorted(Session.objects.values_list("pk", "defaults_applied_at")),
    )


def test_running_twice_gives_the_same_state():
    now = timezone.now()
    _world(3, now)

    first = deadlines_check(now=now)
    state = _state()
    second = deadlines_check(now=now)

    assert first == {"late": 3, "missed": 3, "missed_removed": 0, "default_marks": 3, "sessions_closed": 1}
    assert second == {"late": 0, "missed": 0, "missed_removed": 0, "default_marks": 0, "sessions_closed": 0}
    assert _state() == state


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_enrollments(django_assert_num_queries, count):
    now = timezone.now()
    _world(count, now)

    # 17 + the audit trail of the default marks (the rows written read back by their stamp, then one INSERT)
    # + the task outbox's row for the rating recompute.
    with django_assert_num_queries(20):
        deadlines_check(now=now)
