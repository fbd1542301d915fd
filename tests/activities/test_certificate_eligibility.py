from decimal import Decimal

import pytest
from django.utils import timezone

from activities.certificates import certificates_owed
from activities.models import ActivityKind, Attendance, Certificate
from participants.models import Enrollment
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, SeasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    return SeasonFactory(issue_final_certificate=True)


def _owed(**kwargs):
    return {(o.enrollment_id, o.activity_id) for o in certificates_owed(**kwargs)}


def test_intensive_counts_only_when_the_required_sessions_are_attended(season):
    intensive = activity_with_sessions(season, sessions=4, required=3, kind=ActivityKind.INTENSIVE)
    two, three = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    attend(two, intensive, 2)
    attend(three, intensive, 3)
    assert _owed(season=season) == {(three.pk, intensive.pk)}


def test_late_counts_as_attended_and_absent_or_excused_do_not(season):
    webinar = activity_with_sessions(season, sessions=2, required=2)
    late, absent = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    attend(late, webinar, 1)
    late_session = webinar.sessions.order_by("starts_at")[1]
    Attendance.objects.create(session=late_session, enrollment=late, status=Attendance.Status.LATE)
    attend(absent, webinar, 1)
    Attendance.objects.create(
        session=late_session, enrollment=absent, status=Attendance.Status.EXCUSED, reason="Болезнь"
    )
    assert _owed(season=season) == {(late.pk, webinar.pk)}


def test_feedback_and_non_certificate_activities_never_give_one(season):
    feedback = activity_with_sessions(season, kind=ActivityKind.GROUP_FEEDBACK)
    plain = activity_with_sessions(season, gives_certificate=False)
    enrollment = EnrollmentFactory(season=season)
    attend(enrollment, feedback, 1)
    attend(enrollment, plain, 1)
    assert _owed(season=season) == set()


def test_only_active_or_completed_enrollments(season):
    webinar = activity_with_sessions(season)
    owed_to = set()
    for status in Enrollment.Status:
        enrollment = EnrollmentFactory(season=season, status=status)
        attend(enrollment, webinar, 1)
        if status in ("active", "completed"):
            owed_to.add((enrollment.pk, webinar.pk))
    assert {pair for pair in _owed(season=season) if pair[1]} == owed_to


def test_a_valid_certificate_is_not_owed_again_a_revoked_one_is(season):
    webinar = activity_with_sessions(season)
    enrollment = EnrollmentFactory(season=season)
    attend(enrollment, webinar, 1)
    certificate = Certificate.objects.create(
        number="X-1", code="c1", enrollment=enrollment, activity=webinar, kind=Certificate.Kind.ACTIVITY
    )
    assert _owed(season=season) == set()

    certificate.revoked_at = timezone.now()
    certificate.save()
    assert _owed(season=season) == {(enrollment.pk, webinar.pk)}


def test_season_certificate_for_completed_enrollments_with_the_hours_attended(season):
    webinar = activity_with_sessions(season, hours="4")
    intensive = activity_with_sessions(season, sessions=3, required=3, kind=ActivityKind.INTENSIVE, hours="12.5")
    feedback = activity_with_sessions(season, kind=ActivityKind.INDIVIDUAL_FEEDBACK, hours="1")
    completed = EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)
    active = EnrollmentFactory(season=season)
    for enrollment in (completed, active):
        attend(enrollment, webinar, 1)
        attend(enrollment, intensive, 2)  # not enough for the intensive: its hours do not count
        attend(enrollment, feedback, 1)

    owed = certificates_owed(season=season)

    season_certificates = [o for o in owed if o.activity_id is None]
    assert [(o.enrollment_id, o.hours) for o in season_certificates] == [(completed.pk, Decimal("5"))]
    assert season_certificates[0].kind == Certificate.Kind.SEASON


def test_no_season_certificate_when_the_season_does_not_issue_one():
    season = SeasonFactory(issue_final_certificate=False)
    EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)
    assert certificates_owed(season=season) == []


def test_activity_run_only_looks_at_that_activity(season):
    one, other = activity_with_sessions(season), activity_with_sessions(season)
    enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)
    attend(enrollment, one, 1)
    attend(enrollment, other, 1)
    assert _owed(activity=one) == {(enrollment.pk, one.pk)}
    assert _owed(season=season) == {(enrollment.pk, one.pk), (enrollment.pk, other.pk), (enrollment.pk, None)}


@pytest.mark.parametrize("count", [1, 3])
def test_eligibility_query_count_does_not_grow(season, count, django_assert_num_queries):
    webinar = activity_with_sessions(season)
    intensive = activity_with_sessions(season, sessions=3, required=3, kind=ActivityKind.INTENSIVE)
    for _ in range(count):
        enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)
        attend(enrollment, webinar, 1)
        attend(enrollment, intensive, 3)

    with django_assert_num_queries(3):
        owed = certificates_owed(season=season)
    assert len(owed) == 3 * count


def test_owed_can_be_limited_to_some_enrollments(season):
    webinar = activity_with_sessions(season)
    chosen = EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)
    other = EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)
    attend(chosen, webinar, 1)
    attend(other, webinar, 1)
    assert _owed(enrollment_ids=[chosen.pk]) == {(chosen.pk, webinar.pk), (chosen.pk, None)}
    assert len(_owed()) == 4
