"""Erasure at the person's request: confirmed with the password; ФИО, birth date, contacts, free text and files
go; enrollments, statuses, attendance, scores and scale answers stay; the request is recorded; the user is
logged out."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Attendance, Certificate, Submission
from experts.models import Consultation, IndividualRequest, LessonVisit
from participants import personal_data
from participants.models import (
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    Person,
    PersonalDataRequest,
    User,
)
from participants.services import person_erase
from ratings.models import Achievement, Review, ReviewComment, ReviewScore
from tests.factories import PASSWORD, PersonFactory, UserFactory
from tests.participants.test_personal_data_export import EXPERT_WORK_TEXTS, HIDDEN, fill

pytestmark = pytest.mark.django_db

PERSONAL = ["Смирнова", "Анастасия", "Игоревна", "+7 900 123-45-67", "smirnova@school.ru", "1985-05-17", "17.05.1985"]


@pytest.fixture
def person():
    person = PersonFactory(
        last_name="Смирнова",
        first_name="Анастасия",
        middle_name="Игоревна",
        phone="+7 900 123-45-67",
        birth_date=date(1985, 5, 17),
        user=UserFactory(email="smirnova@school.ru"),
        email="smirnova@school.ru",
        calendar_token="secret-calendar-token",
    )
    fill(person, 2)
    return person


def _counts(person) -> dict[str, int]:
    return {
        "enrollments": Enrollment.objects.filter(person=person).count(),
        "statuses": EnrollmentStatusChange.objects.filter(enrollment__person=person).count(),
        "attendance": Attendance.objects.filter(enrollment__person=person).count(),
        "answers": FeedbackAnswer.objects.filter(response__enrollment__person=person).count(),
        "scale_answers": FeedbackAnswer.objects.filter(response__enrollment__person=person, scale_value=4).count(),
        "submissions": Submission.objects.filter(enrollment__person=person).count(),
        "scores": ReviewScore.objects.filter(review__submission__enrollment__person=person, points=2).count(),
        "certificates": Certificate.objects.filter(enrollment__person=person).count(),
        "visits": LessonVisit.objects.filter(enrollment__person=person).count(),
        "consultations": Consultation.objects.filter(participants__person=person).count(),
        "achievements": Achievement.objects.filter(enrollment__person=person, status="confirmed").count(),
        "time_coded_comments": ReviewComment.objects.filter(review__submission__enrollment__person=person).count(),
    }


def _erase(client, password=PASSWORD, confirm=True):
    data = {"password": password, "reason": "Ухожу из профессии"}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("my_data_erase"), data)


def test_owner_erases_and_aggregates_stay(client, person, django_capture_on_commit_callbacks):
    before = _counts(person)
    files = [s.video_file for s in Submission.objects.filter(enrollment__person=person).exclude(video_file="")]
    files += [c.pdf for c in Certificate.objects.filter(enrollment__person=person)]
    storage = files[0].storage
    assert files and all(storage.exists(f.name) for f in files)
    client.force_login(person.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = _erase(client)
    assert response.status_code == 200
    assert "Ваши данные удалены" in response.content.decode()
    # Logged out: the cabinet now asks to log in.
    assert client.get(reverse("cabinet"))["Location"].startswith(reverse("login"))

    assert _counts(person) == before
    person.refresh_from_db()
    assert person.is_anonymised
    assert (person.last_name, person.first_name, person.middle_name) == ("Удалённый участник", f"№{person.pk}", "")
    assert (person.birth_date, person.phone, person.email, person.calendar_token) == (None, "", "", None)
    user = User.objects.get(pk=person.user_id)
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert not user.is_active and not user.has_usable_password()
    refused = client.post(reverse("login"), {"username": "smirnova@school.ru", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert not Consent.objects.filter(person=person, withdrawn_at__isnull=True).exists()

    assert not FeedbackAnswer.objects.filter(response__enrollment__person=person).exclude(text_value="").exists()
    submissions = Submission.objects.filter(enrollment__person=person)
    assert set(submissions.values_list("reflection", "video_file")) == {("", "")}
    assert not any(storage.exists(f.name) for f in files)
    assert not IndividualRequest.objects.filter(enrollment__person=person, deficit__contains="ФГОС").exists()
    assert not Review.objects.filter(submission__enrollment__person=person).exclude(strengths="").exists()
    assert set(Attendance.objects.filter(enrollment__person=person).values_list("status", flat=True)) == {"excused"}

    record = PersonalDataRequest.objects.get(kind="erasure")
    assert (record.status, record.person_ref, record.person, record.reason) == (
        "done",
        str(person.pk),
        person,
        "Ухожу из профессии",
    )
    assert "Видеоуроки" in record.result and record.completed_at


def test_no_personal_string_remains_in_rows_or_export(person):
    person_erase(person=person, by=person.user, reason="")
    person = Person.objects.get(pk=person.pk)
    rows = json.dumps(
        [
            list(Person.objects.filter(pk=person.pk).values()),
            list(User.objects.filter(pk=person.user_id).values()),
        ],
        ensure_ascii=False,
        default=str,
    )
    export = personal_data.export_json(personal_data.personal_data_collect(person)).decode()
    texts = ["Болела", "меньше отчётов", "Личная заметка", "Не умею работать", "Хорошая рефлексия"]
    for text in PERSONAL + texts + EXPERT_WORK_TEXTS + HIDDEN:
        assert text not in rows, text
        assert text not in export, text


def test_wrong_password_or_no_confirmation_changes_nothing(client, person):
    client.force_login(person.user)
    response = _erase(client, password="wrong-password")
    assert "Неверный пароль" in response.content.decode()
    response = _erase(client, confirm=False)
    assert "Подтвердите, что понимаете последствия удаления." in response.content.decode()
    assert "Ухожу из профессии" in response.content.decode()  # the typed comment is kept
    person.refresh_from_db()
    assert not person.is_anonymised and person.last_name == "Смирнова"
    assert not PersonalDataRequest.objects.filter(kind="erasure").exists()


def test_another_teacher_erases_only_themselves(client, person):
    other = PersonFactory(last_name="Кузнецова")
    client.force_login(other.user)
    _erase(client)
    person.refresh_from_db()
    other.refresh_from_db()
    assert not person.is_anonymised and person.last_name == "Смирнова"
    assert other.is_anonymised


def test_anonymous_visitor_is_sent_to_login(client, person):
    response = _erase(client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    person.refresh_from_db()
    assert not person.is_anonymised


def test_second_erasure_is_refused(person):
    person_erase(person=person, by=None)
    with pytest.raises(ValidationError, match="уже обезличены"):
        person_erase(person=person, by=None)
    assert PersonalDataRequest.objects.filter(kind="erasure").count() == 1
