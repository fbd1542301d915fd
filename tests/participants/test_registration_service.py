from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from participants import consents
from participants.models import Consent, Enrollment, EnrollmentStatusChange, Person, User
from participants.services import RegistrationData, email_confirm, registration_submit
from tests.factories import EnrollmentFactory, OrganisationFactory, PersonFactory, SeasonFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status


@pytest.fixture
def data():
    return RegistrationData(
        email="  Petrova.Anna@School5.RU ",
        password="Vernyi-Parol-2026",
        last_name="Петрова",
        first_name="Анна",
        middle_name="Сергеевна",
        birth_date=date(1990, 4, 12),
        phone="+7 900 000-00-00",
        organisation=OrganisationFactory(),
        position="Учитель математики",
        education_level="higher",
        consent_personal_data=True,
        consent_rating=True,
    )


def _counts():
    return (User.objects.count(), Person.objects.count(), Enrollment.objects.count(), Consent.objects.count())


def test_registration_creates_account_person_consents_and_applied_enrollment(data):
    season = SeasonFactory(requires_approval=True)
    enrollment = registration_submit(season=season, data=data)
    assert enrollment.status == S.APPLIED
    person = enrollment.person
    assert (person.last_name, person.user.email) == ("Петрова", "petrova.anna@school5.ru")
    assert person.user.check_password("Vernyi-Parol-2026")
    assert person.user.email_confirmed_at is None
    stored = {c.kind: c for c in person.consents.all()}
    assert set(stored) == {"pd_processing", "rating_publication"}
    assert stored["pd_processing"].text_version == consents.PERSONAL_DATA_PROCESSING.version
    assert stored["pd_processing"].text_sha256 == consents.PERSONAL_DATA_PROCESSING.digest
    change = EnrollmentStatusChange.objects.get(enrollment=enrollment)
    assert (change.from_status, change.to_status, change.changed_by) == ("", S.APPLIED, person.user)


def test_season_without_approval_makes_the_enrollment_active(data):
    enrollment = registration_submit(season=SeasonFactory(requires_approval=False), data=data)
    assert enrollment.status == S.ACTIVE


def test_rating_consent_is_separate_and_optional(data):
    enrollment = registration_submit(season=SeasonFactory(), data=replace(data, consent_rating=False))
    assert list(enrollment.person.consents.values_list("kind", flat=True)) == ["pd_processing"]


@pytest.mark.parametrize(
    "opens,closes",
    [(timedelta(days=1), timedelta(days=10)), (timedelta(days=-10), timedelta(days=-1))],
    ids=["not-yet-open", "already-closed"],
)
def test_outside_the_window_nothing_is_saved(data, opens, closes):
    now = timezone.now()
    season = SeasonFactory(registration_opens_at=now + opens, registration_closes_at=now + closes)
    before = _counts()
    with pytest.raises(ValidationError, match="Регистрация на сезон .* закрыта") as exc:
        registration_submit(season=season, data=data)
    assert exc.value.code == "registration_closed"
    assert _counts() == before


def test_no_places_left(data):
    season = SeasonFactory(capacity=2)
    EnrollmentFactory.create_batch(2, season=season, status=S.ACTIVE)
    EnrollmentFactory(season=season, status=S.WITHDRAWN)  # a withdrawn place does not count
    with pytest.raises(ValidationError, match="Все места в программе заняты"):
        registration_submit(season=season, data=data)
    season.capacity = 3
    season.save()
    assert registration_submit(season=season, data=data).season == season


def test_ineligible_education_level_is_refused_at_the_field_with_the_reason(data):
    season = SeasonFactory(eligible_education_levels=["higher", "secondary_vocational"])
    with pytest.raises(ValidationError) as exc:
        registration_submit(season=season, data=replace(data, education_level="secondary_general"))
    message = exc.value.message_dict["education_level"][0]
    assert "высшее, среднее профессиональное" in message
    assert not User.objects.filter(email__iexact="petrova.anna@school5.ru").exists()


def test_consent_is_required(data):
    with pytest.raises(ValidationError) as exc:
        registration_submit(season=SeasonFactory(), data=replace(data, consent_personal_data=False))
    assert "согласия на обработку персональных данных" in exc.value.message_dict["consent_personal_data"][0]
    assert Person.objects.count() == 0


def test_same_email_in_another_case_creates_nothing_and_mails_the_address(data, django_capture_on_commit_callbacks):
    user = PersonFactory(user__email="petrova.anna@school5.ru", user__last_login=timezone.now()).user
    season = SeasonFactory()
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_submit(season=season, data=data, site_url="https://portal.example") is None
    assert _counts() == before
    (letter,) = mail.outbox
    assert letter.to == ["petrova.anna@school5.ru"] and "уже есть учётная запись" in letter.subject
    assert "https://portal.example/accounts/password_reset/" in letter.body
    assert User.objects.get(pk=user.pk).check_password(data.password) is False  # the typed password is not taken


def test_same_email_without_the_hint_allowed_sends_nothing(data, django_capture_on_commit_callbacks):
    PersonFactory(user__email="petrova.anna@school5.ru", user__last_login=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert registration_submit(season=SeasonFactory(), data=data, hint_allowed=False) is None
    assert mail.outbox == []


def test_same_fio_and_birth_date_is_a_duplicate_even_with_another_email(data):
    PersonFactory(last_name="ПЕТРОВА", first_name="анна", middle_name="Сергеевна", birth_date=date(1990, 4, 12))
    with pytest.raises(ValidationError, match="с такими ФИО и датой рождения уже есть") as exc:
        registration_submit(season=SeasonFactory(), data=replace(data, email="another@school5.ru"))
    assert exc.value.code == "duplicate_person"


def test_namesake_with_another_birth_date_is_not_a_duplicate(data):
    PersonFactory(last_name="Петрова", first_name="Анна", middle_name="Сергеевна", birth_date=date(1985, 1, 1))
    assert registration_submit(season=SeasonFactory(), data=data).person.birth_date == date(1990, 4, 12)


def test_email_confirmation_happens_once(data):
    user = registration_submit(season=SeasonFactory(), data=data).person.user
    assert email_confirm(user=user) is True
    first = User.objects.get(pk=user.pk).email_confirmed_at
    assert first is not None
    assert email_confirm(user=user) is False
    assert User.objects.get(pk=user.pk).email_confirmed_at == first


def test_yo_and_spaces_do_not_hide_a_duplicate(data):
    PersonFactory(last_name="Королёва", first_name="Анна", middle_name="Сергеевна", birth_date=date(1990, 4, 12))
    with pytest.raises(ValidationError, match="с такими ФИО и датой рождения уже есть"):
        registration_submit(season=SeasonFactory(), data=replace(data, last_name=" королева ", email="x@school5.ru"))
