"""Proof files of achievements: PDF, JPEG or PNG told apart by their first bytes, never by the file's name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.video_files import MB, format_size_limit

PROOF_MAX_BYTES = 10 * MB
PROOF_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
PROOF_FORMATS_HELP = _("PDF, JPEG или PNG, не больше 10 МБ.")
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}

_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def sniff_proof(head: bytes) -> str | None:
    """ "pdf", "jpg" or "png" when the first bytes show that format; None otherwise."""
    head = bytes(head)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def validate_proof_file(f, *, max_bytes: int = PROOF_MAX_BYTES) -> str:
    """The format of an uploaded proof ("pdf", "jpg", "png"); ValidationError in Russian otherwise."""
    if f.size is not None and f.size > max_bytes:
        raise ValidationError(
            gettext("Файл больше допустимых %(limit)s.") % {"limit": format_size_limit(max_bytes)}, code="too_large"
        )
    position = f.tell() if hasattr(f, "tell") else 0
    f.seek(0)
    head = f.read(16)
    f.seek(position)
    kind = sniff_proof(head)
    if kind is None:
        raise ValidationError(
            gettext("Файл не похож на PDF, JPEG или PNG. Загрузите скан или фотографию документа в одном из них."),
            code="bad_format",
        )
    return kind
