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


# --- The settings of ГОСТ Р 52872-2019 (п. 7.1.2): font size, colours, letter spacing, images ---------------


def root_classes(response) -> list[str]:
    match = re.search(r'<html lang="[^"]*"(?: class="([^"]*)")?>', response.content.decode())
    return (match.group(1) or "").split()


def test_mode_on_starts_with_the_defaults(client):
    client.post(reverse("a11y_toggle"), {"mode": "on", "next": "/"})
    response = client.get(reverse("home"))

    assert "a11y-font-2" in root_classes(response)
    assert {"a11y-scheme-bw", "a11y-spacing-1", "a11y-images-off"} <= set(body_classes(response))


@pytest.mark.parametrize(
    ("field", "value", "where", "css_class"),
    [
        ("font", "1", "root", "a11y-font-1"),
        ("font", "3", "root", "a11y-font-3"),
        ("scheme", "wb", "body", "a11y-scheme-wb"),
        ("scheme", "blue", "body", "a11y-scheme-blue"),
        ("spacing", "2", "body", "a11y-spacing-2"),
        ("spacing", "3", "body", "a11y-spacing-3"),
        ("images", "on", "body", "a11y-images-on"),
    ],
)
def test_each_setting_round_trips_through_its_cookie(client, field, value, where, css_class):
    response = client.post(reverse("a11y_settings"), {field: value, "next": "/programs/x/"})

    assert response.status_code == 302
    assert response["Location"] == "/programs/x/"
    assert response.cookies["a11y"].value == "1"  # choosing a setting turns the version on
    assert response.cookies["a11y_settings"]["max-age"] > 0
    page = client.get(reverse("home"))
    classes = root_classes(page) if where == "root" else body_classes(page)
    assert css_class in classes
    assert re.search(rf'name="{field}" value="{value}"\s+class="[^"]*"\s+aria-pressed="true"', page.content.decode())


def test_settings_accumulate_and_survive_switching_off_and_on(client):
    client.post(reverse("a11y_settings"), {"font": "3", "next": "/"})
    client.post(reverse("a11y_settings"), {"scheme": "blue", "next": "/"})
    client.post(reverse("a11y_settings"), {"spacing": "3", "next": "/"})
    client.post(reverse("a11y_toggle"), {"mode": "off", "next": "/"})

    off = client.get(reverse("home"))
    assert "a11y-font-3" not in root_classes(off)
    assert "a11y-scheme-blue" not in body_classes(off)

    client.post(reverse("a11y_toggle"), {"mode": "on", "next": "/"})
    on = client.get(reverse("home"))
    assert "a11y-font-3" in root_classes(on)
    assert {"a11y-scheme-blue", "a11y-spacing-3", "a11y-images-off"} <= set(body_classes(on))


@pytest.mark.parametrize("bad", [{"font": "9"}, {"scheme": "red"}, {"spacing": ""}, {"images": "<script>"}])
def test_a_bad_value_is_ignored(client, bad):
    client.post(reverse("a11y_settings"), {"font": "3", "next": "/"})

    client.post(reverse("a11y_settings"), {**bad, "next": "/"})
    response = client.get(reverse("home"))

    assert "a11y-font-3" in root_classes(response)
    assert {"a11y-scheme-bw", "a11y-spacing-1", "a11y-images-off"} <= set(body_classes(response))


def test_a_tampered_cookie_falls_back_to_the_defaults(client):
    client.cookies["a11y"] = "1"
    client.cookies["a11y_settings"] = 'font:" onload="x&scheme:wb&spacing:7'

    response = client.get(reverse("home"))

    assert "a11y-font-2" in root_classes(response)
    assert {"a11y-scheme-wb", "a11y-spacing-1"} <= set(body_classes(response))
    assert "onload" not in response.content.decode()


def test_settings_post_redirects_only_to_a_safe_next(client):
    assert client.post(reverse("a11y_settings"), {"font": "3", "next": "https://evil.example/"})["Location"] == "/"


def test_settings_are_post_only(client):
    assert client.get(reverse("a11y_settings")).status_code == 405


def test_the_way_back_and_the_settings_are_outside_the_menu(client):
    client.post(reverse("a11y_toggle"), {"mode": "on", "next": "/"})
    html = client.get(reverse("home")).content.decode()

    panel = html.split('class="a11y-panel"')[1].split("</section>")[0]
    header = html.split('<header class="portal-header">')[1].split("</header>")[0]
    assert "Обычная версия сайта" in panel
    assert "Обычная версия сайта" not in header
    for legend in ("Размер шрифта", "Цвет сайта", "Интервал между буквами", "Изображения"):
        assert legend in panel
    for label in ("Чёрным по белому", "Белым по чёрному", "Тёмно-синим по голубому", "Увеличенный", "Большой"):
        assert label in panel
    assert html.index('class="a11y-panel"') < html.index('<header class="portal-header">')


def test_without_the_mode_no_panel(client):
    html = client.get(reverse("home")).content.decode()

    assert "a11y-panel" not in html
    assert "Версия для слабовидящих" in html


def test_the_settings_cookie_needs_no_quoting(client):
    response = client.post(reverse("a11y_settings"), {"font": "3", "scheme": "wb", "next": "/"})

    assert response.cookies["a11y_settings"].value == "font:3&scheme:wb&spacing:1&images:off"
    assert '"' not in response.cookies["a11y_settings"].OutputString()
