"""The letters the portal sent to a person's address (core.OutgoingEmail) are part of their personal data: the
export lists them without their links, and the erasure deletes them — another person's letters stay."""

import pytest

from core.models import OutgoingEmail
from core.outgoing_emails import outgoing_emails_queue
from participants import personal_data
from participants.services import _withdrawal_letters
from tests.factories import EnrollmentFactory, PersonFactory, UserFactory
from tests.participants.test_withdrawal import _coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return PersonFactory(email="anna@school.ru", user=UserFactory(email="Anna.Login@School.ru"))


def _letters(person):
    OutgoingEmail.objects.create(
        recipient="anna@school.ru", template="registration_confirm", secret=True, context={"confirm_url": "SECRET"}
    )
    OutgoingEmail.objects.create(recipient="anna.login@school.ru", template="enrollment_approved")
    return OutgoingEmail.objects.create(recipient="other@school.ru", template="registration_confirm")


def test_the_export_lists_the_letters_to_the_persons_addresses_without_links(person):
    _letters(person)
    section = {s.key: s for s in personal_data.personal_data_collect(person)}["outgoing_emails"]
    assert sorted(row["Адрес"] for row in section.rows) == ["anna.login@school.ru", "anna@school.ru"]
    assert {row["Письмо"] for row in section.rows} == {"registration_confirm", "enrollment_approved"}
    assert "SECRET" not in str(section.rows)


def test_the_erasure_deletes_them_and_keeps_anothers(person):
    other = _letters(person)
    done = personal_data.run_erasers(person)
    assert "Удалены исходящие письма: 2" in done
    assert list(OutgoingEmail.objects.all()) == [other]


def test_a_person_without_addresses_has_no_letters():
    person = PersonFactory(email="", user=None)
    OutgoingEmail.objects.create(recipient="x@school.ru", template="registration_confirm")
    assert {s.key: s for s in personal_data.personal_data_collect(person)}["outgoing_emails"].rows == []
    assert not any("исходящие письма" in line for line in personal_data.run_erasers(person))
    assert OutgoingEmail.objects.count() == 1


def test_the_erasure_deletes_the_coordinators_letters_about_the_persons_withdrawal(person):
    """The withdrawal letter to a coordinator names the person, their school and reason (participants.services)."""
    own = EnrollmentFactory(person=person, status="withdrawn")
    another = EnrollmentFactory(status="withdrawn")
    for enrollment in (own, another):
        _coordinator(enrollment.season.program.municipality, f"coord{enrollment.pk}@district.ru")
    outgoing_emails_queue(letters=_withdrawal_letters([own.pk, another.pk], "Переезд"))
    assert OutgoingEmail.objects.count() == 2
    assert "Удалены исходящие письма: 1" in personal_data.run_erasers(person)
    (kept,) = OutgoingEmail.objects.all()
    assert (kept.recipient, kept.context["participant"]["pk"]) == (f"coord{another.pk}@district.ru", another.person_id)
