"""The letters through a real SMTP server on loopback (aiosmtpd), sent by Django's SMTP backend from the outbox
(core.notifications) and read back with the standard email package: headers, the sender's and Message-ID's
domain, the greeting, RFC 3834 marks; then the server stops (connection refused) and answers 4xx and 5xx, and
the outbox retries with its pauses and gives up with the server's reason."""

import email
import socket
import sys
from datetime import timedelta
from email import policy
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from core.emails import email_domain, greeting
from core.models import Notification
from core.notifications import MAX_EMAIL_ATTEMPTS, NotificationDraft, email_retry_delay, notifications_create
from core.notifications import notifications_deliver as deliver
from tests.factories import PersonFactory, UserFactory
from tests.test_settings import clean_env, run  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
S = Notification.EmailStatus
SITE = "https://portal.example.ru"
FROM = "Методический портал <noreply@portal.example.ru>"


class Mailbox:
    """aiosmtpd's handler: keeps what it received; answers RCPT with `refuse` (e.g. «451 …») when set."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.envelopes = []
        self.refuse = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.received.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    port = _free_port()
    mailbox = Mailbox()
    server = {"controller": None}

    def start():
        server["controller"] = Controller(mailbox, hostname="127.0.0.1", port=port)
        server["controller"].start()

    def stop():
        if server["controller"] is not None:
            server["controller"].stop()
            server["controller"] = None

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL, settings.DEFAULT_FROM_EMAIL = SITE, FROM
    start()
    mailbox.start, mailbox.stop = start, stop
    yield mailbox
    stop()


def _draft(user, key, activity="Открытый урок"):
    return NotificationDraft(
        user_id=user.pk,
        title="Сдайте видеоурок",
        kind=Notification.Kind.REMINDER,
        dedupe_key=key,
        email_template="reminder_video",
        email_context={
            "activity": activity,
            "program": "Прогрессивный педагог",
            "season": "2025/26",
            "deadline": "12 октября 2025, 18:00 (UTC+5)",
            "stage": "due",
            "extended": False,
            "link": f"{SITE}/cabinet/videos/1/",
        },
    )


def test_a_letter_as_the_mail_server_receives_it(smtp):
    person = PersonFactory(first_name="Анна", middle_name="Петровна", user=UserFactory(email="anna@school.ru"))
    # A subject whose data begins with a line break and blanks: the header must still be one clean line.
    notifications_create(drafts=[_draft(person.user, "k1", activity="Открытый\n  урок")])

    assert deliver(now=timezone.now()) == {"sent": 1, "failed": 0, "skipped": 0}

    (message,) = smtp.received
    assert smtp.envelopes[0].rcpt_tos == ["anna@school.ru"]
    name, address = parseaddr(message["From"])
    assert (name, address) == ("Методический портал", "noreply@portal.example.ru")
    assert message["Message-ID"].endswith("@portal.example.ru>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "All"
    subject = message["Subject"]
    assert subject == "Напоминание: сдайте видеоурок «Открытый урок» до 12 октября 2025, 18:00 (UTC+5)"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Здравствуйте, Анна Петровна!")
    assert "Здравствуйте, Анна Петровна!" in html
    assert f"{SITE}/cabinet/videos/1/" in text
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts, row.email_error) == (S.SENT, 0, "")


def test_no_name_gets_a_neutral_greeting(smtp):
    notifications_create(drafts=[_draft(UserFactory(email="office@school.ru"), "k1")])
    deliver(now=timezone.now())
    (message,) = smtp.received
    assert message.get_body(("plain",)).get_content().splitlines()[0] == "Здравствуйте!"


def test_the_server_down_then_back_the_letter_is_retried_and_delivered(smtp):
    person = PersonFactory(first_name="Анна", middle_name="Петровна")
    smtp.stop()
    moment = timezone.now()
    notifications_create(drafts=[_draft(person.user, "k1")])

    assert deliver(now=moment)["failed"] == 1
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts) == (S.PENDING, 1)
    assert row.email_next_attempt_at == moment + email_retry_delay(1)
    assert "ConnectionRefusedError" in row.email_error

    smtp.start()
    assert deliver(now=moment + timedelta(seconds=30)) == {"sent": 0, "failed": 0, "skipped": 0}  # pause not over
    assert smtp.received == []
    assert deliver(now=row.email_next_attempt_at)["sent"] == 1
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts, row.email_error) == (S.SENT, 1, "")
    assert smtp.received[0].get_body(("plain",)).get_content().startswith("Здравствуйте, Анна Петровна!")


def test_a_temporary_refusal_is_retried_until_the_last_attempt(smtp):
    notifications_create(drafts=[_draft(UserFactory(), "k1")])
    smtp.refuse = "451 4.3.0 Mailbox temporarily unavailable"
    moment = timezone.now()
    for attempt in range(1, MAX_EMAIL_ATTEMPTS):
        assert deliver(now=moment)["failed"] == 1
        row = Notification.objects.get()
        assert (row.email_status, row.email_attempts) == (S.PENDING, attempt)
        assert "451" in row.email_error and "temporarily unavailable" in row.email_error
        moment = row.email_next_attempt_at
    assert deliver(now=moment)["failed"] == 1
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts, row.email_next_attempt_at) == (S.FAILED, MAX_EMAIL_ATTEMPTS, None)
    assert smtp.received == []


def test_a_permanent_refusal_is_marked_failed_with_the_reason_at_once(smtp, admin_client):
    notifications_create(drafts=[_draft(UserFactory(email="gone@school.ru"), "k1")])
    smtp.refuse = "550 5.1.1 No such user here"
    assert deliver(now=timezone.now())["failed"] == 1
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts) == (S.FAILED, 1)
    assert "550" in row.email_error and "No such user here" in row.email_error
    # The coordinator's admin shows it, with the reason.
    page = admin_client.get(f"/admin/core/notification/{row.pk}/change/")
    assert page.status_code == 200
    assert "No such user here" in page.content.decode() and "Письмо не отправлено" in page.content.decode()
    listing = admin_client.get("/admin/core/notification/", {"email_status": "failed"})
    assert listing.status_code == 200 and "Сдайте видеоурок" in listing.content.decode()


def test_greeting_by_first_name_and_patronymic():
    assert greeting(PersonFactory.build(first_name="Анна", middle_name="Петровна")) == "Здравствуйте, Анна Петровна!"
    assert greeting(PersonFactory.build(first_name="Анна", middle_name="")) == "Здравствуйте, Анна!"
    assert greeting(PersonFactory.build(first_name=" ", middle_name="Петровна")) == "Здравствуйте!"
    assert greeting(None) == "Здравствуйте!"


def test_the_sender_follows_site_url_when_not_given(clean_env):  # noqa: F811
    probe = (
        "import django; django.setup(); from django.conf import settings; from core.emails import email_domain; "
        "print(settings.DEFAULT_FROM_EMAIL); print(email_domain())"
    )
    env = {**clean_env, "SITE_URL": "https://portal.example.ru:8443", "DEFAULT_FROM_EMAIL": ""}
    result = run([sys.executable, "-c", probe], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [FROM, "portal.example.ru"]
    given = run([sys.executable, "-c", probe], {**env, "DEFAULT_FROM_EMAIL": "ЦРО <cro@edu.example.ru>"})
    assert given.stdout.splitlines()[-2:] == ["ЦРО <cro@edu.example.ru>", "edu.example.ru"]


def test_email_domain_reads_the_sender(settings):
    settings.DEFAULT_FROM_EMAIL = "Портал <noreply@metod.example.ru>"
    assert email_domain() == "metod.example.ru"


def test_the_outbox_in_the_admin_is_the_superusers_only(client):
    from django.contrib.auth.models import Permission

    notifications_create(drafts=[_draft(UserFactory(), "k1")])
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(staff)
    row = Notification.objects.get()
    assert client.get("/admin/core/notification/").status_code == 403
    assert client.get(f"/admin/core/notification/{row.pk}/change/").status_code in (302, 403, 404)
