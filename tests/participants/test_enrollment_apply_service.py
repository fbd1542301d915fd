"""A person with an account applies for another season: the same rules as a new registration, no new account."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participants.models import Consent, Enrollment, User
from participants.services import awaits_email_confirmation, enrollment_apply
from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status


def test_apply_creates_an_enrollment_and_records_the_consent():
    person = PersonFactory()
    enrollment = enrollment_apply(
        person=person, season=SeasonFactory(requires_approval=False), preferred_format=" Очно "
    )
    assert (enrollment.status, enrollment.preferred_format) == (S.ACTIVE, "Очно")
    assert enrollment.status_changes.get().changed_by == person.user
    assert Consent.objects.filter(person=person, kind="pd_processing").count() == 1
    assert User.objects.count() == 1


def test_apply_twice_to_the_same_season_is_refused():
    enrollment = EnrollmentFactory(status=S.WITHDRAWN)
    with pytest.raises(ValidationError, match="уже подали заявку"):
        enrollment_apply(person=enrollment.person, season=enrollment.season)


def test_apply_respects_window_places_and_eligibility():
    now = timezone.now()
    person = PersonFactory(education_level="other")
    closed = SeasonFactory(
        registration_opens_at=now - timedelta(days=9), registration_closes_at=now - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="закрыта"):
        enrollment_apply(person=person, season=closed)
    full = SeasonFactory(capacity=1)
    EnrollmentFactory(season=full)
    with pytest.raises(ValidationError, match="Все места"):
        enrollment_apply(person=person, season=full)
    strict = SeasonFactory(eligible_education_levels=["higher"])
    with pytest.raises(ValidationError, match="высшее"):
        enrollment_apply(person=person, season=strict)
    assert not person.enrollments.exists()


def test_a_demo_or_staff_account_applying_itself_is_not_held_back_at_login():
    person = PersonFactory()
    person.user.last_login = timezone.now()
    person.user.save()
    enrollment_apply(person=person, season=SeasonFactory())
    assert awaits_email_confirmation(person.user) is False
