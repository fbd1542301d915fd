"""activities.certificates.certificates_render: a design laid out once, one PDF per certificate."""

import gc
import io
from datetime import UTC, datetime

import pytest
import segno
from pypdf import PdfReader

from activities.certificates import QR_MASK, QR_SCALE, certificates_for_render, certificates_render
from activities.models import Certificate
from activities.services_certificates import certificates_issue
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
PEOPLE = [("Иванова", "Анна"), ("Петрова", "Мария"), ("Сидорова", "Елена")]


def _issue(people, *, slug="progressive-teacher", code="ПП"):
    season = SeasonFactory(program=ProgramFactory(code=code, slug=slug))
    activity = activity_with_sessions(season)
    for last_name, first_name in people:
        person = PersonFactory(last_name=last_name, first_name=first_name, middle_name="Игоревна")
        attend(EnrollmentFactory(season=season, person=person), activity, 1)
    certificates_issue(now=NOW, season=season)
    return certificates_for_render(Certificate.objects.filter(enrollment__season=season).values_list("pk", flat=True))


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_a_batch_gives_one_pdf_per_certificate_with_only_its_holder():
    certificates = _issue(PEOPLE)

    pdfs = certificates_render(certificates)

    assert len(pdfs) == len(certificates) == 3
    assert set(pdfs) == {certificate.pk for certificate in certificates}
    for certificate in certificates:
        text = _text(pdfs[certificate.pk])
        assert certificate.enrollment.person.full_name in text
        assert certificate.number in text
        for other in certificates:
            if other.pk != certificate.pk:
                assert other.enrollment.person.last_name not in text
                assert other.number not in text
                assert other.code not in text


def test_the_stored_files_of_a_batch_hold_their_own_holder():
    certificates = _issue(PEOPLE)

    assert len({certificate.pdf.name for certificate in certificates}) == 3
    for certificate in certificates:
        certificate.refresh_from_db()
        text = _text(certificate.pdf.read())
        assert certificate.enrollment.person.full_name in text and certificate.number in text
        assert sum(last_name in text for last_name, _first in PEOPLE) == 1


def _fonts(resources):
    """Every font of a page's resources, those of its form XObjects (the personal layer) included."""
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts(xobject["/Resources"].get_object())


def test_each_pdf_embeds_its_own_font_subsets():
    certificates = _issue(PEOPLE[:2])

    for data in certificates_render(certificates).values():
        page = PdfReader(io.BytesIO(data)).pages[0]
        fonts = list(_fonts(page["/Resources"]))
        assert len(fonts) == 4  # the design's two faces and the layer's two (the holder bold, the rest regular)
        for font in fonts:
            assert "+" in font["/BaseFont"]  # a subset tag: only the glyphs used
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            else:
                descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
        assert len(data) < 100_000  # four subsets, never a whole font (DejaVu Serif alone is 380 KB)


def test_qr_code_encodes_the_verification_url(settings):
    settings.SITE_URL = "https://portal.example.ru"
    (certificate,) = _issue(PEOPLE[:1])

    page = PdfReader(io.BytesIO(certificates_render([certificate])[certificate.pk])).pages[0]

    (image,) = page.images
    pixels = image.image.convert("L")
    expected = segno.make(
        f"https://portal.example.ru/verify/{certificate.code}/", error="m", mask=QR_MASK, micro=False
    ).matrix
    side = len(expected)
    assert pixels.width == pixels.height == (side + 4) * QR_SCALE
    modules = [
        [int(pixels.getpixel(((c + 2) * QR_SCALE + 1, (r + 2) * QR_SCALE + 1)) < 128) for c in range(side)]
        for r in range(side)
    ]
    assert modules == [list(row) for row in expected]


def test_one_by_one_gives_the_same_text_as_the_batch():
    certificates = _issue(PEOPLE)

    batch = certificates_render(certificates)

    for certificate in certificates:
        alone = certificates_render([certificate])
        assert list(alone) == [certificate.pk]
        assert _text(alone[certificate.pk]) == _text(batch[certificate.pk])


def test_a_mixed_batch_keeps_each_program_design():
    first = _issue(PEOPLE[:2], slug="pedcluster-27", code="ПК")
    second = _issue(PEOPLE[2:], slug="progressive-teacher", code="ПП")

    pdfs = certificates_render([first[0], second[0], first[1]])

    assert len(pdfs) == 3
    for certificate in (*first, second[0]):
        text = _text(pdfs[certificate.pk])
        assert certificate.number in text and certificate.enrollment.person.full_name in text
        assert certificate.program.title.upper() in text  # the program line is set in capitals
    # «Педкластер 27» draws its burgundy band (#7b2d3b); «Прогрессивный педагог» has none.
    band = b"0.482353 0.176471 0.231373 rg"
    contents = {pk: PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data() for pk, data in pdfs.items()}
    assert band in contents[first[0].pk] and band in contents[first[1].pk]
    assert band not in contents[second[0].pk]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(enabled):
    certificates = _issue(PEOPLE[:1])
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        certificates_render(certificates)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
