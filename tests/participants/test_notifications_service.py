"""notifications_create (dedupe, unread counter, outbox) and notifications_deliver (sends each e-mail once;
a broken template or mail server loses nothing)."""

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from core.notifications import (
    MAX_EMAIL_ATTEMPTS,
    NotificationDraft,
    email_retry_delay,
    notification_read,
    notifications_create,
    notifications_deliver,
    notifications_read_all,
)
from participants.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Notification.EmailStatus


def _unread(user) -> int:
    return User.objects.get(pk=user.pk).unread_notifications


def _video_draft(user, key="reminder:video:1:100:48h", **kwargs):
    context = {
        "title": "Сдайте видеоурок",
        "activity": "Открытый урок",
        "program": "Педагоги будущего",
        "season": "2025/26",
        "deadline": "12 октября 2025, 18:00 (время Екатеринбурга, МСК+2)",
        "stage": "due",
        "extended": False,
        "link": "http://localhost:8000/cabinet/videos/1/",
    }
    return NotificationDraft(
        user_id=user.pk,
        title="Сдайте видеоурок «Открытый урок»",
        kind=Notification.Kind.REMINDER,
        dedupe_key=key,
        email_template="reminder_video",
        email_context=context,
        **kwargs,
    )


def test_a_repeated_key_is_stored_once_and_the_counter_follows():
    ann, bob = UserFactory(), UserFactory()
    assert notifications_create(drafts=[NotificationDraft(user_id=ann.pk, title="A", dedupe_key="k")]) == 1
    # The same key again (and twice within one call) is skipped; the same key for another user is not.
    created = notifications_create(
        drafts=[
            NotificationDraft(user_id=ann.pk, title="A again", dedupe_key="k"),
            NotificationDraft(user_id=bob.pk, title="B", dedupe_key="k"),
            NotificationDraft(user_id=bob.pk, title="B twice", dedupe_key="k"),
            NotificationDraft(user_id=ann.pk, title="no key"),
            NotificationDraft(user_id=ann.pk, title="no key either"),
        ]
    )
    assert created == 3
    assert sorted(Notification.objects.filter(user=ann).values_list("title", flat=True)) == [
        "A",
        "no key",
        "no key either",
    ]
    assert list(Notification.objects.filter(user=bob).values_list("title", flat=True)) == ["B"]
    assert (_unread(ann), _unread(bob)) == (3, 1)


def test_reading_one_and_all_keeps_the_counter_right():
    ann, bob = UserFactory(), UserFactory()
    notifications_create(drafts=[NotificationDraft(user_id=ann.pk, title=str(i)) for i in range(3)])
    notifications_create(drafts=[NotificationDraft(user_id=bob.pk, title="bob")])
    first = Notification.objects.filter(user=ann).first()
    assert notification_read(user=ann, notification_id=first.pk) is True
    assert notification_read(user=ann, notification_id=first.pk) is False  # already read
    assert _unread(ann) == 2
    bobs = Notification.objects.get(user=bob)
    assert notification_read(user=ann, notification_id=bobs.pk) is False
    assert Notification.objects.get(pk=bobs.pk).read_at is None
    assert notifications_read_all(user=ann) == 2
    assert (_unread(ann), _unread(bob)) == (0, 1)


def test_the_email_is_sent_once_across_two_runs(django_capture_on_commit_callbacks):
    user = UserFactory(email="teacher@school.ru")
    with django_capture_on_commit_callbacks() as callbacks:
        notifications_create(drafts=[_video_draft(user)])
    assert len(callbacks) == 1  # the sender is queued after the commit
    assert Notification.objects.get().email_status == S.PENDING

    assert notifications_deliver() == {"sent": 1, "failed": 0, "skipped": 0}
    assert notifications_deliver() == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["teacher@school.ru"]
    assert (
        message.subject
        == "Напоминание: сдайте видеоурок «Открытый урок» до 12 октября 2025, 18:00 (время Екатеринбурга, МСК+2)"
    )
    assert "http://localhost:8000/cabinet/videos/1/" in message.body
    html = message.alternatives[0][0]
    assert 'href="http://localhost:8000/cabinet/videos/1/"' in html
    row = Notification.objects.get()
    assert row.email_status == S.SENT and row.email_sent_at is not None


def test_a_user_without_an_address_is_skipped_and_not_tried_again():
    user = UserFactory(is_active=False)
    notifications_create(drafts=[_video_draft(user)])
    assert notifications_deliver() == {"sent": 0, "failed": 0, "skipped": 1}
    assert Notification.objects.get().email_status == ""
    assert notifications_deliver() == {"sent": 0, "failed": 0, "skipped": 0}
    assert mail.outbox == []


def test_a_broken_template_keeps_the_row_and_gives_up_after_the_attempts():
    user = UserFactory()
    notifications_create(
        drafts=[NotificationDraft(user_id=user.pk, title="x", email_template="no_such_template", dedupe_key="x")]
    )
    moment = timezone.now()
    for attempt in range(1, MAX_EMAIL_ATTEMPTS):
        assert notifications_deliver(now=moment)["failed"] == 1
        row = Notification.objects.get()
        assert (row.email_status, row.email_attempts) == (S.PENDING, attempt)
        assert row.email_next_attempt_at == moment + email_retry_delay(attempt)
        assert "no_such_template" in row.email_error
        assert notifications_deliver(now=moment)["failed"] == 0  # not due again before its pause is over
        moment = row.email_next_attempt_at
    assert notifications_deliver(now=moment)["failed"] == 1
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts) == (S.FAILED, MAX_EMAIL_ATTEMPTS)
    assert mail.outbox == []
    # The in-portal notification is still there, unread.
    assert row.read_at is None and _unread(user) == 1


class BrokenBackend:
    """A mail server that refuses every message (the backend is configuration, not our code)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")

    def open(self):
        pass

    def close(self):
        pass


def test_a_mail_server_down_leaves_the_outbox_for_the_next_run(settings):
    user = UserFactory()
    notifications_create(drafts=[_video_draft(user, key=f"k{i}") for i in range(3)])
    settings.EMAIL_BACKEND = "tests.participants.test_notifications_service.BrokenBackend"
    moment = timezone.now()
    result = notifications_deliver(now=moment)
    # No mail server: the run stops at the first refusal, the other rows are not counted as tried.
    assert result["sent"] == 0 and result["failed"] == 1
    assert set(Notification.objects.values_list("email_status", flat=True)) == {S.PENDING}
    assert sorted(Notification.objects.values_list("email_attempts", flat=True)) == [0, 0, 1]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_deliver(now=moment + email_retry_delay(1))["sent"] == 3
    assert len(mail.outbox) == 3
    assert set(Notification.objects.values_list("email_status", flat=True)) == {S.SENT}
