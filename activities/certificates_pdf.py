"""Certificate PDFs as a design drawn once and a personal layer per certificate.

WeasyPrint lays out the design of a program's certificate once per activity or season: background, frame, the
program, the texts and the signatory. The template marks the boxes of the personal fields (`data-field`): the
holder's name, the hours, the date of issue, the number, the verification link and the QR code. Each certificate
is then that page with a small text layer drawn by ReportLab into those boxes — in each box's font, size, colour
and alignment, real text with the font's subset embedded — merged by pikepdf (qpdf) into a one-page PDF of its own.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PX = 0.75  # points in a CSS pixel
MIN_FONT_POINTS = 8.0  # a name never shrinks below this (it wraps first)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
DESIGN_CACHE = 32  # designs kept between calls (a design is a few kilobytes)


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


def _font(file_name: str) -> str:
    """The ReportLab name of a TrueType face, registered once (embedded as a subset in each PDF)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = file_name.removesuffix(".ttf")
    with _register_lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(_font_path(file_name))))
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
    return Design(pdf=document.write_pdf(), width=page.width * PX, height=height, boxes=boxes)


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
    for field, text in texts.items():
        box = design.boxes.get(field)
        if box is not None:
            _draw_text(canvas, box, text)
    box = design.boxes.get("qr")
    if qr_image is not None and box is not None:
        canvas.drawImage(ImageReader(qr_image), box.x, box.y, box.width, box.height)
    canvas.showPage()
    canvas.save()
    return data.getvalue()


class _Base:
    """A design opened once: its page is copied under each certificate's layer."""

    def __init__(self, design: Design):
        import pikepdf

        self.design = design
        self.pdf = pikepdf.open(io.BytesIO(design.pdf))

    def merge(self, layer: bytes) -> bytes:
        """One PDF: the design's page with the layer drawn over it (the layer as a form XObject, by qpdf)."""
        import pikepdf

        out = pikepdf.new()
        out.pages.append(self.pdf.pages[0])
        with pikepdf.open(io.BytesIO(layer)) as top:
            out.pages[0].add_overlay(top.pages[0])
            for key, value in self.pdf.docinfo.items():
                out.docinfo[key] = value
            data = io.BytesIO()
            out.save(data, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
        return data.getvalue()


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
