"""Confirming the address: the signed link, expired and altered links, the resend form that reveals nothing,
and the login of an account that has not confirmed yet."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from participants.models import User
from participants.services import (
    EMAIL_CONFIRM_SALT,
    RegistrationData,
    email_confirm_by_token,
    email_confirm_token,
    registration_submit,
)
from tests.factories import PASSWORD, OrganisationFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
TEACHER_PASSWORD = "Vernyi-Parol-2026"


@pytest.fixture
def registered(django_capture_on_commit_callbacks):
    data = RegistrationData(
        email="petrova@school5.ru",
        password=TEACHER_PASSWORD,
        last_name="Петрова",
        first_name="Анна",
        middle_name="Сергеевна",
        birth_date=date(1990, 4, 12),
        phone="+7 900 000-00-00",
        organisation=OrganisationFactory(),
        position="Учитель",
        education_level="higher",
        consent_personal_data=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = registration_submit(season=SeasonFactory(), data=data, site_url="https://portal.example/")
    return enrollment.person.user


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", message.body).group(1)


def test_confirmation_letter_has_text_and_html_and_a_signed_link(registered):
    message = mail.outbox[0]
    assert message.to == ["petrova@school5.ru"]
    assert "Подтвердите адрес" in message.subject
    assert "Здравствуйте, Анна Сергеевна!" in message.body
    assert "Ссылка действует 3 дня" in message.body
    html = message.alternatives[0][0]
    assert _link(message) in html


def test_the_link_confirms_once_and_then_says_it_is_done(client, registered):
    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 200
    assert "Адрес подтверждён" in response.content.decode()
    registered.refresh_from_db()
    first = registered.email_confirmed_at
    assert first is not None
    assert client.get(_link(mail.outbox[0])).status_code == 200
    registered.refresh_from_db()
    assert registered.email_confirmed_at == first


def test_expired_link_gets_a_clear_page_with_a_resend_form(client, registered, settings):
    token = signing.TimestampSigner(salt=EMAIL_CONFIRM_SALT)
    # A token signed four days ago.
    old = signing.dumps({"u": registered.pk, "e": registered.email}, salt=EMAIL_CONFIRM_SALT)
    payload, stamp_sig = old.split(":", 1)
    stamp = signing.b62_encode(int((timezone.now() - timedelta(days=4)).timestamp()))
    value = f"{payload}:{stamp}"
    expired = f"{value}:{token.signature(value)}"
    response = client.get(reverse("email_confirm", kwargs={"token": expired}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Срок действия ссылки истёк" in html
    assert f'action="{reverse("email_confirm_resend")}"' in html
    registered.refresh_from_db()
    assert registered.email_confirmed_at is None


def test_altered_link_is_refused(client, registered):
    link = _link(mail.outbox[0])
    response = client.get(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "Ссылка недействительна" in response.content.decode()
    registered.refresh_from_db()
    assert registered.email_confirmed_at is None


def test_a_link_for_an_address_since_changed_is_refused(registered):
    token = email_confirm_token(user=registered)
    User.objects.filter(pk=registered.pk).update(email="other@school5.ru")
    with pytest.raises(Exception, match="недействительна"):
        email_confirm_by_token(token=token)


def test_resend_does_not_reveal_whether_the_address_exists(client, registered, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("email_confirm_resend"), {"email": "Petrova@School5.ru"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("email_confirm_resend"), {"email": "nobody@school5.ru"})

    def normalise(response):
        html = response.content.decode().replace("Petrova@School5.ru", "X").replace("nobody@school5.ru", "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert known.status_code == unknown.status_code == 200
    assert normalise(known) == normalise(unknown)
    assert [m.to for m in mail.outbox] == [["petrova@school5.ru"]]
    assert client.get(_link(mail.outbox[0])).status_code == 200


def test_resend_sends_nothing_to_a_confirmed_or_staff_account(client, django_capture_on_commit_callbacks):
    UserFactory(email="staff@example.ru", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("email_confirm_resend"), {"email": "staff@example.ru"})
    assert mail.outbox == []


def test_resend_form_checks_the_address(client):
    response = client.post(reverse("email_confirm_resend"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_unconfirmed_account_cannot_log_in_and_is_offered_a_resend(client, registered):
    response = client.post(reverse("login"), {"username": "petrova@school5.ru", "password": TEACHER_PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ещё не подтверждён" in html
    assert f'href="{reverse("email_confirm_resend")}"' in html
    assert "_auth_user_id" not in client.session


def test_after_confirmation_the_account_logs_in(client, registered):
    client.get(_link(mail.outbox[0]))
    response = client.post(reverse("login"), {"username": "petrova@school5.ru", "password": TEACHER_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(registered.pk)


def test_accounts_made_by_others_are_not_held_back(client):
    # Staff and demo accounts have no confirmation date and no self-registration: they sign in as before.
    person = PersonFactory(user__email="teacher@demo.ru")
    assert person.user.email_confirmed_at is None
    response = client.post(reverse("login"), {"username": "teacher@demo.ru", "password": PASSWORD})
    assert response.status_code == 302


def test_registration_sent_page_for_a_stranger_shows_no_address(client):
    html = client.get(reverse("registration_sent")).content.decode()
    assert "Проверьте почту" in html and "@" not in html.split("<main", 1)[1].split("</main>")[0]
