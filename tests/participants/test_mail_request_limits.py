"""Letters a visitor can ask for (password recovery, the confirmation link again) are limited per hour, to one
address and from one client: the pages answer as usual beyond the limit and send nothing."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from participants.models import User
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _reset(client, email, ip="203.0.113.5"):
    # The letter goes right after the commit (core.outgoing_emails); the test's transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_recovery_sends_at_most_the_hourly_limit_to_one_address(client, settings):
    settings.MAIL_REQUESTS_PER_ADDRESS = 3
    UserFactory(email="teacher@example.ru")
    answers = [_reset(client, "Teacher@Example.ru", ip=f"203.0.113.{n}") for n in range(5)]
    # Every answer is the usual «letter sent» page, the same for the ones not sent.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3 and {m.to[0] for m in mail.outbox} == {"teacher@example.ru"}


def test_the_limit_of_one_address_does_not_hold_back_another(client, settings):
    settings.MAIL_REQUESTS_PER_ADDRESS = 1
    UserFactory(email="first@example.ru")
    UserFactory(email="second@example.ru")
    _reset(client, "first@example.ru")
    _reset(client, "first@example.ru")
    _reset(client, "second@example.ru")
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.ru", "second@example.ru"]


def test_one_client_cannot_mail_many_addresses(client, settings):
    settings.MAIL_REQUESTS_PER_CLIENT = 2
    for n in range(4):
        UserFactory(email=f"colleague{n}@example.ru")
    for n in range(4):
        _reset(client, f"colleague{n}@example.ru", ip="198.51.100.7")
    assert len(mail.outbox) == 2
    _reset(client, "colleague3@example.ru", ip="198.51.100.8")  # another client is not held back
    assert len(mail.outbox) == 3


def test_unknown_addresses_count_too_so_the_limit_reveals_nothing(client, settings):
    settings.MAIL_REQUESTS_PER_CLIENT = 2
    UserFactory(email="known@example.ru")
    _reset(client, "nobody1@example.ru")
    _reset(client, "nobody2@example.ru")
    response = _reset(client, "known@example.ru")
    assert response.status_code == 302 and mail.outbox == []


def test_confirmation_link_again_is_limited_per_address(client, settings, django_capture_on_commit_callbacks):
    settings.MAIL_REQUESTS_PER_ADDRESS = 2
    user = UserFactory(email="new@example.ru", last_login=None, email_confirmed_at=None)
    # An account awaiting confirmation: it registered itself (its first status change is its own).
    enrollment = EnrollmentFactory(person__user=user)
    enrollment.status_changes.create(from_status="", to_status=enrollment.status, changed_by=user)
    with django_capture_on_commit_callbacks(execute=True):
        pages = [client.post(reverse("email_confirm_resend"), {"email": "new@example.ru"}) for _ in range(4)]
    assert all(p.status_code == 200 and "new@example.ru" in p.content.decode() for p in pages)
    assert len(mail.outbox) == 2 and all(m.to == ["new@example.ru"] for m in mail.outbox)
    assert User.objects.get(pk=user.pk).email_confirmed_at is None
