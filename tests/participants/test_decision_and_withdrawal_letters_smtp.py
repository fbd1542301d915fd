"""The director's school-application decision and the coordinators' withdrawal letter go through the letters
outbox (core.outgoing_emails) to a real SMTP server on loopback (aiosmtpd): with the server down they wait with
the error, the delivery job sends them once it is back, rendered from their JSON context; the admin's and the
cabinet's messages say what became of them — a letter the server has not taken is never said to have gone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.models import OutgoingEmail
from core.tasks import deliver_notifications_job
from participants.models import Enrollment, SchoolApplication
from participants.services import school_application_decide
from tests.core.test_email_smtp import SITE, smtp  # noqa: F401 (fixture)
from tests.factories import EnrollmentFactory, PersonFactory, UserFactory
from tests.participants.test_school_application import CHANGELIST, _director, _season, _submit
from tests.participants.test_school_application import _coordinator as _admin_coordinator
from tests.participants.test_withdrawal import _coordinator

pytestmark = pytest.mark.django_db
S = OutgoingEmail.Status
RETRY = "почтовый сервер пока не принял — портал повторит отправку автоматически"


def _job_when_due(row: OutgoingEmail):
    """The scheduled delivery job, run once the letter's pause is over."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: row.next_attempt_at + timedelta(seconds=1))
        return deliver_notifications_job()


def _texts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_the_rejection_waits_for_the_mail_server_and_the_job_sends_it(
    client,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    season = _season()
    director = _director(season, first_name="Ольга", middle_name="Ивановна", user=UserFactory(email="dir@school.ru"))
    application = _submit(season, director)
    client.force_login(_admin_coordinator(season.program.municipality))
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse(CHANGELIST),
            {"action": "reject", "_selected_action": [application.pk], "apply": "1", "reason": "Квота исчерпана"},
            follow=True,
        )
    page = done.content.decode()
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (SchoolApplication.Status.REJECTED, "Квота исчерпана")
    # The test's transaction holds the letter until the request is over: the message cannot say it went.
    assert "Писем заявителям поставлено в очередь: 1, отправлено сразу: 0." in page and RETRY in page

    row = OutgoingEmail.objects.get()
    assert (row.recipient, row.template, row.status, row.attempts) == (
        "dir@school.ru",
        "school_application_decided",
        S.PENDING,
        1,
    )
    assert "ConnectionRefusedError" in row.error
    assert row.context["person"] == {"first_name": "Ольга", "middle_name": "Ивановна"}
    assert row.context["decision_reason"] == "Квота исчерпана" and row.context["approved"] is False

    smtp.start()
    assert _job_when_due(row).summary["letters_sent"] == 1
    (message,) = smtp.received
    text, html = _texts(message)
    program, school = season.program.title, application.organisation.short_name
    assert message["To"] == "dir@school.ru"
    assert message["Subject"] == f"Заявка школы в проект «{program}» отклонена"
    assert text.startswith("Здравствуйте, Ольга Ивановна!")
    sentence = f"Заявка школы «{school}» на участие в проекте «{program}» (сезон {season.title}) отклонена"
    assert sentence in text and sentence in html
    assert "Причина: Квота исчерпана" in text and "Квота исчерпана" in html
    assert f"{SITE}/cabinet/#cabinet-school-application" in text
    assert f'href="{SITE}/cabinet/#cabinet-school-application"' in html
    row.refresh_from_db()
    assert (row.status, row.error) == (S.SENT, "")


def test_an_approval_goes_at_once_and_the_service_queues_one_letter_per_applicant_with_an_address(
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    season = _season()
    with_address = _submit(season, _director(season, user=UserFactory(email="a@school.ru")))
    without = _submit(season, _director(season, user=None, email=""))
    with django_capture_on_commit_callbacks(execute=True):
        decided, skipped = school_application_decide(applications=[with_address, without], approve=True, by=None)
    assert (decided, skipped) == (2, [])
    row = OutgoingEmail.objects.get()
    assert (row.recipient, row.status, row.attempts) == ("a@school.ru", S.SENT, 0)  # attempts counts failures
    (message,) = smtp.received
    assert "одобрена координатором. Педагоги школы могут зарегистрироваться" in _texts(message)[0]


@pytest.mark.django_db(transaction=True)  # real commits: the immediate attempt runs before the page is answered
def test_a_withdrawal_with_the_mail_server_down_does_not_promise_the_letter_and_the_job_sends_it(
    client,
    smtp,  # noqa: F811
):
    enrollment = EnrollmentFactory(status=Enrollment.Status.ACTIVE)
    person = enrollment.person
    municipality = enrollment.season.program.municipality
    _coordinator(municipality, "coord@district.ru")
    _coordinator(municipality, "second@district.ru")
    client.force_login(person.user)
    smtp.stop()

    response = client.post(
        reverse("enrollment_withdraw", args=[enrollment.pk]), {"reason": "Перевожусь в другую школу"}, follow=True
    )
    page = response.content.decode()
    assert f"Вы вышли из программы «{enrollment.season.program.title}»." in page
    assert "Уведомление координатору " + RETRY in page and "отправлено уведомление" not in page

    rows = list(OutgoingEmail.objects.order_by("recipient"))
    # One letter per coordinator; the refused connection leaves the other untried for the job (core.notifications).
    assert [(r.recipient, r.template, r.status, r.attempts) for r in rows] == [
        ("coord@district.ru", "enrollment_withdrawn", S.PENDING, 1),
        ("second@district.ru", "enrollment_withdrawn", S.PENDING, 0),
    ]
    assert "ConnectionRefusedError" in rows[0].error

    smtp.start()
    assert _job_when_due(rows[0]).summary["letters_sent"] == 2
    assert sorted(m["To"] for m in smtp.received) == ["coord@district.ru", "second@district.ru"]
    message = smtp.received[0]
    text, html = _texts(message)
    assert message["Subject"] == f"{person.full_name} вышел(а) из программы «{enrollment.season.program.title}»"
    assert text.startswith("Здравствуйте!")
    assert f"Участник {person.full_name} вышел(а) из программы" in text
    assert f"Организация: {person.organisation.name}" in text
    assert "Перевожусь в другую школу" in text and "Перевожусь в другую школу" in html
    enrollment.refresh_from_db()
    moment = timezone.localtime(enrollment.status_changed_at, enrollment.season.tz)
    # On the season's clock, in Django's own date text, and whose clock it is.
    when = f"Когда: {date_format(moment, 'j E Y, H:i')} (время Екатеринбурга, МСК+2)"
    assert when in text and when in html
    admin_link = f"{SITE}/admin/participants/enrollment/{enrollment.pk}/change/"
    assert admin_link in text and f'href="{admin_link}"' in html
    assert all(row.status == S.SENT for row in OutgoingEmail.objects.all())


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_with_the_mail_server_up_says_the_coordinator_was_written_to(
    client,
    smtp,  # noqa: F811
):
    enrollment = EnrollmentFactory(status=Enrollment.Status.APPLIED)
    _coordinator(enrollment.season.program.municipality, "coord@district.ru")
    client.force_login(enrollment.person.user)
    response = client.post(reverse("enrollment_withdraw", args=[enrollment.pk]), {"reason": "Передумала"}, follow=True)
    page = response.content.decode()
    assert "Координатору программы отправлено уведомление." in page and RETRY not in page
    assert [m["To"] for m in smtp.received] == ["coord@district.ru"]
    assert OutgoingEmail.objects.get().status == S.SENT


@pytest.mark.django_db(transaction=True)
def test_a_refused_letter_is_said_to_be_refused(client, smtp):  # noqa: F811
    smtp.refuse = "550 5.1.1 No such user here"
    enrollment = EnrollmentFactory(status=Enrollment.Status.ACTIVE)
    _coordinator(enrollment.season.program.municipality, "gone@district.ru")
    client.force_login(enrollment.person.user)
    response = client.post(reverse("enrollment_withdraw", args=[enrollment.pk]), {"reason": "Переезд"}, follow=True)
    page = response.content.decode()
    assert "Уведомление координатору не доставлено: почтовый сервер его отклонил." in page
    assert "отправлено уведомление" not in page
    assert OutgoingEmail.objects.get().status == S.FAILED


def test_with_no_coordinator_to_write_to_the_page_promises_no_letter(client, smtp):  # noqa: F811
    enrollment = EnrollmentFactory(status=Enrollment.Status.ACTIVE)
    PersonFactory()  # someone else's municipality has nobody either
    client.force_login(enrollment.person.user)
    confirm = client.get(reverse("enrollment_withdraw", args=[enrollment.pk])).content.decode()
    assert "портал отправит ему письмо" in confirm and "получит письмо" not in confirm
    response = client.post(reverse("enrollment_withdraw", args=[enrollment.pk]), {"reason": "Переезд"}, follow=True)
    page = response.content.decode()
    assert f"Вы вышли из программы «{enrollment.season.program.title}»." in page
    assert "Уведомление координатору" not in page and "отправлено уведомление" not in page
    assert not OutgoingEmail.objects.exists() and smtp.received == []
