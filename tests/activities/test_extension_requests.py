"""Extension requests: the teacher's service, the coordinator's decisions (services and admin actions)."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.models import SubmissionExtension, SubmissionExtensionRequest
from activities.services_extension_requests import (
    extension_request_create,
    extension_request_grant,
    extension_request_reject,
)
from core.models import Notification
from core.notifications import notifications_deliver
from participants.models import Enrollment
from tests.activities.exclusion_fixtures import coordinator
from tests.factories import EnrollmentFactory, MunicipalityFactory, SubmissionFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db

Status = SubmissionExtensionRequest.Status


def _lesson(season, *, cutoff_in_days=-20):
    now = timezone.now()
    cutoff = now + timedelta(days=cutoff_in_days)
    return VideoAssignmentFactory(
        activity__season=season,
        activity__title="Урок в выбранном формате",
        opens_at=cutoff - timedelta(days=40),
        due_at=cutoff - timedelta(days=7),
        cutoff_at=cutoff,
    )


@pytest.fixture
def late():
    """A teacher admitted yesterday; a lesson whose cut-off passed 20 days ago; the season's coordinator."""
    enrollment = EnrollmentFactory(status_changed_at=timezone.now() - timedelta(days=1))
    return enrollment, _lesson(enrollment.season), coordinator(enrollment.season.program.municipality)


def _create(enrollment, lesson, message="Меня зачислили после срока, прошу продлить", by=None):
    return extension_request_create(
        enrollment=enrollment, assignment=lesson, message=message, by=by or enrollment.person.user
    )


def test_a_request_is_stored_and_the_coordinators_are_told(late):
    enrollment, lesson, ours = late
    elsewhere = coordinator(MunicipalityFactory())

    request = _create(enrollment, lesson)

    assert (request.status, request.enrollment, request.assignment) == (Status.PENDING, enrollment, lesson)
    (note,) = Notification.objects.filter(user=ours)
    assert "Урок в выбранном формате" in note.title and "прошу продлить" in note.body
    assert note.url == reverse("admin:activities_submissionextensionrequest_change", args=[request.pk])
    assert not Notification.objects.filter(user=elsewhere).exists()


def test_a_second_open_request_is_refused_in_russian_and_not_stored(late):
    enrollment, lesson, _ours = late
    _create(enrollment, lesson)

    with pytest.raises(ValidationError) as refused:
        _create(enrollment, lesson, message="Ещё раз")

    assert "уже отправлен и ждёт решения координатора" in refused.value.messages[0]
    assert SubmissionExtensionRequest.objects.count() == 1


def test_another_persons_enrollment_is_refused(late):
    enrollment, lesson, _ours = late
    stranger = EnrollmentFactory(season=enrollment.season)

    with pytest.raises(PermissionDenied):
        _create(enrollment, lesson, by=stranger.person.user)
    assert not SubmissionExtensionRequest.objects.exists()


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("far", "больше 7 дней"),
        ("submitted", "уже сдан"),
        ("applied", "только участники программы"),
        ("other_season", "другой программы или другого сезона"),
        ("empty", "почему вам нужно продление"),
    ],
)
def test_refusals(late, setup, expected):
    enrollment, lesson, _ours = late
    message = "Прошу продлить"
    if setup == "far":
        lesson = _lesson(enrollment.season, cutoff_in_days=8)
    elif setup == "submitted":
        SubmissionFactory(assignment=lesson, enrollment=enrollment)
    elif setup == "applied":
        Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.APPLIED)
    elif setup == "other_season":
        lesson = _lesson(EnrollmentFactory().season)
    elif setup == "empty":
        message = "   "

    with pytest.raises(ValidationError) as refused:
        _create(enrollment, lesson, message=message)

    assert expected in " ".join(refused.value.messages)
    assert not SubmissionExtensionRequest.objects.exists()


def test_a_cutoff_within_seven_days_may_be_asked_about(late):
    enrollment, _lesson_past, _ours = late
    soon = _lesson(enrollment.season, cutoff_in_days=6)

    assert _create(enrollment, soon).status == Status.PENDING


def test_grant_creates_the_extension_closes_the_request_and_tells_the_teacher(late):
    enrollment, lesson, ours = late
    request = _create(enrollment, lesson)
    until = timezone.now() + timedelta(days=10)

    extension = extension_request_grant(request=request, until=until, note="", by=ours)

    assert extension == SubmissionExtension.objects.get(enrollment=enrollment, assignment=lesson)
    assert extension.until == until and extension.granted_by == ours
    assert "прошу продлить" in extension.reason
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (Status.GRANTED, ours) and request.decided_at is not None
    (note,) = Notification.objects.filter(user=enrollment.person.user)
    assert "продлён для вас" in note.title and note.email_template == "extension_request_decided"
    notifications_deliver()
    (letter,) = [m for m in mail.outbox if m.to == [enrollment.person.user.email]]
    assert "продлён для вас" in letter.subject and "«Урок в выбранном формате»" in letter.body
    assert reverse("video_assignment", args=[lesson.pk]) in letter.alternatives[0][0]
    # Decided once: a second decision is refused.
    with pytest.raises(ValidationError, match="уже принято решение"):
        extension_request_reject(request=request, note="Нет", by=ours)


def test_reject_needs_a_reason_and_tells_the_teacher(late):
    enrollment, lesson, ours = late
    request = _create(enrollment, lesson)

    with pytest.raises(ValidationError, match="причину отказа"):
        extension_request_reject(request=request, note=" ", by=ours)
    extension_request_reject(request=request, note="Сезон не позволяет", by=ours)

    request.refresh_from_db()
    assert (request.status, request.decision_note) == (Status.REJECTED, "Сезон не позволяет")
    (note,) = Notification.objects.filter(user=enrollment.person.user)
    assert "отклонено" in note.title and note.body == "Сезон не позволяет"
    assert not SubmissionExtension.objects.exists()
    # A new request may follow a refusal.
    assert _create(enrollment, lesson, message="Появились новые обстоятельства").status == Status.PENDING


def test_a_coordinator_of_another_municipality_cannot_decide(late):
    enrollment, lesson, _ours = late
    request = _create(enrollment, lesson)
    elsewhere = coordinator(MunicipalityFactory())

    with pytest.raises(PermissionDenied):
        extension_request_grant(request=request, until=timezone.now() + timedelta(days=5), by=elsewhere)
    with pytest.raises(PermissionDenied):
        extension_request_reject(request=request, note="Нет", by=elsewhere)
    request.refresh_from_db()
    assert request.status == Status.PENDING and not SubmissionExtension.objects.exists()


# --- The admin -------------------------------------------------------------------------------------------------


def _action(client, request, action, **data):
    return client.post(
        reverse("admin:activities_submissionextensionrequest_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [request.pk], "apply": "1", **data},
    )


def test_admin_grant_until_the_end_of_the_day_in_the_season_zone(client, late):
    enrollment, lesson, ours = late
    request = _create(enrollment, lesson)
    client.force_login(ours)
    day = timezone.localdate() + timedelta(days=10)

    response = _action(client, request, "grant", until=day.isoformat(), note="Продлеваю")

    assert response.status_code == 302
    extension = SubmissionExtension.objects.get()
    local = timezone.localtime(extension.until, enrollment.season.tz)
    assert (local.date(), local.hour, local.minute) == (day, 23, 59)
    assert extension.reason == "Продлеваю"
    request.refresh_from_db()
    assert request.status == Status.GRANTED


def test_admin_reject_without_a_reason_shows_the_form_with_a_russian_error(client, late):
    enrollment, lesson, ours = late
    request = _create(enrollment, lesson)
    client.force_login(ours)

    response = _action(client, request, "reject", note="")

    assert response.status_code == 200
    assert "Напишите причину отказа" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.PENDING


def test_admin_of_another_municipality_neither_sees_nor_decides(client, late):
    enrollment, lesson, _ours = late
    request = _create(enrollment, lesson)
    elsewhere = coordinator(MunicipalityFactory())
    client.force_login(elsewhere)

    listing = client.get(reverse("admin:activities_submissionextensionrequest_changelist"))
    assert listing.status_code == 200 and enrollment.person.last_name not in listing.content.decode()
    change = client.get(reverse("admin:activities_submissionextensionrequest_change", args=[request.pk]))
    assert change.status_code in (302, 404)
    _action(client, request, "reject", note="Нет")
    _action(client, request, "grant", until=(timezone.localdate() + timedelta(days=5)).isoformat())

    request.refresh_from_db()
    assert request.status == Status.PENDING and not SubmissionExtension.objects.exists()
