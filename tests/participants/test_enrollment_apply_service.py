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
        person=person, season=SeasonFactory(requires_approval=False), preferred_format=" Очно ", consent_given=True
    )
    assert (enrollment.status, enrollment.preferred_format) == (S.ACTIVE, "Очно")
    assert enrollment.status_changes.get().changed_by == person.user
    assert Consent.objects.filter(person=person, kind="pd_processing").count() == 1
    assert User.objects.count() == 1


def test_apply_twice_to_the_same_season_is_refused():
    enrollment = EnrollmentFactory(status=S.WITHDRAWN)
    with pytest.raises(ValidationError, match="уже подали заявку"):
        enrollment_apply(person=enrollment.person, season=enrollment.season, consent_given=True)


def test_apply_respects_window_places_and_eligibility():
    now = timezone.now()
    person = PersonFactory(education_level="other")
    closed = SeasonFactory(
        registration_opens_at=now - timedelta(days=9), registration_closes_at=now - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="закрыта"):
        enrollment_apply(person=person, season=closed, consent_given=True)
    full = SeasonFactory(capacity=1)
    EnrollmentFactory(season=full)
    with pytest.raises(ValidationError, match="Все места"):
        enrollment_apply(person=person, season=full, consent_given=True)
    strict = SeasonFactory(eligible_education_levels=["higher"])
    with pytest.raises(ValidationError, match="высшее"):
        enrollment_apply(person=person, season=strict, consent_given=True)
    assert not person.enrollments.exists()


def test_a_demo_or_staff_account_applying_itself_is_not_held_back_at_login():
    person = PersonFactory()
    person.user.last_login = timezone.now()
    person.user.save()
    enrollment_apply(person=person, season=SeasonFactory(), consent_given=True)
    assert awaits_email_confirmation(person.user) is False


def test_apply_without_a_consent_in_force_needs_it_given_again():
    """A person who withdrew the consent to processing (or was imported without one) is never re-consented
    silently: the application is refused until they give it, and then it is recorded with its version."""
    person = PersonFactory()
    season = SeasonFactory()
    with pytest.raises(ValidationError) as refused:
        enrollment_apply(person=person, season=season)
    assert "Без согласия на обработку" in str(refused.value.message_dict["consent_personal_data"])
    assert not person.enrollments.exists() and not Consent.objects.filter(person=person).exists()
    enrollment_apply(person=person, season=season, consent_given=True)
    consent = Consent.objects.get(person=person, kind="pd_processing")
    assert consent.withdrawn_at is None and consent.text_version


def test_apply_with_a_consent_in_force_keeps_it():
    person = PersonFactory()
    enrollment_apply(person=person, season=SeasonFactory(), consent_given=True)
    enrollment_apply(person=person, season=SeasonFactory())
    assert Consent.objects.filter(person=person, kind="pd_processing").count() == 1
