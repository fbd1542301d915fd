"""The audit trail of attendance, exclusion cases and certificates: every service, job and bulk path leaves
history rows naming who (or which job) made the change, written set-based."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.deadlines import DEFAULTS_AFTER, attendance_defaults_apply, check_deadlines_job
from activities.exclusion import exclusion_case_dismiss, exclusion_rules_apply
from activities.models import Attendance, Certificate, ExclusionCase
from activities.services import attendance_mark
from activities.services_certificates import certificate_revoke, certificates_issue
from core.history import history_context
from participants.models import Enrollment
from programs.models import Season
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import ActivityFactory, AttendanceFactory, EnrollmentFactory, SeasonFactory, SessionFactory

from .attendance_fixtures import coordinator_of, session_with_participants
from .exclusion_fixtures import absent, coordinator, participant, rules_season

pytestmark = pytest.mark.django_db
JOB_REASON = "задача: проверка сроков и правил исключения"
LONG_AGO = timezone.now() - timedelta(days=60)


def test_marking_attendance_records_new_and_changed_marks_by_the_marker():
    session, (a, b) = session_with_participants(2)
    user = coordinator_of(session)
    AttendanceFactory(session=session, enrollment=a, status="present", source="self", marked_by=a.person)

    attendance_mark(session=session, marks={a.pk: ("excused", "Больничный лист"), b.pk: ("late", "")}, by=user)

    rows = {h.enrollment_id: h for h in Attendance.history.filter(session=session, history_user=user)}
    assert set(rows) == {a.pk, b.pk}
    assert (rows[a.pk].history_type, rows[a.pk].status, rows[a.pk].reason) == ("~", "excused", "Больничный лист")
    assert (rows[b.pk].history_type, rows[b.pk].status) == ("+", "late")
    assert rows[a.pk].id == Attendance.objects.get(session=session, enrollment=a).pk


def test_marking_many_costs_the_same_queries_as_marking_one():
    def run(count):
        session, enrollments = session_with_participants(count)
        user = coordinator_of(session)
        marks = {e.pk: ("present", "") for e in enrollments}
        with CaptureQueriesContext(connection) as ctx:
            attendance_mark(session=session, marks=marks, by=user)
        return len(ctx.captured_queries)

    assert run(1) == run(4)
    assert Attendance.history.count() == 5


def test_the_default_marks_job_records_what_it_wrote_with_its_reason():
    now = timezone.now()
    season = SeasonFactory(default_attendance_status="absent")
    ends = now - DEFAULTS_AFTER - timedelta(hours=1)
    session = SessionFactory(activity=ActivityFactory(season=season), starts_at=ends - timedelta(hours=2), ends_at=ends)
    marked, unmarked = (EnrollmentFactory(season=season, status_changed_at=LONG_AGO) for _n in range(2))
    AttendanceFactory(session=session, enrollment=marked, status="present")
    before = Attendance.history.filter(enrollment=marked).count()

    with history_context(reason="задача: проверка сроков"):
        assert attendance_defaults_apply(now=now) == (1, 1)

    (row,) = Attendance.history.filter(enrollment=unmarked)
    assert (row.history_type, row.status, row.source, row.history_user) == ("+", "absent", "default", None)
    assert row.history_change_reason == "задача: проверка сроков"
    assert row.id == Attendance.objects.get(enrollment=unmarked).pk
    assert Attendance.history.filter(enrollment=marked).count() == before  # the manual mark is untouched


def test_the_deadline_job_names_itself_on_an_automatic_exclusion():
    season = rules_season(Season.ExclusionPolicy.AUTOMATIC)
    enrollment = participant(season)
    absent(enrollment)

    check_deadlines_job(now=timezone.now())

    case = ExclusionCase.objects.get(enrollment=enrollment)
    assert case.status == ExclusionCase.Status.EXCLUDED
    opened, excluded = ExclusionCase.history.filter(id=case.pk).order_by("history_date", "history_id")
    assert (opened.history_type, opened.status, excluded.status) == ("+", "open", "excluded")
    assert {opened.history_change_reason, excluded.history_change_reason} == {JOB_REASON}
    status = Enrollment.history.filter(id=enrollment.pk).latest()
    assert (status.status, status.history_user, status.history_change_reason) == ("excluded", None, JOB_REASON)


def test_a_coordinators_decision_is_recorded_under_their_name():
    season = rules_season()
    enrollment = participant(season)
    absent(enrollment)
    exclusion_rules_apply(now=timezone.now())
    case = ExclusionCase.objects.get(enrollment=enrollment)
    user = coordinator(season.program.municipality)

    exclusion_case_dismiss(case=case, by=user, reason="Пропуск согласован заранее")

    latest = ExclusionCase.history.filter(id=case.pk).latest()
    assert (latest.status, latest.history_user, latest.decision_reason) == (
        "dismissed",
        user,
        "Пропуск согласован заранее",
    )


def test_the_rules_job_costs_the_same_queries_for_one_case_and_for_three():
    def run(count):
        season = rules_season(Season.ExclusionPolicy.AUTOMATIC)
        for _n in range(count):
            absent(participant(season))
        with CaptureQueriesContext(connection) as ctx:
            counts = exclusion_rules_apply(now=timezone.now())
        ExclusionCase.objects.filter(enrollment__season=season).update(status="dismissed")
        Enrollment.objects.filter(season=season).update(status="withdrawn")
        assert counts["excluded"] == count
        return len(ctx.captured_queries)

    assert run(1) == run(3)
    assert ExclusionCase.history.filter(history_type="+").count() == 4


NOW = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)


def test_certificates_issued_in_a_batch_and_revoked_are_recorded():
    season = SeasonFactory()
    webinar = activity_with_sessions(season)
    enrollments = [EnrollmentFactory(season=season) for _n in range(3)]
    for enrollment in enrollments:
        attend(enrollment, webinar, webinar.required_sessions)
    user = coordinator(season.program.municipality)

    certificates_issue(now=NOW, by=user)
    certificate = Certificate.objects.get(enrollment=enrollments[0])
    certificate_revoke(certificate=certificate, by=user, reason="Ошибка в часах")

    created = Certificate.history.filter(history_type="+")
    assert created.count() == 3 and {h.history_user for h in created} == {user}
    assert all(h.pdf and h.number for h in created)  # recorded as issued, with the file
    revoked = Certificate.history.filter(id=certificate.pk).latest()
    assert (revoked.history_type, revoked.revoke_reason, revoked.history_user) == ("~", "Ошибка в часах", user)
