"""Letters to an address (core.outgoing_emails) through a real SMTP server on loopback (aiosmtpd): the mail server
down at registration → the row waits with the error and the page says the portal will retry; the server back →
the delivery job sends it and empties the secret link; tries exhausted → «не отправлено»; a letter id that is not
this browser's tells nothing; the job's queries do not grow with the number of letters; the operators' admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingEmail
from core.notifications import MAX_EMAIL_ATTEMPTS, email_retry_delay
from core.outgoing_emails import Letter, letters_queued, outgoing_emails_deliver, outgoing_emails_queue
from core.tasks import deliver_notifications_job
from participants.models import Person
from tests.core.test_email_smtp import smtp  # noqa: F401 (fixture)
from tests.factories import PersonFactory, UserFactory
from tests.participants.test_registration_views import _form, _url, school, season  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
S = OutgoingEmail.Status
RETRY_WORDS = "Портал повторит отправку автоматически в течение нескольких минут"


def _register(client, school, season, capture):  # noqa: F811
    with capture(execute=True):  # the immediate attempt runs right after the commit
        response = client.post(_url(season), _form(school))
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]).content.decode()


def test_registration_with_the_mail_server_down_is_retried_by_the_job(
    client,
    smtp,  # noqa: F811
    school,  # noqa: F811
    season,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    smtp.stop()
    page = _register(client, school, season, django_capture_on_commit_callbacks)

    assert Person.objects.filter(email="petrova@school5.ru").exists()  # the registration is kept
    row = OutgoingEmail.objects.get()
    assert (row.recipient, row.template, row.status, row.attempts) == (
        "petrova@school5.ru",
        "registration_confirm",
        S.PENDING,
        1,
    )
    assert "ConnectionRefusedError" in row.error and row.next_attempt_at is not None
    assert "/accounts/confirm/" in row.context["confirm_url"]
    assert "Письмо на адрес <strong>p***@school5.ru</strong> пока не ушло" in page and RETRY_WORDS in page
    assert "регистрироваться заново не нужно" in page

    smtp.start()
    # The job's run before the pause is over sends nothing; after it, the letter goes.
    assert outgoing_emails_deliver(now=row.created_at + timedelta(seconds=5))["sent"] == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: row.next_attempt_at + timedelta(seconds=1))
        run = deliver_notifications_job()
    assert run.summary["letters_sent"] == 1
    (message,) = smtp.received
    assert message["To"] == "petrova@school5.ru"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Здравствуйте, Анна Сергеевна!")
    assert row.context["confirm_url"] in text
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error, row.context) == (S.SENT, 1, "", {})
    assert row.sent_at is not None
    later = client.get(reverse("registration_sent")).content.decode()
    assert "Письмо отправлено на адрес <strong>p***@school5.ru</strong>" in later and RETRY_WORDS not in later


def test_registration_with_the_server_up_says_the_letter_went(
    client,
    smtp,  # noqa: F811
    school,  # noqa: F811
    season,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    page = _register(client, school, season, django_capture_on_commit_callbacks)
    assert "Письмо отправлено на адрес <strong>p***@school5.ru</strong>" in page and RETRY_WORDS not in page
    assert len(smtp.received) == 1
    assert OutgoingEmail.objects.get().context == {}  # the confirmation link is not kept once sent


def test_a_refusing_server_ends_in_failed_with_the_reason_and_no_link(smtp, django_capture_on_commit_callbacks):  # noqa: F811
    smtp.refuse = "451 4.3.0 Mailbox temporarily unavailable"
    context = {"confirm_url": "https://x/secret/", "valid_days": 3}
    letter = Letter("anna@school.ru", "registration_confirm", context, secret=True)
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_emails_queue(letters=[letter])
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (S.PENDING, 1)
    moment = row.next_attempt_at
    for attempt in range(2, MAX_EMAIL_ATTEMPTS + 1):
        assert outgoing_emails_deliver(now=moment)["failed"] == 1
        row.refresh_from_db()
        assert row.attempts == attempt
        if attempt < MAX_EMAIL_ATTEMPTS:
            assert row.next_attempt_at == moment + email_retry_delay(attempt)
        moment = row.next_attempt_at
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (S.FAILED, MAX_EMAIL_ATTEMPTS, None)
    assert "451" in row.error and row.context == {}  # given up: the link is not kept either
    assert smtp.received == []


def test_a_permanent_refusal_fails_at_once_and_keeps_a_non_secret_letter(smtp, django_capture_on_commit_callbacks):  # noqa: F811
    smtp.refuse = "550 5.1.1 No such user here"
    context = {"person": {"first_name": "Анна", "middle_name": ""}, "reason": "Набор закрыт", "cabinet_url": ""}
    context |= {"season": {"title": "2026/27", "program": {"title": "Наставник"}}, "program": {"title": "Наставник"}}
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_emails_queue(letters=[Letter("gone@school.ru", "enrollment_rejected", context)])
    row = OutgoingEmail.objects.get()
    assert (row.status, row.attempts) == (S.FAILED, 1)
    assert "No such user here" in row.error and row.context["reason"] == "Набор закрыт"


def test_a_letter_id_of_another_registration_tells_nothing(client, smtp):  # noqa: F811
    with letters_queued() as ids:
        outgoing_emails_queue(letters=[Letter("other@school.ru", "registration_confirm", {"confirm_url": "x"})])
    session = client.session
    session["participants.registered_email"] = "visitor@school.ru"
    session["participants.registered_letters"] = [*ids, "1 OR 1=1", None, True]
    session.save()
    page = client.get(reverse("registration_sent"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "o***@school.ru" not in html and "other@school.ru" not in html
    assert "Письмо придёт на адрес, указанный при регистрации" in html
    # A session with no registration at all gets the same general answer.
    client.cookies.clear()
    assert (
        "Письмо придёт на адрес, указанный при регистрации" in client.get(reverse("registration_sent")).content.decode()
    )


def test_the_delivery_runs_a_constant_number_of_queries(smtp):  # noqa: F811
    queries = {}
    for n in (1, 3):
        OutgoingEmail.objects.all().delete()
        OutgoingEmail.objects.bulk_create(
            OutgoingEmail(
                recipient=f"t{i}@school.ru",
                template="registration_confirm",
                context={"confirm_url": "x", "valid_days": 3},
            )
            for i in range(n)
        )
        with CaptureQueriesContext(connection) as captured:
            assert outgoing_emails_deliver()["sent"] == n
        queries[n] = len(captured)
    assert queries[1] == queries[3]


def test_the_password_reset_with_the_server_down_tells_nothing_and_is_retried(
    client,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    PersonFactory(first_name="Вера", middle_name="Ивановна", user=UserFactory(email="vera@school.ru"))
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": "vera@school.ru"}, follow=True)
        unknown = client.post(reverse("password_reset"), {"email": "nobody@school.ru"}, follow=True)
    assert _without_token(known) == _without_token(unknown)
    assert "будет отправлено повторно в ближайшие минуты" in known.content.decode()
    row = OutgoingEmail.objects.get()
    assert (row.recipient, row.template, row.status, row.secret) == (
        "vera@school.ru",
        "password_reset",
        S.PENDING,
        True,
    )
    smtp.start()
    assert outgoing_emails_deliver(now=row.next_attempt_at)["sent"] == 1
    text = smtp.received[0].get_body(("plain",)).get_content()
    assert text.startswith("Здравствуйте, Вера Ивановна!") and "/accounts/reset/" in text
    row.refresh_from_db()
    assert (row.status, row.context) == (S.SENT, {})


def test_the_outbox_admin_is_the_operators_and_never_shows_the_link(client, admin_client, smtp):  # noqa: F811
    smtp.refuse = "550 5.1.1 No such user here"
    outgoing_emails_queue(
        letters=[
            Letter("gone@school.ru", "import_invitation", {"set_password_url": "https://x/SECRET/", "valid_days": 3})
        ]
    )
    outgoing_emails_deliver()
    row = OutgoingEmail.objects.get()
    listing = admin_client.get("/admin/core/outgoingemail/", {"status": "failed"})
    assert listing.status_code == 200 and "gone@school.ru" in listing.content.decode()
    detail = admin_client.get(f"/admin/core/outgoingemail/{row.pk}/change/").content.decode()
    assert "No such user here" in detail and "SECRET" not in detail

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_outgoingemail"))
    client.force_login(staff)
    assert client.get("/admin/core/outgoingemail/").status_code == 403
    assert client.get(f"/admin/core/outgoingemail/{row.pk}/change/").status_code in (302, 403, 404)


def test_send_again_queues_a_failed_letter_and_it_goes(admin_client, smtp, django_capture_on_commit_callbacks):  # noqa: F811
    smtp.refuse = "550 5.1.1 Mailbox full"
    outgoing_emails_queue(letters=[Letter("anna@school.ru", "registration_known_address", _known_context())])
    outgoing_emails_deliver()
    row = OutgoingEmail.objects.get()
    assert row.status == S.FAILED
    smtp.refuse = ""
    with django_capture_on_commit_callbacks(execute=True):  # the letter is tried again right after the commit
        response = admin_client.post(
            "/admin/core/outgoingemail/", {"action": "send_again", "_selected_action": [row.pk]}, follow=True
        )
    assert "Писем снова поставлено в очередь: 1" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (S.SENT, 0)
    assert len(smtp.received) == 1


def test_send_again_cannot_rebuild_an_emptied_secret_letter(admin_client, smtp):  # noqa: F811
    row = OutgoingEmail.objects.create(
        recipient="anna@school.ru", template="registration_confirm", secret=True, context={}, status=S.FAILED
    )
    response = admin_client.post(
        "/admin/core/outgoingemail/", {"action": "send_again", "_selected_action": [row.pk]}, follow=True
    )
    assert "Писем снова поставлено в очередь: 0" in response.content.decode()
    row.refresh_from_db()
    assert row.status == S.FAILED and smtp.received == []


def _without_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def _known_context():
    season_context = {"title": "2026/27", "program": {"title": "Наставник"}}
    return {
        "person": {"first_name": "Анна", "middle_name": ""},
        "season": season_context,
        "program": season_context["program"],
        "email": "anna@school.ru",
        "login_url": "https://portal.example.ru/accounts/login/",
        "password_reset_url": "https://portal.example.ru/accounts/password_reset/",
    }
