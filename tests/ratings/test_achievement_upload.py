"""The proof file is judged by its content, and an oversized one is stopped while it is still arriving."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ratings.achievement_files import PROOF_MAX_BYTES, sniff_proof
from ratings.models import Achievement
from tests.factories import EnrollmentFactory

from .achievement_helpers import JPEG_BYTES, PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)
    return enrollment


def _post(client, enrollment, upload):
    data = {
        "enrollment": enrollment.pk,
        "title": "Диплом регионального конкурса",
        "kind": Achievement.Kind.CONTEST,
        "level": Achievement.Level.REGIONAL,
        "result": "Победитель",
        "happened_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "proof_url": "",
        "proof_file": upload,
    }
    return client.post(reverse("achievement_create"), data)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("head", "kind"), [(PDF_BYTES, "pdf"), (JPEG_BYTES, "jpg"), (PNG_BYTES, "png"), (b"GIF89a", None), (b"", None)]
)
def test_sniff_by_magic_bytes(head, kind):
    assert sniff_proof(head) == kind


def test_a_fake_pdf_named_by_extension_is_refused(client, enrollment, settings):
    fake = SimpleUploadedFile("diploma.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = _post(client, enrollment, fake)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Файл не похож на PDF, JPEG или PNG." in html
    assert 'value="Диплом регионального конкурса"' in html  # nothing typed is lost
    assert not Achievement.objects.exists()
    assert _stored_files(settings) == []


def test_a_real_png_is_accepted(client, enrollment, settings):
    response = _post(client, enrollment, SimpleUploadedFile("scan.PDF", PNG_BYTES, content_type="application/pdf"))
    assert response.status_code == 302
    # The stored name follows the content, not the name the teacher's file had.
    assert Achievement.objects.get().proof_file.name.endswith(".png")
    assert len(_stored_files(settings)) == 1


def test_an_oversized_file_is_stopped_while_uploading(client, enrollment, settings):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * PROOF_MAX_BYTES, content_type="application/pdf")
    response = _post(client, enrollment, big)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Файл больше допустимых 10 МБ; загрузка остановлена." in html
    assert 'value="Победитель"' in html
    assert not Achievement.objects.exists()
    assert _stored_files(settings) == []


def test_a_file_exactly_at_the_limit_is_accepted(client, enrollment):
    exact = SimpleUploadedFile("ok.pdf", b"%PDF-1.7\n".ljust(PROOF_MAX_BYTES, b"0"), content_type="application/pdf")
    assert _post(client, enrollment, exact).status_code == 302
    assert Achievement.objects.get().proof_file.size == PROOF_MAX_BYTES
