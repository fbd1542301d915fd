"""Seed 000 (order № 643-од, «Прогрессивный педагог») §4.4, §5.5 for a late joiner, on the real services with
explicit dates.

«4.4. Обязательным условием участия в Проекте является: … осуществление своевременной отправки видеоуроков в
соответствии со сроками, установленными в ходе реализации Проекта.» «5.5. При невыполнении одного из обязательных
пунктов участник исключается из Проекта.»

A teacher approved on 7 December got, within a quarter of an hour, an exclusion case and an e-mail for a video
lesson whose cut-off passed on 8 November. A deadline before a participant's admission is never a ground; one
still ahead at admission is the teacher's obligation as for everyone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from activities.deadlines import check_deadlines_job
from activities.models import ExclusionCase, MissedVideo
from core.models import Notification
from core.notifications import notifications_deliver
from participants.models import Enrollment
from participants.services import enrollment_approve
from programs.models import Season
from tests.activities.exclusion_fixtures import coordinator, rules_season
from tests.factories import EnrollmentFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Yekaterinburg")


def at(month, day, hour=10, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


NOV_8_CUTOFF = at(11, 8, 18)
ADMITTED = at(12, 7, 10)
# Fifteen minutes after the approval: when the old job opened the case.
RUN = at(12, 7, 10, 15)


def _season(policy):
    season = rules_season(
        policy,
        time_zone="Asia/Yekaterinburg",
        exclude_on_unexcused_absence=False,
        starts_on=at(9, 1).date(),
        ends_on=at(6, 30, year=2027).date(),
    )
    coordinator(season.program.municipality)
    return season


def _lesson(season, *, title, due, cutoff):
    return VideoAssignmentFactory(
        activity__season=season, activity__title=title, opens_at=at(10, 1), due_at=due, cutoff_at=cutoff
    )


def _admit(season, when, *, last_name):
    """A teacher who applied and was approved by the coordinator through the enrollment service at `when`."""
    enrollment = EnrollmentFactory(
        season=season, status=Enrollment.Status.APPLIED, person__last_name=last_name, applied_at=at(9, 10)
    )
    enrollment_approve(enrollment=enrollment, actor=None)
    # The service stamps the approval with the clock; this scenario's approval happened at `when`.
    Enrollment.objects.filter(pk=enrollment.pk).update(status_changed_at=when)
    enrollment.refresh_from_db()
    assert enrollment.admitted_at == when
    return enrollment


def _about(enrollment):
    user = enrollment.person.user
    return Notification.objects.filter(user=user), [m for m in mail.outbox if user.email in m.to]


@pytest.mark.parametrize("policy", [Season.ExclusionPolicy.CONFIRMATION, Season.ExclusionPolicy.AUTOMATIC])
def test_p4_4_a_cutoff_before_admission_is_no_ground(policy):
    season = _season(policy)
    _lesson(season, title="Урок в выбранном формате", due=at(11, 1, 18), cutoff=NOV_8_CUTOFF)
    late = _admit(season, ADMITTED, last_name="Позднякова")
    mail.outbox.clear()

    run = check_deadlines_job(now=RUN)
    notifications_deliver()

    assert not run.skipped
    assert not MissedVideo.objects.filter(enrollment=late).exists()
    assert not ExclusionCase.objects.filter(enrollment=late).exists()
    late.refresh_from_db()
    assert late.status == Enrollment.Status.ACTIVE
    notes, letters = _about(late)
    assert list(notes) == [] and letters == []

    # A day later, and a month later: still nothing.
    check_deadlines_job(now=at(12, 8, 10))
    check_deadlines_job(now=at(1, 7, 10, year=2027))
    assert not ExclusionCase.objects.filter(enrollment=late).exists()
    assert not MissedVideo.objects.exists()


def test_p4_4_a_teacher_admitted_before_the_cutoff_who_misses_it_has_the_ground():
    season = _season(Season.ExclusionPolicy.AUTOMATIC)
    lesson = _lesson(season, title="Урок в выбранном формате", due=at(11, 1, 18), cutoff=NOV_8_CUTOFF)
    early = _admit(season, at(9, 15), last_name="Ранняя")
    late = _admit(season, ADMITTED, last_name="Позднякова")
    mail.outbox.clear()

    check_deadlines_job(now=RUN)
    notifications_deliver()

    missed = MissedVideo.objects.get()
    assert (missed.enrollment, missed.assignment, missed.cutoff_at) == (early, lesson, NOV_8_CUTOFF)
    case = ExclusionCase.objects.get()
    assert case.enrollment == early and case.reason_keys == {f"video:{lesson.pk}"}
    early.refresh_from_db()
    assert early.status == Enrollment.Status.EXCLUDED
    _notes, letters = _about(early)
    assert len(letters) == 1 and "исключены" in letters[0].subject
    notes, letters = _about(late)
    assert list(notes) == [] and letters == []


def test_p4_4_a_cutoff_after_admission_is_the_late_joiners_obligation():
    season = _season(Season.ExclusionPolicy.CONFIRMATION)
    _lesson(season, title="Урок в выбранном формате", due=at(11, 1, 18), cutoff=NOV_8_CUTOFF)
    december = _lesson(season, title="Урок декабря", due=at(12, 15, 18), cutoff=at(12, 20, 18))
    late = _admit(season, ADMITTED, last_name="Позднякова")

    check_deadlines_job(now=at(12, 21, 10))

    missed = MissedVideo.objects.get()
    assert (missed.enrollment, missed.assignment) == (late, december)
    case = ExclusionCase.objects.get(enrollment=late)
    assert case.status == ExclusionCase.Status.OPEN
    assert case.reason_keys == {f"video:{december.pk}"}  # the November lesson is not among the grounds
    assert "«Урок декабря»" in case.reasons[0]["evidence"]


def test_p4_4_a_record_the_old_job_wrote_after_admission_is_removed():
    """The incident's MissedVideo (written 15 minutes after the approval about 8 November) goes on the next run;
    a miss recorded before a reinstatement stays (it was a real miss then)."""
    season = _season(Season.ExclusionPolicy.CONFIRMATION)
    lesson = _lesson(season, title="Урок в выбранном формате", due=at(11, 1, 18), cutoff=NOV_8_CUTOFF)
    late = _admit(season, ADMITTED, last_name="Позднякова")
    returned = _admit(season, at(12, 1), last_name="Восстановленная")
    MissedVideo.objects.create(assignment=lesson, enrollment=late, cutoff_at=NOV_8_CUTOFF, recorded_at=RUN)
    MissedVideo.objects.create(assignment=lesson, enrollment=returned, cutoff_at=NOV_8_CUTOFF, recorded_at=at(11, 9))

    check_deadlines_job(now=at(12, 8))

    assert list(MissedVideo.objects.values_list("enrollment_id", flat=True)) == [returned.pk]
