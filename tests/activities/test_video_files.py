"""Uploaded videos: the first bytes decide the format, the name never does, and only 4 KB are ever read."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.video_files import GB, HEAD_BYTES, MB, format_size_limit, sniff_video, validate_video_file

ACCEPTED = "Принимаются видеофайлы MP4, WebM и MOV."


def filler(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def ebml(element_id: bytes, payload: bytes) -> bytes:
    assert len(payload) < 127
    return element_id + bytes([0x80 | len(payload)]) + payload


def ebml_header(doctype: bytes | None) -> bytes:
    children = ebml(b"\x42\x86", b"\x01") + ebml(b"\x42\xf7", b"\x01") + ebml(b"\x42\xf2", b"\x04")
    children += ebml(b"\x42\xf3", b"\x08")
    if doctype is not None:
        children += ebml(b"\x42\x82", doctype)
    children += ebml(b"\x42\x87", b"\x04") + ebml(b"\x42\x85", b"\x02")
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"
    return ebml(b"\x1a\x45\xdf\xa3", children) + segment + filler(200)


MP4 = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + box(b"free") + box(b"mdat", filler(300))
ANDROID_MP4 = box(b"ftyp", b"mp42\x00\x00\x00\x00isommp42") + box(b"moov", box(b"mvhd", bytes(100)))
MOV = box(b"ftyp", b"qt  \x20\x05\x03\x00qt  ") + box(b"wide") + box(b"mdat", filler(300))
OLD_MOV = box(b"wide") + box(b"mdat", filler(300)) + box(b"moov", box(b"mvhd", bytes(100)))
OLD_MOV_MOOV_FIRST = box(b"moov", box(b"mvhd", bytes(100))) + box(b"mdat", filler(300))
WEBM = ebml_header(b"webm")
MKV = ebml_header(b"matroska")
M4A = box(b"ftyp", b"M4A \x00\x00\x00\x00M4A mp42isom") + box(b"mdat", filler(100))
HEIC = box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic") + box(b"meta", bytes(100))
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + bytes(100)
    + b"This program cannot be run in DOS mode."
)
EXE_WITH_FTYP = b"MZ\x00\x00ftypisom\x00\x00\x00\x00isom" + bytes(100)
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(200)
SCRIPT = b"#!/bin/sh\nrm -rf ~\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + filler(200)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
TEXT = "Конспект урока: дроби и проценты.\n".encode() * 20
HTML = b"<svgftypisom" + bytes(100)


def upload(content: bytes, name: str = "lesson.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="video/mp4")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (MP4, "mp4"),
        (ANDROID_MP4, "mp4"),
        (MOV, "mov"),
        (OLD_MOV, "mov"),
        (OLD_MOV_MOOV_FIRST, "mov"),
        (WEBM, "webm"),
        (ebml_header(b"webm\x00\x00"), "webm"),  # a zero-padded string is still "webm"
    ],
)
def test_sniff_recognises_accepted_containers(head, kind):
    assert sniff_video(head) == kind
    assert sniff_video(head[:HEAD_BYTES]) == kind


@pytest.mark.parametrize(
    "head",
    [
        b"",
        MKV,
        ebml_header(None),  # no DocType means Matroska
        ebml_header(b"webmx"),
        WEBM[:20],  # cut before the DocType
        M4A,
        HEIC,
        EXE,
        EXE_WITH_FTYP,
        ELF,
        SCRIPT,
        ZIP,
        PDF,
        TEXT,
        HTML,
        b"\x00\x00\x00\x08ftyp",  # no room for a brand
        box(b"ftyp", b"abcd\x00\x00\x00\x00abcd"),  # unknown brand
        box(b"free", bytes(20)) + b"then some text",  # no movie atom
        box(b"free", bytes(20000)),  # a free atom running past the head proves nothing
        box(b"moov", box(b"abcd", bytes(10))),  # not a movie header inside
        b"\x00\x00\x00\x09wide\x00" + box(b"mdat"),  # "wide" is always 8 bytes
        b"\x00\x00\x00\x03mdat",  # impossible size
        b"\x12\x34\x56\x78\xff\xff\xff\xff",
    ],
)
def test_sniff_refuses_everything_else(head):
    assert sniff_video(head) is None


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (MP4, "lesson.mp4", "mp4"),
        (MOV, "IMG_0042.MOV", "mov"),
        (WEBM, "урок.webm", "webm"),
        # The name does not decide: a mismatch alone is no error.
        (WEBM, "lesson.mp4", "webm"),
        (MP4, "lesson.mov", "mp4"),
        (MOV, "lesson", "mov"),
    ],
)
def test_validate_returns_the_detected_kind(content, name, kind):
    f = upload(content, name)
    assert validate_video_file(f, max_bytes=10 * MB) == kind
    assert f.tell() == 0  # rewound for whoever saves it


def test_empty_file():
    with pytest.raises(ValidationError) as exc:
        validate_video_file(upload(b""), max_bytes=10 * MB)
    assert exc.value.code == "empty"
    assert exc.value.messages == ["Файл пустой."]


def test_too_large_names_the_limit():
    with pytest.raises(ValidationError) as exc:
        validate_video_file(upload(MP4 + bytes(2000)), max_bytes=1000)
    assert exc.value.code == "too_large"
    assert exc.value.messages == ["Файл больше допустимых 1000 Б."]


def test_too_large_in_gigabytes_without_reading_anything():
    f = CountingFile(MP4, size=2 * GB + 1)
    with pytest.raises(ValidationError) as exc:
        validate_video_file(f, max_bytes=2048 * MB)
    assert exc.value.code == "too_large"
    assert exc.value.messages == ["Файл больше допустимых 2 ГБ."]
    assert f.bytes_read == 0


def test_exactly_at_the_limit_passes():
    content = MP4 + bytes(1000 - len(MP4))
    assert validate_video_file(upload(content), max_bytes=1000) == "mp4"


@pytest.mark.parametrize(
    ("max_bytes", "text"),
    [(2048 * MB, "2 ГБ"), (1500 * MB, "1500 МБ"), (1536 * MB, "1536 МБ"), (300 * MB, "300 МБ"), (1000, "1000 Б")],
)
def test_format_size_limit(max_bytes, text):
    assert format_size_limit(max_bytes) == text


@pytest.mark.parametrize("content", [EXE, EXE_WITH_FTYP, ELF, SCRIPT, ZIP, PDF, TEXT, HTML, M4A, HEIC])
def test_not_video_named_like_a_video(content):
    with pytest.raises(ValidationError) as exc:
        validate_video_file(upload(content, "lesson.mp4"), max_bytes=10 * MB)
    assert exc.value.code == "not_video"
    assert exc.value.messages == [f"Это не видеофайл или его формат не распознан. {ACCEPTED}"]


def test_matroska_is_named_so_the_teacher_knows_what_to_do():
    with pytest.raises(ValidationError) as exc:
        validate_video_file(upload(MKV, "lesson.mkv"), max_bytes=10 * MB)
    assert exc.value.code == "not_video"
    assert exc.value.messages == [f"Видео в формате MKV не принимается: сохраните его в другом формате. {ACCEPTED}"]


class CountingFile(io.BytesIO):
    """An uploaded file that remembers how much was read from it and refuses to be read whole."""

    def __init__(self, content: bytes, *, size: int | None = None, name: str = "lesson.mp4"):
        super().__init__(content)
        self.size = len(content) if size is None else size
        self.name = name
        self.bytes_read = 0

    def read(self, size=-1):
        assert size is not None and size >= 0, "the whole file must never be read"
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_reads_at_most_the_head():
    f = CountingFile(MP4 + filler(50_000))
    assert validate_video_file(f, max_bytes=10 * MB) == "mp4"
    assert 0 < f.bytes_read <= 4096
    assert f.tell() == 0


def test_reads_at_most_the_head_of_a_refused_file():
    f = CountingFile(TEXT * 100)
    with pytest.raises(ValidationError):
        validate_video_file(f, max_bytes=10 * MB)
    assert f.bytes_read <= 4096
