import pytest
from django.core.exceptions import ValidationError

from participants.models import Enrollment, EnrollmentStatusChange
from participants.services import (
    enrollment_approve,
    enrollment_exclude,
    enrollment_reinstate,
    enrollments_set_status,
)
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status


def test_approve_records_who_when_why():
    coordinator = UserFactory()
    enrollment = EnrollmentFactory(status=S.APPLIED)
    enrollment_approve(enrollment=enrollment, actor=coordinator, reason="Документы в порядке")
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE
    change = EnrollmentStatusChange.objects.get(enrollment=enrollment)
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        S.APPLIED,
        S.ACTIVE,
        coordinator,
        "Документы в порядке",
    )


def test_exclusion_needs_a_reason_and_changes_nothing_without_one():
    enrollment = EnrollmentFactory(status=S.ACTIVE)
    with pytest.raises(ValidationError, match="Укажите причину"):
        enrollment_exclude(enrollment=enrollment, actor=None, reason="  ")
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE
    assert not EnrollmentStatusChange.objects.exists()


def test_forbidden_transition_is_refused():
    enrollment = EnrollmentFactory(status=S.APPLIED)
    with pytest.raises(ValidationError, match="Нельзя перевести"):
        enrollment_exclude(enrollment=enrollment, actor=None, reason="Пропуск")


def test_reinstate_after_exclusion_keeps_full_history():
    enrollment = EnrollmentFactory(status=S.ACTIVE)
    enrollment_exclude(enrollment=enrollment, actor=None, reason="Не сдан видеоурок")
    enrollment_reinstate(enrollment=enrollment, actor=None, reason="Уважительная причина: больничный")
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE
    assert list(enrollment.status_changes.values_list("to_status", flat=True)) == [S.EXCLUDED, S.ACTIVE]


def test_bulk_approve_skips_what_cannot_move_and_says_why():
    applied = EnrollmentFactory.create_batch(3, status=S.APPLIED)
    excluded = EnrollmentFactory(status=S.EXCLUDED)
    withdrawn = EnrollmentFactory(status=S.WITHDRAWN)
    changed, skipped = enrollments_set_status(
        enrollments=[*applied, excluded, withdrawn], to_status=S.REJECTED, actor=None, reason="Нет мест"
    )
    assert changed == 3
    assert {e.pk for e, _ in skipped} == {excluded.pk, withdrawn.pk}
    assert all("Нельзя перевести" in why for _, why in skipped)
    assert set(Enrollment.objects.filter(pk__in=[e.pk for e in applied]).values_list("status", flat=True)) == {
        S.REJECTED
    }
    assert Enrollment.objects.get(pk=excluded.pk).status == S.EXCLUDED
    assert EnrollmentStatusChange.objects.filter(to_status=S.REJECTED, reason="Нет мест").count() == 3
