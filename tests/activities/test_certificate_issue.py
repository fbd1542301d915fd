import hashlib
import io
from datetime import UTC, datetime

import pytest
import segno
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from activities.certificates import QR_MASK
from activities.models import ActivityKind, Certificate, CertificateCounter
from activities.services_certificates import certificate_reissue, certificate_revoke, certificates_issue
from core.models import Notification
from core.notifications import notifications_deliver
from participants.models import Enrollment
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

# 31 December 20:00 UTC is already 1 January in Yekaterinburg (UTC+5): the number takes the local year.
NOW = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)


@pytest.fixture
def season():
    program = ProgramFactory(code="ПП", slug="progressive-teacher", title="Прогрессивный педагог")
    return SeasonFactory(program=program, certificate_signatory="Н.А. Пожарницкая, директор МКУ «ЦРО»")


def _teachers(season, activity, count):
    enrollments = []
    for n in range(count):
        person = PersonFactory(last_name=f"Смирнова{n}", first_name="Анна", middle_name="Игоревна")
        enrollment = EnrollmentFactory(season=season, person=person)
        attend(enrollment, activity, activity.required_sessions)
        enrollments.append(enrollment)
    return enrollments


def test_numbers_are_contiguous_per_program_and_local_year(season):
    webinar = activity_with_sessions(season)
    _teachers(season, webinar, 3)
    other_season = SeasonFactory(program=ProgramFactory(code="МА"))
    other = activity_with_sessions(other_season)
    _teachers(other_season, other, 2)

    result = certificates_issue(now=NOW, batch_size=2)

    assert result == {"issued": 5, "owed": 5, "batches": 3}
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == ["МА-2026-000001", "МА-2026-000002", "ПП-2026-000001", "ПП-2026-000002", "ПП-2026-000003"]
    assert CertificateCounter.objects.get(program=season.program, year=2026).last == 3
    codes = list(Certificate.objects.values_list("code", flat=True))
    assert len(set(codes)) == 5 and all(len(code) >= 20 for code in codes)


def test_run_twice_gives_the_same_state(season):
    webinar = activity_with_sessions(season)
    _teachers(season, webinar, 2)
    certificates_issue(now=NOW)
    before = list(Certificate.objects.order_by("pk").values_list("number", "pdf", "pdf_sha256"))

    assert certificates_issue(now=NOW) == {"issued": 0, "owed": 0, "batches": 0}
    assert list(Certificate.objects.order_by("pk").values_list("number", "pdf", "pdf_sha256")) == before
    assert Notification.objects.filter(kind=Notification.Kind.CERTIFICATE).count() == 2


def _qr_modules(page) -> list[list[int]]:
    """Read the QR image back: 4 px per module, a 2-module quiet zone (as rendered); 1 = dark."""
    (image,) = page.images
    pixels = image.image.convert("L")
    side = pixels.width // 4 - 4
    return [[int(pixels.getpixel(((c + 2) * 4 + 2, (r + 2) * 4 + 2)) < 128) for c in range(side)] for r in range(side)]


def test_pdf_has_the_holder_number_and_a_qr_code(season, settings):
    settings.SITE_URL = "https://portal.example.ru"
    intensive = activity_with_sessions(season, sessions=3, required=3, kind=ActivityKind.INTENSIVE, hours="12")
    (enrollment,) = _teachers(season, intensive, 1)

    certificates_issue(now=NOW)

    certificate = Certificate.objects.get()
    data = certificate.pdf.read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    text = " ".join(page.extract_text().split())
    assert "Смирнова0 Анна Игоревна" in text
    assert "ПП-2026-000001" in text
    assert intensive.title in text
    assert "Н.А. Пожарницкая" in text
    assert f"https://portal.example.ru/verify/{certificate.code}/" in text
    # The QR code is the page's one image and encodes the verification URL: compare it module by module.
    assert _qr_modules(page) == [
        list(row)
        for row in segno.make(
            f"https://portal.example.ru/verify/{certificate.code}/", error="m", mask=QR_MASK, micro=False
        ).matrix
    ]
    assert certificate.title == intensive.title
    assert certificate.hours == 12
    assert certificate.pdf.name == "certificates/2026/ПП-2026-000001.pdf"
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()


def test_batch_renders_each_certificate_into_its_own_file(season):
    webinar = activity_with_sessions(season)
    _teachers(season, webinar, 3)

    certificates_issue(now=NOW)

    for n, certificate in enumerate(Certificate.objects.order_by("sequence")):
        reader = PdfReader(io.BytesIO(certificate.pdf.read()))
        assert len(reader.pages) == 1
        assert f"Смирнова{n} Анна Игоревна" in reader.pages[0].extract_text()


def test_teacher_is_notified_with_an_email(season):
    webinar = activity_with_sessions(season)
    (enrollment,) = _teachers(season, webinar, 1)

    certificates_issue(now=NOW)
    notifications_deliver()  # what the outbox task does after the commit

    certificate = Certificate.objects.get()
    notification = Notification.objects.get(user=enrollment.person.user)
    assert notification.kind == Notification.Kind.CERTIFICATE
    assert notification.dedupe_key == f"certificate:{certificate.pk}"
    assert notification.url.startswith(reverse("cabinet"))
    assert len(mail.outbox) == 1
    assert certificate.number in mail.outbox[0].subject
    assert f"/verify/{certificate.code}/" in mail.outbox[0].body


def test_download_serves_the_stored_bytes_even_after_the_template_changes(season, client, settings, tmp_path):
    webinar = activity_with_sessions(season)
    (enrollment,) = _teachers(season, webinar, 1)
    certificates_issue(now=NOW)
    certificate = Certificate.objects.get()
    stored = certificate.pdf.read()
    client.force_login(enrollment.person.user)

    first = b"".join(client.get(reverse("certificate_download", args=[certificate.pk])).streaming_content)
    override = tmp_path / "templates" / "certificates"
    override.mkdir(parents=True)
    (override / "progressive-teacher.html").write_text("<html><body>другой шаблон</body></html>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]
    second = b"".join(client.get(reverse("certificate_download", args=[certificate.pk])).streaming_content)

    assert first == second == stored


def test_revoked_becomes_owed_again_and_reissue_gives_a_new_number(season):
    webinar = activity_with_sessions(season)
    _teachers(season, webinar, 1)
    certificates_issue(now=NOW)
    old = Certificate.objects.get()
    coordinator = UserFactory(is_staff=True)

    new = certificate_reissue(certificate=old, by=coordinator, reason="Опечатка в фамилии", now=NOW)

    old.refresh_from_db()
    assert old.revoked_at == NOW and old.revoke_reason == "Опечатка в фамилии" and old.revoked_by == coordinator
    assert new.reissue_of == old and new.number == "ПП-2026-000002" and new.pdf and new.pdf_sha256
    assert new.issued_by == coordinator
    assert certificates_issue(now=NOW)["issued"] == 0

    certificate_revoke(certificate=new, by=coordinator, reason="Не посещал", now=NOW)
    assert certificates_issue(now=NOW)["issued"] == 1
    assert Certificate.objects.filter(revoked_at__isnull=True).get().number == "ПП-2026-000003"


def test_revoke_needs_a_reason_and_a_valid_certificate(season):
    from django.core.exceptions import ValidationError

    webinar = activity_with_sessions(season)
    _teachers(season, webinar, 1)
    certificates_issue(now=NOW)
    certificate = Certificate.objects.get()

    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=None, reason="  ")
    certificate_revoke(certificate=certificate, by=None, reason="Ошибка")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, by=None, reason="Ещё раз")


def test_season_certificate_for_a_completed_enrollment(season):
    webinar = activity_with_sessions(season, hours="6")
    (enrollment,) = _teachers(season, webinar, 1)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.COMPLETED)

    certificates_issue(now=NOW, season=season)

    final = Certificate.objects.get(kind=Certificate.Kind.SEASON)
    assert final.hours == 6 and final.activity_id is None
    text = PdfReader(io.BytesIO(final.pdf.read())).pages[0].extract_text()
    assert "завершила программу" in text


@pytest.mark.parametrize("count", [1, 3])
def test_issue_query_count_does_not_grow_with_enrollments(season, count, django_assert_num_queries):
    webinar = activity_with_sessions(season)
    _teachers(season, webinar, count)
    CertificateCounter.objects.create(program=season.program, year=2026)

    with django_assert_num_queries(17):  # 16 + the history rows of the batch (one INSERT)
        certificates_issue(now=NOW)
    assert Certificate.objects.count() == count


@pytest.mark.parametrize("slug", ["progressive-teacher", "methodical-subscription", "pedcluster-27", "another-program"])
def test_every_program_template_gives_one_page_per_certificate(slug):
    season = SeasonFactory(program=ProgramFactory(slug=slug))
    webinar = activity_with_sessions(season, title="Очень длинное название мероприятия " * 6)
    _teachers(season, webinar, 2)

    certificates_issue(now=NOW)

    for certificate in Certificate.objects.all():
        reader = PdfReader(io.BytesIO(certificate.pdf.read()))
        assert len(reader.pages) == 1
        assert certificate.number in reader.pages[0].extract_text()


def test_a_leftover_file_of_a_killed_run_is_overwritten(season):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    webinar = activity_with_sessions(season)
    _teachers(season, webinar, 1)
    name = "certificates/2026/ПП-2026-000001.pdf"
    default_storage.save(name, ContentFile(b"half-written by a killed run"))

    certificates_issue(now=NOW)

    certificate = Certificate.objects.get()
    assert certificate.pdf.name == name
    assert certificate.pdf.read().startswith(b"%PDF")
