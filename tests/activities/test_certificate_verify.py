from datetime import UTC, datetime

import pytest
from django.urls import reverse

from activities.models import Certificate
from activities.services_certificates import certificate_reissue, certificate_revoke, certificates_issue
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)


def _issue(count=1):
    season = SeasonFactory(program=ProgramFactory(code="ПП", title="Прогрессивный педагог"))
    webinar = activity_with_sessions(season, title="Вебинар о формирующем оценивании", hours="4")
    for n in range(count):
        person = PersonFactory(
            last_name=f"Кузнецова{n}", first_name="Ольга", middle_name="Сергеевна", phone="+79001234567"
        )
        attend(EnrollmentFactory(season=season, person=person), webinar, 1)
    certificates_issue(now=NOW)
    return list(Certificate.objects.select_related("enrollment__person").order_by("sequence"))


def _url(certificate):
    return reverse("certificate_verify", args=[certificate.code])


def test_anonymous_sees_a_valid_certificate_without_other_personal_data(client):
    (certificate,) = _issue()
    person = certificate.enrollment.person

    response = client.get(_url(certificate))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    for text in (
        "Кузнецова0 Ольга Сергеевна",
        "Прогрессивный педагог",
        "Вебинар о формирующем оценивании",
        "ПП-2025-000001",
        "Действителен",
        "20 ноября 2025",
    ):
        assert text in html
    assert "Отозван" not in html
    for private in (person.email, "+79001234567", person.organisation.name, "1985"):
        assert private not in html


def test_revoked_certificate_says_so_and_points_to_its_replacement(client):
    (certificate,) = _issue()
    new = certificate_reissue(certificate=certificate, by=None, reason="Опечатка", now=NOW)

    html = client.get(_url(certificate)).content.decode()

    assert "Отозван 20 ноября 2025" in html
    assert "Действителен" not in html
    assert f"Взамен выдан сертификат № {new.number}" in html
    assert "Опечатка" not in html  # the reason is the coordinator's, not public
    assert "Действителен" in client.get(_url(new)).content.decode()


def test_revoked_without_replacement(client):
    (certificate,) = _issue()
    certificate_revoke(certificate=certificate, by=None, reason="Ошибка", now=NOW)
    html = client.get(_url(certificate)).content.decode()
    assert "Отозван 20 ноября 2025" in html and "Взамен" not in html


def test_unknown_code_is_a_404_page(client):
    response = client.get(reverse("certificate_verify", args=["no-such-code"]))
    assert response.status_code == 404
    assert "Сертификат не найден" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_signed_in_teacher_sees_the_same_page(client):
    first, second = _issue(2)
    client.force_login(second.enrollment.person.user)
    assert "Кузнецова0 Ольга Сергеевна" in client.get(_url(first)).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_verify_query_count_is_constant(client, count, django_assert_num_queries):
    certificates = _issue(count)
    for certificate in certificates:
        certificate_reissue(certificate=certificate, by=None, reason="Опечатка", now=NOW)
    with django_assert_num_queries(2):
        assert client.get(_url(certificates[-1])).status_code == 200
