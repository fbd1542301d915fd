"""Erasure at the person's request reaches the audit trail: earlier versions of their attendance, certificates
and reviews lose the same free text the rows themselves lose; the versions (who, when, statuses) stay."""

import pytest

from activities.models import Attendance, Certificate
from participants.services import person_erase
from ratings.models import Review
from tests.factories import PersonFactory
from tests.participants.test_personal_data_export import fill

pytestmark = pytest.mark.django_db


def test_erasure_anonymises_the_history_too():
    person = PersonFactory(last_name="Смирнова")
    fill(person, 2)
    attendance = Attendance.history.filter(enrollment__person=person)
    reviews = Review.history.filter(submission__enrollment__person=person)
    certificates = Certificate.history.filter(enrollment__person=person)
    assert attendance.filter(reason="Болела, справка").exists()
    assert reviews.filter(strengths="Хорошая рефлексия").exists()
    assert certificates.exclude(pdf="").exists()
    versions = attendance.count() + reviews.count() + certificates.count()

    request = person_erase(person=person, by=person.user, reason="")

    assert not attendance.filter(reason="Болела, справка").exists()
    assert set(attendance.filter(status="excused").values_list("reason", flat=True)) == {"Удалено по запросу участника"}
    assert not reviews.exclude(strengths="", recommendations="", return_reason="").exists()
    assert not certificates.exclude(pdf="").exists()
    assert attendance.count() + reviews.count() + certificates.count() == versions
    assert "Журнал изменений" in request.result


def test_another_persons_history_is_left_alone():
    person, other = PersonFactory(), PersonFactory()
    fill(person, 1)
    fill(other, 1)

    person_erase(person=person, by=person.user, reason="")

    assert Attendance.history.filter(enrollment__person=other, reason="Болела, справка").exists()
    assert Review.history.filter(submission__enrollment__person=other, strengths="Хорошая рефлексия").exists()
