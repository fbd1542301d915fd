"""Uploaded video lessons: tell MP4, MOV and WebM apart by their first bytes, never by the file's name.

Pure Python: no database, no ffmpeg. Only the head of the file is read, so a 2 GB upload costs 4 KB here.
"""

import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import GB, KB, MB, format_size_limit  # noqa: F401  (the names callers import from here)

HEAD_BYTES = 4096

ACCEPTED_FORMATS_HELP = _("Принимаются видеофайлы MP4, WebM и MOV.")

# Executables, scripts, archives and documents: refused first, even when a crafted file also carries a
# video signature further on (an "MZ" header leaves room for "ftyp" at offset 4).
_REFUSED_PREFIXES = (
    b"MZ",  # Windows .exe / .dll
    b"\x7fELF",  # Linux executables
    b"#!",  # scripts
    b"PK\x03\x04",  # zip, docx, apk, jar
    b"PK\x05\x06",  # empty zip
    b"PK\x07\x08",  # spanned zip
    b"%PDF",
    b"Rar!",
    b"7z\xbc\xaf\x27\x1c",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"<",  # HTML, SVG, XML: markup a browser could run
)

_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
)
_MOV_BRAND = b"qt  "
# ISO-BMFF files that are not video even when they list "isom" among their compatible brands.
_NOT_VIDEO_BRANDS = frozenset(
    {b"M4A ", b"M4B ", b"M4P ", b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis", b"crx "}
)

# Top-level atoms of an old QuickTime file written before the ftyp box existed.
_QT_FIRST_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free"})
_QT_TOP_ATOMS = _QT_FIRST_ATOMS | {b"skip", b"pnot"}
_QT_MOOV_CHILDREN = frozenset({b"mvhd", b"cmov", b"prfl", b"trak", b"udta", b"iods", b"meta", b"clip", b"ctab"})

_EBML_HEADER_ID = 0x1A45DFA3
_EBML_DOCTYPE_ID = 0x4282


class _Truncated(Exception):
    """The head ends inside an element we need."""


def sniff_video(head: bytes) -> str | None:
    """ "mp4", "mov" or "webm" when the first bytes of a file show that container; None otherwise."""
    kind = _sniff(head)
    return kind if kind in ("mp4", "mov", "webm") else None


def _sniff(head: bytes) -> str | None:
    # Besides the accepted kinds, names a few video containers we refuse, so the teacher learns why.
    head = bytes(head)
    if not head or head.startswith(_REFUSED_PREFIXES):
        return None
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _sniff_ebml(head)
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return "wmv"
    if head.startswith(b"FLV\x01"):
        return "flv"
    if head[4:8] in _QT_FIRST_ATOMS:
        return _sniff_quicktime(head)
    return None


def _sniff_ftyp(head: bytes) -> str | None:
    size = int.from_bytes(head[0:4], "big")
    if size < 16 or len(head) < 12:
        return None  # too small to hold a major brand and a minor version
    major = head[8:12]
    compatible = [head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    if major in _NOT_VIDEO_BRANDS:
        return None
    if major == _MOV_BRAND:
        return "mov"
    if major in _MP4_BRANDS or any(brand in _MP4_BRANDS for brand in compatible):
        return "mp4"
    if _MOV_BRAND in compatible:
        return "mov"
    if major.startswith((b"3gp", b"3g2")):
        return "3gp"
    return None


def _sniff_quicktime(head: bytes) -> str | None:
    """An ftyp-less QuickTime movie: a chain of known top-level atoms holding a moov or an mdat."""
    offset, media_seen = 0, False
    while offset + 8 <= len(head):
        size, kind = struct.unpack_from(">I4s", head, offset)
        if kind not in _QT_TOP_ATOMS:
            return None
        header = 8
        if size == 1:  # a 64-bit size follows the type
            if offset + 16 > len(head):
                return "mov" if kind in (b"moov", b"mdat") or media_seen else None
            size, header = struct.unpack_from(">Q", head, offset + 8)[0], 16
        if size != 0 and size < header:
            return None
        if kind == b"wide" and size != 8:
            return None
        if kind == b"moov" and offset + 16 <= len(head) and head[offset + 12 : offset + 16] not in _QT_MOOV_CHILDREN:
            return None
        media_seen = media_seen or kind in (b"moov", b"mdat")
        if size == 0 or offset + size >= len(head):
            break  # this atom runs to (or past) the end of what we read
        offset += size
    return "mov" if media_seen else None


def _read_vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at pos: (value, position after it)."""
    if pos >= len(data):
        raise _Truncated
    first = data[pos]
    if first == 0:
        raise ValueError("EBML integer longer than 8 bytes")
    length = 9 - first.bit_length()
    if pos + length > len(data):
        raise _Truncated
    value = int.from_bytes(data[pos : pos + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, pos + length


def _sniff_ebml(head: bytes) -> str | None:
    """WebM only when the EBML header's DocType says "webm"; Matroska (the default DocType) is refused."""
    try:
        element_id, pos = _read_vint(head, 0, keep_marker=True)
        if element_id != _EBML_HEADER_ID:
            return None
        size, pos = _read_vint(head, pos, keep_marker=False)
        end = min(pos + size, len(head))
        while pos < end:
            element_id, pos = _read_vint(head, pos, keep_marker=True)
            size, pos = _read_vint(head, pos, keep_marker=False)
            if pos + size > len(head):
                raise _Truncated
            if element_id == _EBML_DOCTYPE_ID:
                doctype = head[pos : pos + size].rstrip(b"\x00")
                if doctype == b"webm":
                    return "webm"
                return "mkv" if doctype == b"matroska" else None
            pos += size
    except (_Truncated, ValueError):
        return None
    return "mkv"  # no DocType element: EBML's default is "matroska"


def video_max_bytes(season) -> int:
    """The largest video file a season takes: its own limit, never above the portal's VIDEO_MAX_BYTES."""
    return min(season.video_max_size_mb * MB, settings.VIDEO_MAX_BYTES)


_REFUSED_VIDEO_LABELS = {"mkv": "MKV", "avi": "AVI", "wmv": "WMV", "flv": "FLV", "3gp": "3GP"}


def validate_video_file(f, *, max_bytes: int) -> str:
    """The kind ("mp4", "mov", "webm") of an uploaded video; ValidationError with a Russian message if none.

    The content decides, not the name: a WebM called ``lesson.mp4`` passes, an ``.exe`` called ``lesson.mp4``
    does not. Only the first ``HEAD_BYTES`` are read, and the file is left rewound for whoever saves it.
    """
    size = getattr(f, "size", None)
    if size == 0:
        raise ValidationError(_("Файл пустой."), code="empty")
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Файл больше допустимых %(limit)s."), code="too_large", params={"limit": format_size_limit(max_bytes)}
        )
    f.seek(0)
    head = f.read(HEAD_BYTES)
    f.seek(0)
    if not head:
        raise ValidationError(_("Файл пустой."), code="empty")
    kind = _sniff(head)
    if kind in ("mp4", "mov", "webm"):
        return kind
    if kind in _REFUSED_VIDEO_LABELS:
        reason = gettext("Видео в формате %(format)s не принимается: сохраните его в другом формате.") % {
            "format": _REFUSED_VIDEO_LABELS[kind]
        }
    else:
        reason = _("Это не видеофайл или его формат не распознан.")
    raise ValidationError(format_lazy("{} {}", reason, ACCEPTED_FORMATS_HELP), code="not_video")
