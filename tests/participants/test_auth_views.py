import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_opens(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Вход на портал" in response.content.decode()


@pytest.mark.parametrize("typed", ["teacher@example.ru", "Teacher@Example.RU"])
def test_login_by_email_is_case_insensitive(client, typed):
    user = UserFactory(email="teacher@example.ru")

    response = client.post(reverse("login"), {"username": typed, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("cabinet")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password_says_so_and_keeps_the_email(client):
    UserFactory(email="teacher@example.ru")

    response = client.post(reverse("login"), {"username": "teacher@example.ru", "password": "wrong-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Неверная электронная почта или пароль" in html
    assert 'value="teacher@example.ru"' in html
    assert "_auth_user_id" not in client.session


def test_login_redirects_to_a_safe_next_only(client):
    UserFactory(email="teacher@example.ru")
    data = {"username": "teacher@example.ru", "password": PASSWORD}

    assert client.post(reverse("login"), {**data, "next": "/programs/x/"})["Location"] == "/programs/x/"
    client.logout()
    assert client.post(reverse("login"), {**data, "next": "https://evil.example/"})["Location"] == reverse("cabinet")


def test_logout_is_post_only(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_navbar_shows_login_to_visitors_and_logout_form_to_users(client):
    html = client.get(reverse("home")).content.decode()
    assert reverse("login") in html
    assert f'action="{reverse("logout")}"' not in html

    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}"' in html
    assert reverse("admin:index") not in html


def test_navbar_links_staff_to_the_admin(client):
    client.force_login(UserFactory(is_staff=True))

    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_password_reset_sends_a_working_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="teacher@example.ru")

    with django_capture_on_commit_callbacks(execute=True):  # the letter goes right after the commit
        response = client.post(reverse("password_reset"), {"email": "Teacher@example.ru"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["teacher@example.ru"]
    assert "Восстановление пароля" in message.subject
    assert message.alternatives, "the e-mail also has an HTML part"
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)

    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200
    assert confirm.context["validlink"]
    set_password_url = confirm.redirect_chain[-1][0]
    new_password = "Novyj-Parol-2025!"
    done = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert client.get(reverse("password_reset_complete")).status_code == 200


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_pages_open(client):
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.get(reverse("password_reset_done")).status_code == 200
    bad = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))
    assert bad.status_code == 200
    assert "Ссылка недействительна" in bad.content.decode()


def test_password_change_needs_login_then_works(client):
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("login"))
    user = UserFactory()
    client.force_login(user)
    new_password = "Drugoj-Parol-2025!"

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response["Location"] == reverse("password_change_done")
    assert get_user_model().objects.get(pk=user.pk).check_password(new_password)
    assert client.get(reverse("password_change_done")).status_code == 200


DEMO = [("koordinator@demo.ru", "Координатор"), ("pedagog@demo.ru", "Педагог")]


def test_demo_accounts_are_listed_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    settings.DEMO_ACCOUNTS = DEMO
    settings.DEMO_PASSWORD = "Demo-Portal-2025"

    html = client.get(reverse("login")).content.decode()

    assert "Демонстрационные учётные записи" in html
    assert "koordinator@demo.ru" in html
    assert "Координатор" in html
    assert "Demo-Portal-2025" in html


def test_demo_accounts_are_hidden_outside_demo_mode(client, settings):
    settings.DEMO_MODE = False
    settings.DEMO_ACCOUNTS = DEMO
    settings.DEMO_PASSWORD = "Demo-Portal-2025"

    html = client.get(reverse("login")).content.decode()

    assert "Демонстрационные учётные записи" not in html
    assert "koordinator@demo.ru" not in html
    assert "Demo-Portal-2025" not in html
