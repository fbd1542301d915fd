"""The low-vision version («версия для слабовидящих») and the language switch, on any page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def body_classes(response) -> list[str]:
    return re.search(r'<body class="([^"]*)"', response.content.decode()).group(1).split()


def test_toggle_turns_the_mode_on_with_a_cookie_and_returns_to_the_page(client):
    response = client.post(reverse("a11y_toggle"), {"mode": "on", "next": "/programs/x/?a=1"})

    assert response.status_code == 302
    assert response["Location"] == "/programs/x/?a=1"
    cookie = response.cookies["a11y"]
    assert cookie.value == "1"
    assert cookie["max-age"] > 0
    assert cookie["samesite"] == "Lax"


def test_body_gets_the_class_from_the_cookie(client):
    assert "a11y" not in body_classes(client.get(reverse("home")))

    client.post(reverse("a11y_toggle"), {"mode": "on", "next": "/"})
    response = client.get(reverse("home"))

    assert "a11y" in body_classes(response)
    assert "Обычная версия сайта" in response.content.decode()


def test_toggle_turns_the_mode_off(client):
    client.post(reverse("a11y_toggle"), {"mode": "on", "next": "/"})

    response = client.post(reverse("a11y_toggle"), {"mode": "off", "next": "/"})

    assert response.cookies["a11y"].value == ""
    assert "a11y" not in body_classes(client.get(reverse("home")))


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "http://evil.example/programs/", "javascript:alert(1)", ""]
)
def test_toggle_redirects_only_to_a_safe_next(client, unsafe):
    response = client.post(reverse("a11y_toggle"), {"mode": "on", "next": unsafe})

    assert response["Location"] == "/"


def test_toggle_is_post_only(client):
    assert client.get(reverse("a11y_toggle")).status_code == 405


def test_every_page_offers_the_toggle_without_javascript(client):
    html = client.get(reverse("login")).content.decode()

    assert f'action="{reverse("a11y_toggle")}"' in html
    assert "Версия для слабовидящих" in html


def test_pages_are_russian_first(client):
    response = client.get(reverse("home"))

    assert '<html lang="ru"' in response.content.decode()


def test_language_switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)

    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
