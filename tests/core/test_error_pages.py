"""The portal's own error pages (400, 403, 404, 500 and the CSRF failure) in Russian, with DEBUG on and off."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from core.errors import csrf_failure
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.core.error_urls")


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    settings.DEBUG_TECHNICAL_404 = False
    return request.param


def page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/no-such-page/", "/test-errors/missing/"])
def test_404_is_the_portals_page(client, debug, address):
    response = client.get(address)

    assert response.status_code == 404
    html = page(response)
    assert 'data-error-code="404"' in html
    assert "Страница не найдена" in html
    assert 'class="portal-header"' in html
    # Django's technical page lists the URL patterns; the portal's never does.
    assert "Using the URLconf" not in html
    assert "admin/" not in html.split('id="main"')[1].split("</main>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/no-such-page/", "/test-errors/missing/"])
def test_technical_404_only_when_explicitly_asked(client, settings, address):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True

    response = client.get(address)

    assert response.status_code == 404
    assert "Страница не найдена" not in page(response)
    assert "Django" in page(response)


@pytest.mark.django_db
def test_technical_404_switch_does_nothing_with_debug_off(client, settings):
    settings.DEBUG = False
    settings.DEBUG_TECHNICAL_404 = True

    assert 'data-error-code="404"' in page(client.get("/no-such-page/"))


@pytest.mark.django_db
def test_a_view_answering_404_itself_keeps_its_page(client, debug):
    # A real portal page's own 404 (another person's job) goes through the same template, with DEBUG on or off.
    client.force_login(UserFactory())

    response = client.get(reverse("background_job", args=[999_999]))

    assert response.status_code == 404
    assert 'data-error-code="404"' in page(response)


@pytest.mark.django_db
def test_404_offers_the_cabinet_to_a_signed_in_person(client, debug):
    client.force_login(UserFactory())

    html = page(client.get("/no-such-page/"))

    assert f'href="{reverse("cabinet")}"' in html


@pytest.mark.django_db
def test_403_is_the_portals_page(client, debug):
    response = client.get("/test-errors/denied/")

    assert response.status_code == 403
    html = page(response)
    assert 'data-error-code="403"' in html
    assert "Доступ запрещён" in html
    assert "Эта страница доступна только после входа на портал." in html


@pytest.mark.django_db
def test_403_tells_a_signed_in_person_whom_to_ask(client, debug):
    client.force_login(UserFactory())

    html = page(client.get("/test-errors/denied/"))

    assert "обратитесь к координатору программы" in html


@pytest.mark.django_db
def test_400_is_the_portals_page(client, debug):
    response = client.get("/test-errors/suspicious/")

    assert response.status_code == 400
    html = page(response)
    assert 'data-error-code="400"' in html
    assert "Неверный запрос" in html
    assert "Подделанный запрос" not in html


@pytest.mark.django_db
def test_400_for_a_foreign_host_with_debug_off(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["portal.example"]

    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert 'data-error-code="400"' in page(response)


@pytest.mark.django_db
def test_500_is_the_portals_page_with_debug_off(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/boom/")

    assert response.status_code == 500
    html = page(response)
    assert 'data-error-code="500"' in html
    assert "Ошибка на сервере" in html
    assert '<html lang="ru">' in html
    assert "Сбой для проверки" not in html


@pytest.mark.django_db
def test_500_with_debug_on_keeps_the_traceback_for_the_developer(settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/boom/")

    assert response.status_code == 500
    assert "Сбой для проверки страницы 500" in page(response)
    assert 'data-error-code="500"' not in page(response)


def test_500_needs_neither_the_database_nor_the_request(settings):
    # No django_db mark: any query would fail the test. The request is a bare one with no user or session.
    settings.DEBUG = False
    settings.PORTAL_NAME = "Портал ЦРО"

    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = page(response)
    assert "Ошибка на сервере" in html
    assert "Портал ЦРО" in html
    assert "portal.css" in html


@pytest.mark.django_db
def test_csrf_failure_is_a_russian_page(debug):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "a@example.org", "password": "x"})

    assert response.status_code == 403
    html = page(response)
    assert 'data-error-code="403-csrf"' in html
    assert "Форма устарела" in html
    assert "Разрешите cookie" in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
def test_csrf_failure_with_the_cookie_but_a_stale_token(debug):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))  # sets the CSRF cookie

    response = client.post(
        reverse("login"), {"username": "a@example.org", "password": "x", "csrfmiddlewaretoken": "x" * 64}
    )

    assert response.status_code == 403
    html = page(response)
    assert "Форма устарела" in html
    assert "открыта слишком давно" in html


@pytest.mark.django_db
def test_csrf_failure_view_is_the_configured_one(settings):
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    request.session = {}

    response = csrf_failure(request, reason="CSRF token missing.")

    assert settings.CSRF_FAILURE_VIEW == "core.errors.csrf_failure"
    assert response.status_code == 403
    assert "открыта слишком давно" in page(response)
