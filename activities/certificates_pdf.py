"""Certificate PDFs as a design drawn once and a personal layer per certificate.

WeasyPrint lays out the design of a program's certificate once per activity or season: background, frame, the
program, the texts and the signatory. The template marks the boxes of the personal fields (`data-field`): the
holder's name, the hours, the date of issue, the number, the verification link and the QR code. Each certificate
is then that page with a small text layer drawn by ReportLab into those boxes — in each box's font, size, colour
and alignment, real text with the font's subset embedded — merged by pikepdf (qpdf) into a one-page PDF of its own.

The result is PDF/A-3b and tagged: the design is written by WeasyPrint as PDF/A-3b with its structure tree, the
layer's texts are marked content of their own structure elements (the QR code a figure with its link as the
alternative text), and the document's metadata (title, author, subject, language, the date of issue) is written
to both the information dictionary and the XMP packet. Nothing depends on the moment of rendering: the same
certificate renders to the same bytes.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

PX = 0.75  # points in a CSS pixel
MIN_FONT_POINTS = 8.0  # a name never shrinks below this (it wraps first)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
DESIGN_CACHE = 32  # designs kept between calls (a design is a few kilobytes)
PDF_VARIANT = "pdf/a-3b"  # an archival PDF: fonts embedded, colours defined by the sRGB output intent
LANGUAGE = "ru"


@dataclass(frozen=True)
class Box:
    """A personal field's box on the design page (points, origin at the bottom left as in PDF) and its type."""

    x: float
    y: float  # the box's bottom
    width: float
    height: float
    font: str  # a file name of the family's face, e.g. DejaVuSerif-Bold.ttf
    size: float  # points
    color: tuple[float, float, float]
    align: str  # left | center | right
    char_space: float  # points
    wrap: bool  # several lines allowed (the holder's name)


@dataclass(frozen=True)
class Design:
    """A rendered design: the one-page PDF without personal fields, and the boxes to draw them into."""

    pdf: bytes
    width: float
    height: float
    boxes: dict[str, Box]
    # The structure element of each field's (empty) box in the design's tagged PDF, as (object, generation): the
    # layer's text becomes its content, so a screen reader reads the holder's name after «подтверждает, что».
    slots: dict[str, tuple[int, int]] = dataclass_field(default_factory=dict)


def _font_file(family: str, bold: bool) -> str:
    stem = family.replace(" ", "")
    return f"{stem}-Bold.ttf" if bold else f"{stem}.ttf"


@cache
def _font_path(file_name: str) -> Path:
    for folder in FONT_DIRS:
        for path in folder.rglob(file_name) if folder.is_dir() else ():
            return path
    raise RuntimeError(f"certificate font {file_name} is not installed (fonts-dejavu-core)")


_register_lock = threading.Lock()
# The name records a layer's font keeps: copyright, family, style, unique name, full name, version, PostScript name —
# fontTools' default, as in the subsets WeasyPrint embeds in the design.
FONT_NAME_IDS = (0, 1, 2, 3, 4, 5, 6)


def font_program(file_name: str) -> bytes:
    """The face as each layer embeds its subset of it: every glyph with its metrics and character map, without what
    a PDF never uses — hinting, OpenType layout (ReportLab draws without it) and the name table's long records (the
    whole licence, 15 KB of DejaVu's). ReportLab copies the name table and the hinting into every subset whole, and
    compresses them again for every certificate: a quarter of a layer's time and a third of each PDF's size.
    Made once per process by fontTools (WeasyPrint's own subsetter; ~0.7 s a face)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    face = TTFont(str(_font_path(file_name)))
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = list(FONT_NAME_IDS)
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "MATH", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=face.getBestCmap())
    subsetter.subset(face)
    data = io.BytesIO()
    face.save(data)
    return data.getvalue()


def _font(file_name: str) -> str:
    """The ReportLab name of a TrueType face (font_program), registered once (embedded as a subset in each PDF)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = file_name.removesuffix(".ttf")
    with _register_lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            program = io.BytesIO(font_program(file_name))
            program.name = file_name  # what ReportLab names the file in its errors
            pdfmetrics.registerFont(TTFont(name, program))
    return name


def _boxes(root):
    """Every box of a laid-out page, those positioned absolutely (WeasyPrint's placeholders) included."""
    stack = [root]
    while stack:
        box = stack.pop()
        box = getattr(box, "_box", box)  # an AbsolutePlaceholder stands for the positioned box
        yield box
        stack.extend(reversed(getattr(box, "children", ())))


def design_from_document(document) -> Design:
    """The design of a rendered one-page WeasyPrint document: its PDF and its `data-field` boxes."""
    (page,) = document.pages
    height = page.height * PX
    boxes: dict[str, Box] = {}
    tags: list[tuple[str, str]] = []  # (field, HTML tag) in document order
    for box in _boxes(page._page_box):
        element = getattr(box, "element", None)
        field = element.get("data-field") if element is not None else None
        if not field or field in boxes:
            continue
        style = box.style
        family = style["font_family"][0]
        color = style["color"].to("srgb").coordinates
        align = str(style["text_align_all"])
        align = {"start": "left", "end": "right", "justify": "left"}.get(align, align)
        spacing = style["letter_spacing"]
        tags.append((field, element.tag))
        boxes[field] = Box(
            x=box.content_box_x() * PX,
            y=height - (box.content_box_y() + box.height) * PX,
            width=box.width * PX,
            height=box.height * PX,
            font=_font_file(family, style["font_weight"] >= 600),
            size=style["font_size"] * PX,
            color=tuple(float(c) for c in color),
            align=align,
            char_space=0.0 if spacing == "normal" else float(spacing) * PX,
            wrap=element.get("data-wrap") is not None,
        )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return Design(pdf=pdf, width=page.width * PX, height=height, boxes=boxes, slots=_field_slots(pdf, tags))


STRUCTURE_TYPES = {"p": "/P", "div": "/Div"}


def _field_slots(pdf_bytes: bytes, tags: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """The structure elements WeasyPrint wrote for the fields' empty boxes: the empty elements of the tree, in
    document order, matched to the fields in document order by type. If they cannot all be matched (a template
    with another shape), none is, and the layer's elements go to the end of the document instead."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        empty = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            if not kids and element.get("/S") in STRUCTURE_TYPES.values() and element.is_indirect:
                empty.append(element)
            stack.extend(kid for kid in reversed(kids) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
        slots: dict[str, tuple[int, int]] = {}
        position = 0
        for field, tag in tags:
            wanted = STRUCTURE_TYPES.get(tag)
            while position < len(empty) and empty[position].get("/S") != wanted:
                position += 1
            if position == len(empty):
                return {}
            slots[field] = empty[position].objgen
            position += 1
        return slots


def _width(text: str, font: str, size: float, char_space: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size) + char_space * max(len(text) - 1, 0)


def _two_lines(words: list[str]) -> list[str]:
    """The most even split of the words into two lines (a name's surname on the first line, as typed)."""
    best, cut = None, 1
    for index in range(1, len(words)):
        first, second = " ".join(words[:index]), " ".join(words[index:])
        longest = max(len(first), len(second))
        if best is None or longest < best:
            best, cut = longest, index
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def fit(text: str, box: Box, font: str) -> tuple[list[str], float]:
    """The lines and the font size the text takes in its box: one line at the design's size if it fits; else (a
    wrapping box) two lines; else smaller until it fits, never below MIN_FONT_POINTS (then a long word is split)."""
    words = text.split()
    size = box.size
    candidates = [[text]]
    if box.wrap and len(words) > 1:
        candidates.append(_two_lines(words))
    while True:
        for lines in candidates:
            line_height = size * _line_factor(font)
            fits_across = all(_width(line, font, size, box.char_space) <= box.width for line in lines)
            if fits_across and len(lines) * line_height <= box.height + 0.01:
                return lines, size
        if size <= MIN_FONT_POINTS:
            return _hard_wrap(candidates[-1], box, font, size), size
        size = max(MIN_FONT_POINTS, size * 0.92)


def _hard_wrap(lines: list[str], box: Box, font: str, size: float) -> list[str]:
    """Lines cut at the box's width, character by character (a single word longer than the box)."""
    result: list[str] = []
    for line in lines:
        current = ""
        for char in line:
            if current and _width(current + char, font, size, box.char_space) > box.width:
                result.append(current)
                current = char.lstrip()
            else:
                current += char
        result.append(current)
    return result


@cache
def _line_factor(font: str) -> float:
    """CSS's `line-height: normal` of the face: its ascent plus descent, in font sizes."""
    ascent, descent = _metrics(font)
    return ascent - descent


@cache
def _metrics(font: str) -> tuple[float, float]:
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getFont(font).face
    return face.ascent / 1000, face.descent / 1000


def _draw_text(canvas, box: Box, text: str) -> None:
    if not text:
        return
    font = _font(box.font)
    lines, size = fit(text, box, font)
    ascent, descent = _metrics(font)
    line_height = size * (ascent - descent)
    # The lines centred in the box's height, as a fixed-height block holding one line lays its text out.
    top = box.y + box.height - max(0.0, (box.height - line_height * len(lines)) / 2)
    canvas.setFillColorRGB(*box.color)
    for index, line in enumerate(lines):
        baseline = top - index * line_height - ascent * size
        width = _width(line, font, size, box.char_space)
        if box.align == "center":
            x = box.x + (box.width - width) / 2
        elif box.align == "right":
            x = box.x + box.width - width
        else:
            x = box.x
        text_object = canvas.beginText(x, baseline)
        text_object.setFont(font, size)
        if box.char_space:
            text_object.setCharSpace(box.char_space)
        text_object.textLine(line)
        canvas.drawText(text_object)


def tagged_fields(design: Design, texts: dict[str, str], *, qr: bool) -> list[tuple[str, str]]:
    """The fields the layer draws, in drawing order, with the structure type of each: (field, "P" | "Figure")."""
    fields = [(field, "P") for field, text in texts.items() if text and field in design.boxes and field != "qr"]
    if qr and "qr" in design.boxes:
        fields.append(("qr", "Figure"))
    return fields


@dataclass(frozen=True)
class DocumentInfo:
    """What the merged PDF says about itself (docinfo and XMP); `created` is the certificate's issue moment, so
    a certificate rendered again is the same file."""

    title: str
    author: str
    subject: str
    created: datetime  # aware, in the issuing season's time zone
    qr_text: str = ""  # the QR figure's alternative text


def _pdf_date(moment: datetime) -> str:
    offset = moment.strftime("%z") or "+0000"
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{offset[0]}{offset[1:3]}'{offset[3:5]}'"


def _xmp(info: DocumentInfo, producer: str) -> bytes:
    """The PDF/A-3b XMP packet, with the same values as the information dictionary (ISO 19005-3, 6.6.2.3)."""
    moment = info.created.isoformat(timespec="seconds")

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt>'

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        f"<dc:title>{alt(info.title)}</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:description>{alt(info.subject)}</dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language></rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreateDate>{moment}</xmp:CreateDate><xmp:ModifyDate>{moment}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{moment}</xmp:MetadataDate></rdf:Description>\n"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{escape(producer)}</pdf:Producer></rdf:Description>\n"
        "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()


def overlay(design: Design, texts: dict[str, str], qr_image=None) -> bytes:
    """The personal layer of one certificate: each text in its field's box, the QR image in the `qr` box."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    data = io.BytesIO()
    # The initial font is one of ours: ReportLab's default (Helvetica) would be listed, unembedded, in the page.
    initial = _font(next(iter(design.boxes.values())).font) if design.boxes else None
    canvas = Canvas(
        data,
        pagesize=(design.width, design.height),
        pageCompression=1,
        invariant=1,
        initialFontName=initial,
    )
    # Each field a marked-content sequence of its own: `Base.merge` makes the structure elements they belong to.
    tagged = tagged_fields(design, texts, qr=qr_image is not None)
    for mcid, (field, _kind) in enumerate(tagged):
        box = design.boxes[field]
        canvas.addLiteral(f"/{'Figure' if field == 'qr' else 'P'} <</MCID {mcid}>> BDC")
        if field == "qr":
            canvas.drawImage(ImageReader(qr_image), box.x, box.y, box.width, box.height)
        else:
            _draw_text(canvas, box, texts[field])
        canvas.addLiteral("EMC")
    canvas.showPage()
    canvas.save()
    return data.getvalue()


LAYER = "/Personal"  # the personal layer's form XObject on the page


class _Base:
    """A design rendered once: each certificate is a copy of its PDF with the certificate's layer over the page."""

    def __init__(self, design: Design):
        import pikepdf

        self.design = design
        with pikepdf.open(io.BytesIO(design.pdf)) as pdf:
            self.producer = str(pdf.docinfo.get("/Producer", ""))

    def merge(self, layer: bytes, info: DocumentInfo, fields: list[tuple[str, str]]) -> bytes:
        """One PDF/A-3b: the design's page with the layer drawn over it (a form XObject, by qpdf), the layer's
        fields added to the structure tree, and the document's metadata."""
        import pikepdf

        with pikepdf.open(io.BytesIO(self.design.pdf)) as out, pikepdf.open(io.BytesIO(layer)) as top:
            page = out.pages[0]
            # As Page.add_overlay does, but under a fixed name (add_overlay picks a random one: another file each time).
            form = out.copy_foreign(top.pages[0].as_form_xobject())
            page.add_resource(form, pikepdf.Name.XObject, name=pikepdf.Name(LAYER))
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ\nq " + LAYER.encode() + b" Do Q\n")
            _tag_layer(out, page, page.Resources.XObject[LAYER], fields, info, self.design.slots)
            out.Root.Lang = pikepdf.String(LANGUAGE)
            out.Root.Metadata = out.make_stream(_xmp(info, self.producer), Type=pikepdf.Name.Metadata)
            out.Root.Metadata.Subtype = pikepdf.Name.XML
            docinfo = out.make_indirect(
                pikepdf.Dictionary(
                    Title=pikepdf.String(info.title),
                    Author=pikepdf.String(info.author),
                    Subject=pikepdf.String(info.subject),
                    Producer=pikepdf.String(self.producer),
                    CreationDate=pikepdf.String(_pdf_date(info.created)),
                    ModDate=pikepdf.String(_pdf_date(info.created)),
                )
            )
            out.trailer.Info = docinfo
            data = io.BytesIO()
            out.save(
                data,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                compress_streams=False,
                deterministic_id=True,
            )
        return data.getvalue()


def _tag_layer(pdf, page, form, fields: list[tuple[str, str]], info: DocumentInfo, slots) -> None:
    """The layer's marked-content sequences (MCID 0, 1, … in the form XObject, see `overlay`) as the content of
    their fields' structure elements (`Design.slots`: where the design has the field's box, so in reading order);
    a paragraph per text, the QR code a figure with the link as its alternative text. Without slots, new
    elements at the end of the document's element."""
    import pikepdf

    root = pdf.Root.StructTreeRoot
    document = None
    nums = root.ParentTree.Nums
    key = int(root.get("/ParentTreeNextKey", max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1))
    elements = []
    for mcid, (field, kind) in enumerate(fields):
        content = pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=mcid, Pg=page.obj, Stm=form)
        if field in slots:
            element = pdf.get_object(slots[field])
            element.S = pikepdf.Name("/" + kind)
            element.Pg = page.obj
            element.K = pikepdf.Array([content])
        else:
            if document is None:
                kids = root.K
                document = kids[0] if isinstance(kids, pikepdf.Array) else kids
                if not isinstance(document.get("/K"), pikepdf.Array):
                    document.K = pikepdf.Array([document.K] if "/K" in document else [])
            element = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem,
                    S=pikepdf.Name("/" + kind),
                    P=document,
                    Pg=page.obj,
                    K=pikepdf.Array([content]),
                )
            )
            document.K.append(element)
        if kind == "Figure":
            element.Alt = pikepdf.String(info.qr_text)
        elements.append(element)
    form.StructParents = key
    nums.append(key)
    nums.append(pikepdf.Array(elements))
    root.ParentTreeNextKey = key + 1


class DesignCache:
    """The last designs rendered in this thread, by their HTML: a design renders once however its certificates
    are issued (a batch or one by one). A changed template or text is another HTML, so another design; a stored
    PDF is never drawn again."""

    def __init__(self, size: int = DESIGN_CACHE):
        self.size = size
        self.local = threading.local()

    def _entries(self) -> OrderedDict:
        entries = getattr(self.local, "entries", None)
        if entries is None:
            entries = self.local.entries = OrderedDict()
        return entries

    def get(self, html: str, render) -> _Base:
        entries = self._entries()
        base = entries.get(html)
        if base is None:
            base = entries[html] = _Base(design_from_document(render(html)))
            while len(entries) > self.size:
                entries.popitem(last=False)
        else:
            entries.move_to_end(html)
        return base

    def clear(self) -> None:
        self._entries().clear()
