"""AUTH_PASSWORD_VALIDATORS: at least 12 characters, not a common password, not digits only, not like the
person's e-mail or names; every form that sets a password enforces them, with Russian messages at the field."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, PersonFactory, UserFactory
from tests.participants.test_registration_views import _form, _url, school, season  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Korotkiy-1", "Введённый пароль слишком короткий. Он должен состоять из как минимум 12 символов."),
        ("password1234", "Введённый пароль слишком широко распространён."),
        ("738219465012", "Введённый пароль состоит только из цифр."),
        ("Петрова2026!", "Пароль слишком похож на ваши личные данные: фамилию."),
        ("Анна-Сергеевна", "Пароль слишком похож на ваши личные данные: отчество."),
        ("petrova@school5", "Пароль слишком похож на ваши личные данные: адрес электронной почты."),
    ],
    ids=["short", "common", "numeric", "last-name", "middle-name", "email"],
)
def test_registration_refuses_a_weak_password_and_keeps_what_was_typed(client, season, school, password, message):  # noqa: F811
    response = client.post(_url(season), _form(school, password1=password, password2=password))

    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors["password1"]
    assert 'value="Петрова"' in response.content.decode(), "the rest of the form is kept"


def test_registration_accepts_a_strong_password(client, season, school):  # noqa: F811
    response = client.post(_url(season), _form(school, password1="Tri-Slona-Na-Lugu", password2="Tri-Slona-Na-Lugu"))

    assert response.status_code == 302


def _signed_in_person(client):
    person = PersonFactory(last_name="Смирнова", first_name="Ольга", middle_name="Игоревна")
    client.force_login(person.user)
    return person


def test_password_change_compares_with_the_persons_names(client):
    _signed_in_person(client)
    data = {"old_password": PASSWORD, "new_password1": "Смирнова2026!", "new_password2": "Смирнова2026!"}

    response = client.post(reverse("password_change"), data)

    assert response.status_code == 200
    assert "Пароль слишком похож на ваши личные данные: фамилию." in response.context["form"].errors["new_password2"]


def test_password_change_refuses_a_short_password_and_accepts_a_strong_one(client):
    person = _signed_in_person(client)

    short = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Abc-12345", "new_password2": "Abc-12345"},
    )
    assert "как минимум 12 символов" in " ".join(short.context["form"].errors["new_password2"])

    strong = "Zelenaya-Lampa-88"
    done = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert done["Location"] == reverse("password_change_done")
    person.user.refresh_from_db()
    assert person.user.check_password(strong)


def test_password_reset_enforces_the_validators(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="reset@school.ru")
    with django_capture_on_commit_callbacks(execute=True):  # the letter goes right after the commit
        client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": "1234567890123", "new_password2": "1234567890123"})

    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert "Введённый пароль состоит только из цифр." in errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
