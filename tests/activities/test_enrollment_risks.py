from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.cabinet import risks_context
from activities.models import Attendance, SubmissionExtension
from activities.selectors import RiskRule, enrollment_risks
from participants.cabinet import CabinetContext
from participants.models import Enrollment
from participants.selectors import person_enrollments
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


def _quiet_season(**rules):
    """A season with every exclusion rule off unless switched on by the test."""
    values = {"exclude_on_unexcused_absence": False, "exclude_on_missed_video": False, "chat_join_days": None}
    values.update(rules)
    return SeasonFactory(time_zone="Asia/Yekaterinburg", **values)


def _absent(enrollment, *, mandatory=True, status=Attendance.Status.ABSENT):
    activity = ActivityFactory(season=enrollment.season, title="Установочный семинар", is_mandatory=mandatory)
    session = SessionFactory(activity=activity, starts_at=timezone.now() - timedelta(days=3))
    reason = "Болезнь" if status == Attendance.Status.EXCUSED else ""
    AttendanceFactory(session=session, enrollment=enrollment, status=status, reason=reason)
    return session


def _risks(enrollment, now=None):
    return enrollment_risks([enrollment], now=now or timezone.now())[enrollment.pk]


def test_unexcused_absence_from_a_mandatory_activity():
    enrollment = EnrollmentFactory(season=_quiet_season(exclude_on_unexcused_absence=True))
    session = _absent(enrollment)

    (risk,) = _risks(enrollment)

    assert risk.rule == RiskRule.UNEXCUSED_ABSENCE
    assert risk.breached and risk.session == session
    assert "Пропуск обязательного мероприятия без уважительной причины" in risk.rule_text
    local = timezone.localtime(session.starts_at, enrollment.season.tz)
    assert "«Установочный семинар»" in risk.evidence
    assert local.strftime("%H:%M") in risk.evidence
    assert "координатору" in risk.action


@pytest.mark.parametrize(
    ("mandatory", "status"),
    [(False, Attendance.Status.ABSENT), (True, Attendance.Status.EXCUSED), (True, Attendance.Status.LATE)],
)
def test_no_absence_risk_for_optional_activities_excused_or_late(mandatory, status):
    enrollment = EnrollmentFactory(season=_quiet_season(exclude_on_unexcused_absence=True))
    _absent(enrollment, mandatory=mandatory, status=status)

    assert _risks(enrollment) == []


def test_missed_video_due_within_seven_days_names_the_cutoff():
    now = timezone.now()
    enrollment = EnrollmentFactory(season=_quiet_season(exclude_on_missed_video=True))
    assignment = VideoAssignmentFactory(
        activity__season=enrollment.season,
        activity__title="Урок в выбранном формате",
        due_at=now + timedelta(days=6),
        cutoff_at=now + timedelta(days=10),
    )
    VideoAssignmentFactory(
        activity__season=enrollment.season, due_at=now + timedelta(days=8), cutoff_at=now + timedelta(days=9)
    )

    (risk,) = _risks(enrollment, now)

    assert risk.rule == RiskRule.MISSED_VIDEO
    assert risk.assignment == assignment
    assert risk.deadline == assignment.cutoff_at
    assert not risk.breached
    cutoff_local = timezone.localtime(assignment.cutoff_at, enrollment.season.tz)
    assert cutoff_local.strftime("%H:%M") in risk.action
    assert "Сдайте видеоурок не позднее" in risk.action


def test_missed_video_after_cutoff_is_breached_and_extension_gives_time():
    now = timezone.now()
    # Admitted before the cut-off: the lesson was the participant's obligation.
    enrollment = EnrollmentFactory(
        season=_quiet_season(exclude_on_missed_video=True), status_changed_at=now - timedelta(days=40)
    )
    assignment = VideoAssignmentFactory(
        activity__season=enrollment.season,
        opens_at=now - timedelta(days=30),
        due_at=now - timedelta(days=5),
        cutoff_at=now - timedelta(days=2),
    )
    (risk,) = _risks(enrollment, now)
    assert risk.breached and "истёк" in risk.action

    until = now + timedelta(days=3)
    SubmissionExtension.objects.create(assignment=assignment, enrollment=enrollment, until=until, reason="Болезнь")
    (risk,) = _risks(enrollment, now)
    assert not risk.breached and risk.deadline == until


def test_submitted_video_is_no_risk():
    now = timezone.now()
    enrollment = EnrollmentFactory(season=_quiet_season(exclude_on_missed_video=True))
    assignment = VideoAssignmentFactory(activity__season=enrollment.season, due_at=now + timedelta(days=1))
    SubmissionFactory(assignment=assignment, enrollment=enrollment)

    assert _risks(enrollment, now) == []


def test_chat_not_joined_within_the_season_days():
    now = timezone.now()
    enrollment = EnrollmentFactory(
        season=_quiet_season(chat_join_days=7), status_changed_at=now - timedelta(days=2), chat_joined_at=None
    )

    (risk,) = _risks(enrollment, now)

    assert risk.rule == RiskRule.CHAT_NOT_JOINED
    assert risk.deadline == enrollment.status_changed_at + timedelta(days=7)
    assert not risk.breached
    assert "за 7 дней после зачисления" in risk.rule_text.replace("\xa0", " ")
    assert "Вступите в информационный чат участников не позднее" in risk.action

    enrollment.status_changed_at = now - timedelta(days=8)
    enrollment.save()
    (risk,) = _risks(enrollment, now)
    assert risk.breached

    enrollment.chat_joined_at = now
    enrollment.save()
    assert _risks(enrollment, now) == []


def test_no_risks_when_every_rule_is_off():
    now = timezone.now()
    enrollment = EnrollmentFactory(season=_quiet_season(), status_changed_at=now - timedelta(days=30))
    _absent(enrollment)
    VideoAssignmentFactory(
        activity__season=enrollment.season,
        opens_at=now - timedelta(days=9),
        due_at=now - timedelta(days=1),
        cutoff_at=now - timedelta(hours=1),
    )

    assert _risks(enrollment, now) == []


def test_only_active_enrollments_are_at_risk():
    enrollment = EnrollmentFactory(
        season=_quiet_season(exclude_on_unexcused_absence=True), status=Enrollment.Status.APPLIED
    )
    _absent(enrollment)

    assert enrollment_risks([enrollment], now=timezone.now()) == {enrollment.pk: []}


def _risky_enrollment(season):
    enrollment = EnrollmentFactory(season=season, status_changed_at=timezone.now() - timedelta(days=20))
    _absent(enrollment)
    return enrollment


@pytest.mark.parametrize("count", [1, 3])
def test_many_enrollments_at_once_in_a_constant_number_of_queries(django_assert_num_queries, count):
    now = timezone.now()
    season = _quiet_season(exclude_on_unexcused_absence=True, exclude_on_missed_video=True, chat_join_days=5)
    for _ in range(count):
        VideoAssignmentFactory(activity__season=season, due_at=now + timedelta(days=2))
    enrollments = [_risky_enrollment(season) for _ in range(count)]
    fresh = list(Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]))  # seasons not selected

    # Seasons, the sessions each may attend (their audience), modules, activities, sessions, marks, submissions,
    # extensions.
    with django_assert_num_queries(8):
        risks = enrollment_risks(fresh, now=now)

    for enrollment in enrollments:
        rules = [r.rule for r in risks[enrollment.pk]]
        assert rules.count(RiskRule.UNEXCUSED_ABSENCE) == 1
        assert rules.count(RiskRule.MISSED_VIDEO) == count
        assert rules.count(RiskRule.CHAT_NOT_JOINED) == 1


def test_banner_is_first_on_the_owners_cabinet(client):
    enrollment = _risky_enrollment(_quiet_season(exclude_on_unexcused_absence=True))
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert 'role="alert"' in html
    assert "Внимание: есть риск исключения из программы" in html
    assert html.index("cabinet-risks") < html.index("cabinet-programs")


def test_banner_not_shown_to_another_teacher_or_anonymous(client):
    _risky_enrollment(_quiet_season(exclude_on_unexcused_absence=True))
    other = EnrollmentFactory()
    client.force_login(other.person.user)
    assert "риск исключения" not in client.get(reverse("cabinet")).content.decode()

    client.logout()
    assert client.get(reverse("cabinet")).status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_banner_section_query_count(django_assert_num_queries, count):
    season = _quiet_season(exclude_on_unexcused_absence=True)
    enrollment = _risky_enrollment(season)
    for _ in range(count - 1):
        _absent(enrollment)
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())

    # Modules, activities with video assignments, my submissions and extensions; sessions with my marks.
    with django_assert_num_queries(3):
        context = risks_context(ctx)

    assert len(context["groups"][0][1]) == count


def test_video_whose_cutoff_passed_before_admission_is_no_risk():
    """Seed 000 п. 4.4, 5.5: a deadline before admission is never a ground; one ahead at admission is."""
    now = timezone.now()
    enrollment = EnrollmentFactory(
        season=_quiet_season(exclude_on_missed_video=True), status_changed_at=now - timedelta(days=1)
    )
    before = VideoAssignmentFactory(
        activity__season=enrollment.season,
        opens_at=now - timedelta(days=30),
        due_at=now - timedelta(days=5),
        cutoff_at=now - timedelta(days=2),
    )
    assert _risks(enrollment, now) == []

    # An extension reaching past the admission makes it the participant's obligation again.
    SubmissionExtension.objects.create(
        assignment=before, enrollment=enrollment, until=now - timedelta(hours=1), reason="По запросу"
    )
    (risk,) = _risks(enrollment, now)
    assert risk.breached and risk.assignment == before
