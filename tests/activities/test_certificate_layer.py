"""activities.certificates_pdf: each design laid out once, each certificate's own texts drawn into its boxes."""

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from activities import certificates as rendering
from activities.certificates import certificates_for_render, certificates_render
from activities.certificates_pdf import FONT_NAME_IDS, MIN_FONT_POINTS, _font, _font_path, _width, fit, font_program
from activities.models import Certificate
from activities.services_certificates import certificates_issue
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
# The longest realistic ФИО: a double surname, a double first name and a patronymic with «оглы».
LONGEST = ("Римская-Корсакова-Преображенская", "Анастасия-Виктория", "Александровна-Мухаммед-оглы")


def _issue(people, *, slug="pedcluster-27"):
    season = SeasonFactory(program=ProgramFactory(code="ПК", slug=slug))
    activity = activity_with_sessions(season)
    for last_name, first_name, middle_name in people:
        person = PersonFactory(last_name=last_name, first_name=first_name, middle_name=middle_name)
        attend(EnrollmentFactory(season=season, person=person), activity, 1)
    certificates_issue(now=NOW, season=season)
    return certificates_for_render(Certificate.objects.filter(enrollment__season=season).values_list("pk", flat=True))


def _pdftotext(data: bytes) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return PdfReader(io.BytesIO(data)).pages[0].extract_text()


def _design(slug: str):
    (certificate,) = _issue([("Иванова", "Анна", "Игоревна")], slug=slug)
    certificates_render([certificate])
    entries = rendering._designs._entries()
    return next(reversed(entries.values())).design


def test_a_batch_of_one_activity_lays_its_design_out_once_per_wording():
    rendering._designs.clear()
    certificates = _issue(
        [("Иванова", "Анна", "Игоревна"), ("Петрова", "Мария", ""), ("Ли", "Ян", ""), ("Ким", "Саша", "")]
    )

    pdfs = certificates_render(certificates)

    assert len(pdfs) == 4
    # «приняла» (Иванова, Петрова), «принял» (Ли Ян), the neutral wording (Ким Саша): three designs, not four.
    assert len(rendering._designs._entries()) == 3
    # One by one afterwards: the same design, not a new one.
    certificates_render(certificates[:1])
    assert len(rendering._designs._entries()) == 3


@pytest.mark.parametrize("slug", ["pedcluster-27", "progressive-teacher", "methodical-subscription"])
def test_every_design_marks_the_boxes_of_the_personal_fields(slug):
    design = _design(slug)

    assert set(design.boxes) == {"holder", "hours", "issued", "number", "verify", "qr"}
    holder = design.boxes["holder"]
    assert holder.wrap and holder.font.endswith("-Bold.ttf") and holder.size == pytest.approx(26)
    assert 0 < holder.x and holder.x + holder.width < design.width


def test_the_longest_realistic_name_wraps_and_shrinks_inside_its_box():
    box = _design("pedcluster-27").boxes["holder"]
    font = _font(box.font)
    name = " ".join(LONGEST)

    lines, size = fit(name, box, font)

    assert len(lines) == 2 and " ".join(lines) == name
    assert MIN_FONT_POINTS <= size < box.size
    assert all(_width(line, font, size, box.char_space) <= box.width for line in lines)
    # A short name keeps the design's size on one line.
    assert fit("Ли Ян", box, font) == (["Ли Ян"], box.size)


def test_the_holder_the_number_and_the_date_are_real_text_in_the_pdf():
    (certificate,) = _issue([LONGEST])

    data = certificates_render([certificate])[certificate.pk]
    text = " ".join(_pdftotext(data).split())

    assert " ".join(LONGEST) in text
    assert certificate.number in text
    assert "Дата выдачи: 10 марта 2026" in text
    assert certificate.code in text  # the verification link
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert page.mediabox.width == pytest.approx(841.89, abs=0.1)


@pytest.mark.parametrize("file_name", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_the_layers_font_keeps_every_character_and_width_and_drops_the_hinting_and_the_licence(file_name):
    """The face each layer embeds a subset of (font_program): the same characters drawn as wide, without hinting,
    OpenType layout or the name table's long records, which ReportLab would copy into every certificate whole."""
    from fontTools.ttLib import TTFont

    original = TTFont(str(_font_path(file_name)))
    trimmed = TTFont(io.BytesIO(font_program(file_name)))
    cmap, trimmed_cmap = original.getBestCmap(), trimmed.getBestCmap()
    assert trimmed_cmap.keys() == cmap.keys()
    widths, trimmed_widths = original["hmtx"].metrics, trimmed["hmtx"].metrics
    assert all(trimmed_widths[trimmed_cmap[c]][0] == widths[cmap[c]][0] for c in cmap)
    assert not {"fpgm", "prep", "cvt ", "GSUB", "GPOS", "kern"} & set(trimmed.keys())
    assert {record.nameID for record in trimmed["name"].names} <= set(FONT_NAME_IDS)
    assert trimmed["name"].getDebugName(6) == original["name"].getDebugName(6)  # the PostScript name the PDF shows


def test_the_qr_code_decodes_to_the_verification_link_when_zbar_is_installed(settings, tmp_path):
    settings.SITE_URL = "https://portal.example.ru"
    (certificate,) = _issue([("Иванова", "Анна", "Игоревна")])
    data = certificates_render([certificate])[certificate.pk]
    (image,) = PdfReader(io.BytesIO(data)).pages[0].images  # always: the code is an image on the page
    assert image.image.width == image.image.height
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("zbarimg or pdftoppm is not installed: the module matrix is checked in test_certificate_render")
    (tmp_path / "c.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, check=True).stdout.decode()
    assert decoded.strip() == f"https://portal.example.ru/verify/{certificate.code}/"
