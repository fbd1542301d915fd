import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_russian_even_when_the_browser_asks_for_english(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ru"' in page


def test_the_switch_chooses_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en"' in page


def test_an_unknown_language_cookie_falls_back_to_russian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="ru"' in client.get(reverse("home")).content.decode()
