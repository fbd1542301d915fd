"""Tiny real video headers (an MP4 ftyp box, a WebM EBML header) and a renamed Windows executable."""


def _box(kind: bytes, payload: bytes = b"") -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def _ebml(element_id: bytes, payload: bytes) -> bytes:
    return element_id + bytes([0x80 | len(payload)]) + payload


MP4 = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + _box(b"free") + _box(b"mdat", bytes(300))
WEBM = (
    _ebml(
        b"\x1a\x45\xdf\xa3",
        _ebml(b"\x42\x86", b"\x01")
        + _ebml(b"\x42\xf7", b"\x01")
        + _ebml(b"\x42\xf2", b"\x04")
        + _ebml(b"\x42\xf3", b"\x08")
        + _ebml(b"\x42\x82", b"webm")
        + _ebml(b"\x42\x87", b"\x04")
        + _ebml(b"\x42\x85", b"\x02"),
    )
    + b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"
    + bytes(200)
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + bytes(100)
    + b"This program cannot be run in DOS mode."
)
