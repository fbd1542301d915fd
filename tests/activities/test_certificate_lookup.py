"""/verify/: the public check of a certificate by its printed number, beside the QR code's link."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.certificates import certificate_number_candidates
from activities.models import Certificate
from activities.services_certificates import certificate_reissue, certificate_revoke, certificates_issue
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
LOOKUP = reverse("certificate_lookup")


def _issue(count=1, code="ПП"):
    season = SeasonFactory(program=ProgramFactory(code=code, title="Прогрессивный педагог"))
    webinar = activity_with_sessions(season, title="Вебинар о формирующем оценивании", hours="4")
    for n in range(count):
        person = PersonFactory(
            last_name=f"Кузнецова{n}", first_name="Ольга", middle_name="Сергеевна", phone="+79001234567"
        )
        attend(EnrollmentFactory(season=season, person=person), webinar, 1)
    certificates_issue(now=NOW)
    return list(Certificate.objects.select_related("enrollment__person__organisation").order_by("sequence"))


def _check(client, number):
    return client.get(LOOKUP, {"number": number})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ПП-2026-000001", "ПП-2026-000001"),
        ("пп-2026-000001", "ПП-2026-000001"),
        ("ПП–2026–000001", "ПП-2026-000001"),  # en dashes
        ("ПП — 2026 — 1", "ПП-2026-000001"),  # em dashes, spaces, no leading zeros
        ("  ПП 2026 000001 ", "ПП-2026-000001"),
        ("ПП2026000001", "ПП-2026-000001"),
        ("ＰＰ－２０２６－１", "РР-2026-000001"),  # full-width Latin P: the Cyrillic Р it looks like
        ("pk27-2026-12", "РК27-2026-000012"),
        ("ПК27‑2026‑12", "ПК27-2026-000012"),  # non-breaking hyphens
    ],
)
def test_a_typed_number_is_read_as_the_stored_one(typed, stored):
    assert certificate_number_candidates(typed)[0] == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "ПП",
        "2026-000001",
        "ПП-26-1",
        "ПП-20260-1",
        "ПП-2026-1234567890",
        "'; DROP TABLE x; --",
        "П" * 9 + "-2026-1",
    ],
)
def test_what_is_not_a_number_has_no_reading(typed):
    assert certificate_number_candidates(typed) == []


@pytest.mark.django_db
def test_the_empty_form(client):
    response = client.get(LOOKUP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Проверка сертификата по номеру" in html
    assert 'name="number"' in html and 'method="get"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["ПП-2026-000001", "пп 2026 1", "PP–2026–000001".replace("PP", "ПП")])
def test_a_valid_number_shows_the_qr_links_page(client, typed):
    (certificate,) = _issue()
    by_number = _check(client, typed)
    by_qr = client.get(reverse("certificate_verify", args=[certificate.code]))

    assert by_number.status_code == by_qr.status_code == 200
    assert by_number.templates[0].name == by_qr.templates[0].name == "activities/certificate_verify.html"
    html = by_number.content.decode()
    for text in ("Кузнецова0 Ольга Сергеевна", "Прогрессивный педагог", "ПП-2026-000001", "Действителен"):
        assert text in html
    person = certificate.enrollment.person
    for private in (person.email, "+79001234567", person.organisation.name, certificate.code):
        assert private not in html  # the QR's code stays the PDF's: the number does not hand it out


@pytest.mark.django_db
def test_latin_look_alikes_find_a_cyrillic_code(client):
    _issue(code="РК")  # Cyrillic Р and К
    response = _check(client, "pk-2026-1")
    assert response.status_code == 200
    assert "РК-2026-000001" in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_certificate_says_so_with_the_date(client):
    (certificate,) = _issue()
    certificate_revoke(certificate=certificate, by=None, reason="Ошибка в фамилии", now=NOW)
    html = _check(client, "ПП-2026-000001").content.decode()
    assert "Отозван 20 марта 2026" in html
    assert "Действителен" not in html and "Ошибка в фамилии" not in html


@pytest.mark.django_db
def test_a_reissued_certificate_names_its_replacement(client):
    (certificate,) = _issue()
    new = certificate_reissue(certificate=certificate, by=None, reason="Опечатка", now=NOW)
    html = _check(client, certificate.number).content.decode()
    assert "Отозван 20 марта 2026" in html and f"Взамен выдан сертификат № {new.number}" in html
    assert "Действителен" in _check(client, new.number).content.decode()


@pytest.mark.django_db
def test_an_unknown_number_is_a_404_with_the_form_and_the_number_kept(client):
    _issue()
    response = _check(client, "пп-2026-000002")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Сертификат № ПП-2026-000002 не найден" in html
    assert 'value="пп-2026-000002"' in html  # what was typed stays in the field
    assert "Кузнецова" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        "ПП-2026-" + "1" * 5000,
        "x" * 100_000,
        "' OR 1=1 --",
        "ПП-2026-000001'; DELETE FROM activities_certificate; --",
        "<script>alert(1)</script>",
        "ПП-2026-000001\u202e",
        "\U0001f600-2026-000001",
        "ПП-٢٠٢٦-١",  # Arabic-Indic digits
        "ПП-2026-0000\x00",
        "%00%27",
    ],
)
def test_hostile_input_gets_a_russian_answer_never_a_500(client, hostile):
    _issue()
    response = _check(client, hostile)
    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Кузнецова" not in html or "ПП-2026-000001" in html  # a name only with its own valid number
    assert Certificate.objects.count() == 1
    if response.status_code == 200 and "Кузнецова" not in html:
        assert "is-invalid" in html and "invalid-feedback" in html  # the field says what is wrong, in Russian


@pytest.mark.django_db
def test_too_many_look_ups_from_one_address_are_refused(client, settings):
    settings.CERTIFICATE_LOOKUPS_PER_CLIENT = 3
    _issue(count=5)
    for sequence in range(1, 4):
        assert _check(client, f"ПП-2026-{sequence}").status_code == 200
    refused = _check(client, "ПП-2026-4")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Слишком много проверок" in html and "Кузнецова3" not in html
    assert refused["Retry-After"] == "3600"
    other = client.get(LOOKUP, {"number": "ПП-2026-5"}, REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 200  # another client address has its own allowance
    # The QR link is not counted: its code cannot be guessed.
    first = Certificate.objects.order_by("sequence").first()
    assert client.get(reverse("certificate_verify", args=[first.code])).status_code == 200


@pytest.mark.django_db
def test_a_malformed_number_does_not_use_up_the_allowance(client, settings):
    settings.CERTIFICATE_LOOKUPS_PER_CLIENT = 1
    _issue()
    assert _check(client, "not a number").status_code == 200
    assert _check(client, "ПП-2026-1").status_code == 200


@pytest.mark.django_db
def test_the_look_up_runs_the_same_queries_for_one_certificate_or_many(client):
    _issue(count=1)
    with CaptureQueriesContext(connection) as one:
        assert _check(client, "ПП-2026-1").status_code == 200
    _issue(count=3, code="ПК")
    with CaptureQueriesContext(connection) as three:
        assert _check(client, "ПК-2026-3").status_code == 200
    assert len(one) == len(three) <= 3
