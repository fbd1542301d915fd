"""Reminders to teachers with a video lesson to submit: before the due date, then before their cut-off
(personal extensions respected); once per (teacher, assignment, deadline, offset); set-based."""

from datetime import UTC, datetime, timedelta

import pytest

from activities.models import SubmissionExtension
from core.models import Notification
from participants.models import Enrollment
from participants.reminders import reminders_send
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    PersonFactory,
    SeasonFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 10, 10, 6, 0, tzinfo=UTC)  # 11:00 in Yekaterinburg (UTC+5)


@pytest.fixture
def season():
    return SeasonFactory(reminder_offsets="7д, 2д, 3ч", program__title="Педагоги будущего")


def _assignment(season, *, due_in=timedelta(hours=30), cutoff_after=timedelta(days=7), opened=timedelta(days=10)):
    return VideoAssignmentFactory(
        activity=ActivityFactory(season=season, title="Открытый урок", kind="video_lesson"),
        opens_at=NOW - opened,
        due_at=NOW + due_in,
        cutoff_at=NOW + due_in + cutoff_after,
    )


def _keys(user=None):
    rows = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    if user is not None:
        rows = rows.filter(user=user)
    return sorted(rows.values_list("dedupe_key", flat=True))


def _key(assignment, deadline, offset):
    return f"reminder:video:{assignment.pk}:{int(deadline.timestamp())}:{offset}h"


def test_the_nearest_offset_is_sent_once_however_often_the_job_runs(season):
    assignment = _assignment(season)  # due in 30 hours: the 7-day and 2-day offsets have both come
    enrollment = EnrollmentFactory(season=season)
    assert reminders_send(now=NOW) == {"review": 0, "video": 1}
    assert reminders_send(now=NOW) == {"review": 0, "video": 0}
    assert reminders_send(now=NOW + timedelta(hours=1)) == {"review": 0, "video": 0}
    assert _keys() == [_key(assignment, assignment.due_at, 48)]
    reminder = Notification.objects.get()
    assert reminder.user_id == enrollment.person.user_id
    assert reminder.title == "Сдайте видеоурок «Открытый урок» до 11 октября 2025, 17:00 (время Екатеринбурга, МСК+2)"
    assert "программа «Педагоги будущего»" in reminder.body and "Вы ещё не сдали работу." in reminder.body
    assert reminder.url == f"/cabinet/videos/{assignment.pk}/"
    assert reminder.email_template == "reminder_video"
    assert reminder.email_status == Notification.EmailStatus.PENDING
    assert reminder.email_context["link"] == f"http://localhost:8000/cabinet/videos/{assignment.pk}/"
    assert reminder.email_context["deadline"] == "11 октября 2025, 17:00 (время Екатеринбурга, МСК+2)"

    # 3 hours before: the next offset, once.
    later = assignment.due_at - timedelta(hours=2)
    assert reminders_send(now=later)["video"] == 1
    assert reminders_send(now=later)["video"] == 0
    assert _keys() == sorted([_key(assignment, assignment.due_at, 48), _key(assignment, assignment.due_at, 3)])


def test_nothing_before_the_first_offset_nor_before_the_assignment_opens(season):
    _assignment(season, due_in=timedelta(days=8))
    _assignment(season, due_in=timedelta(days=5), opened=-timedelta(days=1))  # opens tomorrow
    EnrollmentFactory(season=season)
    assert reminders_send(now=NOW)["video"] == 0
    # Once it opens, the nearest offset already reached is sent (7 days), not the ones skipped before.
    assert reminders_send(now=NOW + timedelta(days=1))["video"] == 2


def test_a_moved_due_date_rearms_the_reminders(season):
    assignment = _assignment(season)
    EnrollmentFactory(season=season)
    reminders_send(now=NOW)
    old_due = assignment.due_at
    assignment.due_at = NOW + timedelta(days=5)
    assignment.save()
    assert reminders_send(now=NOW)["video"] == 1
    assert _keys() == sorted([_key(assignment, old_due, 48), _key(assignment, assignment.due_at, 168)])


def test_who_is_reminded(season):
    assignment = _assignment(season)
    waiting = EnrollmentFactory(season=season)
    submitted = EnrollmentFactory(season=season)
    SubmissionFactory(assignment=assignment, enrollment=submitted)
    EnrollmentFactory(season=season, status=Enrollment.Status.APPLIED)
    EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    EnrollmentFactory(season=season, person=PersonFactory(user=None))
    EnrollmentFactory(season=season, person__user__is_active=False)
    EnrollmentFactory(season=SeasonFactory())  # another season
    assert reminders_send(now=NOW)["video"] == 1
    assert list(Notification.objects.values_list("user_id", flat=True)) == [waiting.person.user_id]


def test_a_season_without_offsets_reminds_nobody():
    season = SeasonFactory(reminder_offsets="")
    _assignment(season)
    EnrollmentFactory(season=season)
    assert reminders_send(now=NOW)["video"] == 0


def test_after_the_due_date_the_cutoff_or_my_extension_counts(season):
    assignment = _assignment(season, due_in=-timedelta(hours=10), cutoff_after=timedelta(hours=40))
    plain = EnrollmentFactory(season=season)
    extended = EnrollmentFactory(season=season)
    until = assignment.cutoff_at + timedelta(days=3)
    SubmissionExtension.objects.create(assignment=assignment, enrollment=extended, until=until, reason="Болезнь")
    assert reminders_send(now=NOW)["video"] == 2
    assert _keys(plain.person.user) == [_key(assignment, assignment.cutoff_at, 48)]
    assert _keys(extended.person.user) == [_key(assignment, until, 168)]
    plain_note = Notification.objects.get(user=plain.person.user)
    assert plain_note.title.startswith("Последний срок сдачи видеоурока «Открытый урок»")
    assert "с отметкой «с опозданием»" in plain_note.body
    assert Notification.objects.get(user=extended.person.user).title.startswith(
        "Продлённый срок сдачи видеоурока «Открытый урок»"
    )
    assert Notification.objects.get(user=extended.person.user).email_context["extended"] is True

    # Past the cut-off only the extended teacher is still reminded, relative to the extension.
    after_cutoff = until - timedelta(hours=47)
    assert after_cutoff > assignment.cutoff_at
    assert reminders_send(now=after_cutoff)["video"] == 1
    assert _keys(plain.person.user) == [_key(assignment, assignment.cutoff_at, 48)]
    assert _keys(extended.person.user) == sorted([_key(assignment, until, 168), _key(assignment, until, 48)])
    assert reminders_send(now=until + timedelta(minutes=1))["video"] == 0


def test_an_extension_shorter_than_the_cutoff_changes_nothing(season):
    assignment = _assignment(season, due_in=-timedelta(hours=10), cutoff_after=timedelta(hours=40))
    enrollment = EnrollmentFactory(season=season)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=enrollment, until=assignment.due_at + timedelta(hours=1), reason="—"
    )
    reminders_send(now=NOW)
    assert _keys() == [_key(assignment, assignment.cutoff_at, 48)]


@pytest.mark.parametrize("n", [1, 3])
def test_the_queries_do_not_grow_with_enrollments(season, django_assert_num_queries, n):
    first, second = _assignment(season), _assignment(season, due_in=timedelta(hours=2))
    other_season = SeasonFactory(reminder_offsets="1д")
    third = _assignment(other_season, due_in=timedelta(hours=20))
    enrollments = [EnrollmentFactory(season=season) for _ in range(n)] + [EnrollmentFactory(season=other_season)]
    SubmissionFactory(assignment=second, enrollment=enrollments[0])
    SubmissionExtension.objects.create(
        assignment=first, enrollment=enrollments[-2], until=first.cutoff_at + timedelta(days=1), reason="—"
    )
    # review source: 2 reads; video source: assignments, enrollments, submissions, extensions; storing: the keys
    # already sent, the insert, the unread counters; a savepoint and its release per source.
    with django_assert_num_queries(13):
        sent = reminders_send(now=NOW)
    assert sent["video"] == n + (n - 1) + 1
    assert Notification.objects.filter(dedupe_key__startswith=f"reminder:video:{third.pk}:").count() == 1
