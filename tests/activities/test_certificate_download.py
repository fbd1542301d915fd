from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from activities.cabinet import certificates_context
from activities.models import Certificate
from participants.cabinet import CabinetContext
from participants.models import User
from participants.selectors import person_enrollments
from tests.factories import ActivityFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% certificate\n"


def _certificate(enrollment, n=1, *, pdf=True, activity=True, **extra):
    certificate = Certificate(
        number=f"ПП-2025-{enrollment.pk:03d}{n:03d}",
        code=f"code-{enrollment.pk}-{n}",
        enrollment=enrollment,
        activity=ActivityFactory(season=enrollment.season, title=f"Интенсив {n}") if activity else None,
        kind=Certificate.Kind.ACTIVITY if activity else Certificate.Kind.SEASON,
        hours=12,
        **extra,
    )
    if pdf:
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(PDF), save=False)
    certificate.save()
    return certificate


@pytest.fixture
def certificate():
    return _certificate(EnrollmentFactory())


def _url(certificate):
    return reverse("certificate_download", args=[certificate.pk])


def test_owner_downloads_the_stored_pdf(client, certificate):
    client.force_login(certificate.enrollment.person.user)

    response = client.get(_url(certificate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


def test_another_teacher_gets_404(client, certificate):
    client.force_login(EnrollmentFactory().person.user)

    assert client.get(_url(certificate)).status_code == 404


def test_anonymous_is_sent_to_login(client, certificate):
    response = client.get(_url(certificate))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_certificate_is_404(client, certificate):
    client.force_login(certificate.enrollment.person.user)

    assert client.get(reverse("certificate_download", args=[certificate.pk + 100])).status_code == 404


def test_coordinator_of_the_municipality_downloads_others_get_404(client, certificate):
    municipality = certificate.enrollment.season.program.municipality
    coordinator = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    client.force_login(coordinator)
    assert client.get(_url(certificate)).status_code == 200

    other_place = UserFactory(
        is_staff=True, role=User.Role.COORDINATOR, municipality=EnrollmentFactory().season.program.municipality
    )
    client.force_login(other_place)
    assert client.get(_url(certificate)).status_code == 404

    not_staff = UserFactory(is_staff=False, role=User.Role.COORDINATOR, municipality=municipality)
    client.force_login(not_staff)
    assert client.get(_url(certificate)).status_code == 404


def test_certificate_without_pdf_says_it_is_being_prepared(client):
    certificate = _certificate(EnrollmentFactory(), pdf=False)
    client.force_login(certificate.enrollment.person.user)

    response = client.get(_url(certificate))

    assert response.status_code == 200
    assert "Файл сертификата готовится" in response.content.decode()


def test_pdf_missing_from_storage_says_it_is_being_prepared(client, certificate):
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.force_login(certificate.enrollment.person.user)

    response = client.get(_url(certificate))

    assert response.status_code == 200
    assert "Файл сертификата готовится" in response.content.decode()


def test_revoked_certificate_is_not_served(client):
    certificate = _certificate(EnrollmentFactory(), revoked_at=timezone.now(), revoke_reason="Ошибка в ФИО")
    client.force_login(certificate.enrollment.person.user)

    response = client.get(_url(certificate))

    assert response.status_code == 410
    assert "отозван" in response.content.decode()
    assert "Ошибка в ФИО" in response.content.decode()


def test_cabinet_lists_my_certificates(client):
    enrollment = EnrollmentFactory()
    valid = _certificate(enrollment, 1)
    final = _certificate(enrollment, 2, activity=False, pdf=False, issued_at=timezone.now() - timedelta(days=1))
    revoked = _certificate(enrollment, 3, revoked_at=timezone.now())
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Мои сертификаты" in html
    for number in (valid.number, final.number, revoked.number):
        assert number in html
    assert "Интенсив 1" in html
    assert "за завершение программы" in html
    assert "Действителен" in html and "Отозван" in html
    assert _url(valid) in html
    assert _url(revoked) not in html
    assert "Файл готовится" in html


def test_cabinet_is_honest_without_certificates(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Сертификатов пока нет" in html


def test_another_teachers_certificates_are_not_listed(client, certificate):
    client.force_login(EnrollmentFactory().person.user)

    assert certificate.number not in client.get(reverse("cabinet")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_section_query_count(django_assert_num_queries, count):
    enrollment = EnrollmentFactory()
    for n in range(count):
        _certificate(enrollment, n + 1)
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())

    with django_assert_num_queries(1):
        context = certificates_context(ctx)

    assert len(context["certificates"]) == count
