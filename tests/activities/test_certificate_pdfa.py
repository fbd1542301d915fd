"""A certificate PDF as handed out: the holder's grammatical gender, a signatory line that does not break, the
document's metadata, PDF/A-3b with a structure tree, and a QR code that outside tools read back.

veraPDF has no Debian or PyPI package, so the PDF/A-3b keys are inspected with pikepdf (qpdf); the page is
rasterised by poppler's pdftoppm, its QR code read by zbarimg (zbar-tools) and its text laid out by pdftotext.
"""

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from django.urls import reverse
from lxml import etree
from pypdf import PdfReader

from activities.certificates import (
    NBSP,
    certificates_for_render,
    certificates_render,
    signatory_size,
    signatory_text,
)
from activities.models import Certificate
from activities.services_certificates import certificates_issue
from participants.models import Person
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, OrganisationFactory, PersonFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 11 March in Khabarovsk (UTC+10)
SIGNATORY = "О.П. Митяшова, и.о. руководителя Управления образования"
LONG_SIGNATORY = (
    "О.П. Митяшова, исполняющая обязанности руководителя Управления образования администрации "
    "Верхнебуреинского муниципального района Хабаровского края, председатель оргкомитета"
)
X = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
needs = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftoppm", "pdftotext", "zbarimg")),
    reason="poppler-utils and zbar-tools (installed by .ci/run)",
)


def _issue(people, *, signatory=SIGNATORY, season_certificate=False, slug="pedcluster-27"):
    organiser = OrganisationFactory(name="Управление образования Верхнебуреинского района")
    season = SeasonFactory(
        program=ProgramFactory(code="ПК", slug=slug, title="Педкластер 27", organiser=organiser),
        certificate_signatory=signatory,
        time_zone="Asia/Vladivostok",
    )
    activity = activity_with_sessions(season, title="Вебинар о формирующем оценивании")
    for last_name, first_name, middle_name, gender in people:
        person = PersonFactory(last_name=last_name, first_name=first_name, middle_name=middle_name, gender=gender)
        enrollment = EnrollmentFactory(season=season, person=person)
        attend(enrollment, activity, 1)
        if season_certificate:
            enrollment.status = enrollment.Status.COMPLETED
            enrollment.save(update_fields=["status"])
    season.issue_final_certificate = season_certificate
    season.save(update_fields=["issue_final_certificate"])
    certificates_issue(now=NOW, season=season)
    pks = Certificate.objects.filter(enrollment__season=season).values_list("pk", flat=True)
    return certificates_for_render(pks)


def _text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


# --- 1. Grammatical gender ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "wording"),
    [
        (("Смирнов", "Олег", "Петрович", ""), "принял участие в мероприятии"),
        (("Смирнова", "Ольга", "Петровна", ""), "приняла участие в мероприятии"),
        (("Ким", "Саша", "", ""), "является участником мероприятия"),
        (("Ким", "Саша", "", Person.Gender.FEMALE), "приняла участие в мероприятии"),
        (("Ким", "Никита", "", ""), "принял участие в мероприятии"),
    ],
)
def test_the_activity_sentence_agrees_with_the_holder(person, wording):
    (certificate,) = _issue([person])

    text = _text(certificate.pdf.read())

    assert f"{wording} «Вебинар о формирующем оценивании»" in text
    assert "(а)" not in text
    others = {"принял участие", "приняла участие", "является участником"} - {" ".join(wording.split()[:2])}
    assert not any(other in text for other in others)


@pytest.mark.parametrize(
    ("person", "wording"),
    [
        (("Смирнов", "Олег", "Петрович", ""), "завершил программу «Педкластер 27»"),
        (("Смирнова", "Ольга", "Петровна", ""), "завершила программу «Педкластер 27»"),
        (("Ким", "Женя", "", ""), "является участником, завершившим программу «Педкластер 27»"),
    ],
)
def test_the_season_sentence_agrees_with_the_holder(person, wording):
    certificates = _issue([person], season_certificate=True)
    (final,) = [c for c in certificates if c.kind == Certificate.Kind.SEASON]

    text = _text(final.pdf.read())

    assert wording in text and "(а)" not in text


# --- 2. The signatory ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("О.П. Митяшова, и.о. руководителя", f"О.П.{NBSP}Митяшова, и.о. руководителя"),
        ("О. П.  Митяшова", f"О.{NBSP}П.{NBSP}Митяшова"),
        ("Митяшова О. П., и.о. руководителя", f"Митяшова{NBSP}О.{NBSP}П., и.о. руководителя"),
        ("Митяшова О.П. и.о. руководителя", f"Митяшова{NBSP}О.П. и.о. руководителя"),
        ("Н.А. Салтыкова-Щедрина", f"Н.А.{NBSP}Салтыкова-Щедрина"),
        ("Управление образования", "Управление образования"),
    ],
)
def test_initials_and_surname_are_joined_by_non_breaking_spaces(typed, expected):
    assert signatory_text(typed) == expected


def test_a_longer_signatory_takes_a_smaller_size():
    assert signatory_size(SIGNATORY) == "10.5pt"
    assert signatory_size(LONG_SIGNATORY) == "8pt"


def _lines(data: bytes, tmp_path: Path) -> list[str]:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return [" ".join(line.replace(NBSP, " ").split()) for line in text.splitlines()]


@needs
@pytest.mark.parametrize("signatory", [SIGNATORY, LONG_SIGNATORY, "Митяшова О. П., " + "и.о. руководителя " * 8])
def test_the_signatory_name_stays_on_one_line_and_inside_the_footer(signatory, tmp_path):
    (certificate,) = _issue([("Смирнова", "Ольга", "Петровна", "")], signatory=signatory)

    lines = _lines(certificate.pdf.read(), tmp_path)

    name = "О.П. Митяшова" if signatory.startswith("О.") else "Митяшова О. П."
    assert any(name in line for line in lines), lines
    # The block wraps between words: every word of the signatory is whole on some line.
    words = " ".join(lines)
    assert all(word in words for word in signatory.split())
    # Below the hours line, as laid out: the block grew upwards into the footer, not over the texts above it.
    first = next(index for index, line in enumerate(lines) if signatory.split()[0] in line)
    hours = next(index for index, line in enumerate(lines) if "Объём:" in line)
    assert hours < first


def test_a_long_signatory_block_stays_inside_the_footer():
    from weasyprint import HTML

    from activities import certificates as rendering
    from activities.certificates_pdf import _boxes

    (certificate,) = _issue([("Смирнова", "Ольга", "Петровна", "")], signatory=LONG_SIGNATORY)
    template = rendering._template_for(certificate.enrollment.season.program)
    html = rendering.render_to_string(template, rendering._design_context(certificate))

    page = HTML(string=html).render().pages[0]
    boxes = {}
    for box in _boxes(page._page_box):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        for name in ("footer", "signature", "hours"):
            if name in classes and name not in boxes:
                boxes[name] = box
    footer, signature, hours = boxes["footer"], boxes["signature"], boxes["hours"]
    assert signature.position_y >= footer.position_y - 0.01
    assert signature.position_y + signature.margin_height() <= footer.position_y + footer.margin_height() + 0.01
    assert hours.position_y + hours.margin_height() <= signature.position_y


# --- 3. Metadata ---------------------------------------------------------------------------------------------


def _xmp(pdf) -> etree._Element:
    return etree.fromstring(pdf.Root.Metadata.read_bytes())


def _xmp_text(root, path: str) -> list[str]:
    namespaces = {
        "rdf": X,
        "dc": "http://purl.org/dc/elements/1.1/",
        "xmp": "http://ns.adobe.com/xap/1.0/",
        "pdf": "http://ns.adobe.com/pdf/1.3/",
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    }
    return [node.text for node in root.iterfind(path, namespaces)]


def test_the_pdf_says_what_it_is_who_issued_it_and_when():
    (certificate,) = _issue([("Смирнова", "Ольга", "Петровна", "")])
    title = f"Сертификат № {certificate.number} — Смирнова Ольга Петровна"
    subject = "Педкластер 27: Вебинар о формирующем оценивании"

    with pikepdf.open(io.BytesIO(certificate.pdf.read())) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == title
        assert str(info.Author) == "Управление образования Верхнебуреинского района"
        assert str(info.Subject) == subject
        assert str(info.CreationDate) == str(info.ModDate) == "D:20260311093000+10'00'"
        assert str(pdf.Root.Lang) == "ru"
        xmp = _xmp(pdf)
        assert _xmp_text(xmp, ".//dc:title/rdf:Alt/rdf:li") == [title]
        assert _xmp_text(xmp, ".//dc:creator/rdf:Seq/rdf:li") == [str(info.Author)]
        assert _xmp_text(xmp, ".//dc:description/rdf:Alt/rdf:li") == [subject]
        assert _xmp_text(xmp, ".//dc:language/rdf:Bag/rdf:li") == ["ru"]
        assert _xmp_text(xmp, ".//xmp:CreateDate") == ["2026-03-11T09:30:00+10:00"]
        assert _xmp_text(xmp, ".//pdf:Producer") == [str(info.Producer)]


def test_a_certificate_renders_to_the_same_bytes_again_and_as_stored():
    certificates = _issue([("Смирнова", "Ольга", "Петровна", ""), ("Смирнов", "Олег", "Петрович", "")])

    first = certificates_render(certificates)
    again = certificates_render(certificates[::-1])

    for certificate in certificates:
        with certificate.pdf.open("rb") as stored:
            assert first[certificate.pk] == again[certificate.pk] == stored.read()
    assert first[certificates[0].pk] != first[certificates[1].pk]


# --- 4. PDF/A-3b and tags ------------------------------------------------------------------------------------


def _forms_and_fonts(resources):
    """Every font dictionary under a page's resources, form XObjects' (the personal layer) included."""
    yield from (resources.get("/Font") or {}).values()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _forms_and_fonts(xobject.Resources)


def _descriptor(font):
    if "/DescendantFonts" in font:
        return font.DescendantFonts[0].FontDescriptor
    return font.FontDescriptor


def test_the_certificate_is_pdf_a_3b():
    (certificate,) = _issue([("Смирнова", "Ольга", "Петровна", "")])

    with pikepdf.open(io.BytesIO(certificate.pdf.read())) as pdf:
        assert pdf.pdf_version >= "1.4"
        assert not pdf.is_encrypted
        xmp = _xmp(pdf)
        assert _xmp_text(xmp, ".//pdfaid:part") == ["3"] and _xmp_text(xmp, ".//pdfaid:conformance") == ["B"]
        assert "/Filter" not in pdf.Root.Metadata  # the XMP stays readable without a PDF reader
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[36:40] == b"acsp" and profile[16:20] == b"RGB "  # an ICC profile of an RGB space
        assert len(pdf.trailer.ID) == 2
        page = pdf.pages[0]
        fonts = list(_forms_and_fonts(page.Resources))
        assert len(fonts) == 4
        for font in fonts:
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(_descriptor(font).keys()), font.BaseFont
        # No transparency: no soft masks, no transparency groups, no constant alpha below 1.
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert "/SMask" not in obj or obj.SMask == "/None"
                group = obj.get("/Group")
                assert group is None or group.get("/S") != "/Transparency"
                for key in ("/CA", "/ca"):
                    assert key not in obj or float(obj[key]) == 1


def _kids(element) -> list:
    kids = element.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(element):
    """Every structure element under `element`, in document order."""
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", "/StructElem") == "/StructElem" and "/S" in kid:
            yield kid
            yield from _elements(kid)


@pytest.mark.parametrize("slug", ["pedcluster-27", "progressive-teacher", "methodical-subscription"])
def test_the_personal_texts_are_in_the_structure_tree(slug):
    (certificate,) = _issue([("Смирнова", "Ольга", "Петровна", "")], slug=slug)

    with pikepdf.open(io.BytesIO(certificate.pdf.read())) as pdf:
        assert pdf.Root.MarkInfo.Marked
        root = pdf.Root.StructTreeRoot
        page = pdf.pages[0]
        layer = [e for e in _elements(root) if any("/Stm" in k for k in _kids(e) if isinstance(k, pikepdf.Dictionary))]
        assert [str(e.S) for e in layer] == ["/P"] * 5 + ["/Figure"]
        assert all(len(e.K) == 1 for e in layer)  # the field's text and nothing else
        form = layer[0].K[0].Stm
        assert all(e.K[0].Stm.objgen == form.objgen and e.K[0].Pg.objgen == page.objgen for e in layer)
        assert [int(e.K[0].MCID) for e in layer] == list(range(6))
        assert f"/verify/{certificate.code}/" in str(layer[-1].Alt)
        # In reading order: each text fills its field's box element where the design has it, the holder's name
        # after the title and «подтверждает, что», not at the end of the document.
        holder = layer[0]
        siblings = list(holder.P.K)
        position = [s.objgen for s in siblings].index(holder.objgen)
        assert [str(s.S) for s in siblings[:position]][-3:] == ["/P", "/H1", "/P"]
        assert position < len(siblings) - 3
        # The parent tree maps the form's StructParents to the elements, MCID by MCID.
        nums = root.ParentTree.Nums
        entries = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert [e.objgen for e in entries[int(form.StructParents)]] == [e.objgen for e in layer]
        assert int(root.ParentTreeNextKey) == max(entries) + 1
        # The form's content marks each field with its MCID around the field's text.
        content = form.read_bytes().decode("latin-1")
        marks = re.findall(r"/(P|Figure) <</MCID (\d+)>> BDC", content)
        assert marks == [("P", str(n)) for n in range(5)] + [("Figure", "5")]
        assert content.count("BDC") == content.count("EMC") == 6


# --- 5. The QR code, read back -------------------------------------------------------------------------------


@needs
def test_the_qr_code_read_back_leads_to_this_certificate(client, settings, tmp_path):
    settings.SITE_URL = "http://testserver"
    certificates = _issue([("Смирнова", "Ольга", "Петровна", ""), ("Смирнов", "Олег", "Петрович", "")])
    certificate = certificates[0]
    data = certificate.pdf.read()
    source = tmp_path / "certificate.pdf"
    source.write_bytes(data)

    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "page")], check=True, timeout=60
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "page.png")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()

    assert len(scanned) == 1
    (url,) = scanned
    assert url == f"http://testserver{reverse('certificate_verify', args=[certificate.code])}"
    # The link printed under the code is the code's own.
    assert f"Проверить: {url}" in _text(data)
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.number in html and certificates[1].number not in html
