"""Files of the communities (bank materials, half-year reports): PDF, Office documents, JPEG or PNG, told apart by
their first bytes, never by the file's name; at most 20 МБ."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import MB, format_size_limit

COMMUNITY_FILE_MAX_BYTES = 20 * MB
COMMUNITY_FILE_ACCEPT = ".pdf,.docx,.pptx,.xlsx,.jpg,.jpeg,.png"
COMMUNITY_FILE_HELP = _("PDF, DOCX, PPTX, XLSX, JPEG или PNG, не больше 20 МБ.")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_SIGNATURES = (
    (b"%PDF-", {"pdf"}),
    (b"\xff\xd8\xff", {"jpg", "jpeg"}),
    (b"\x89PNG\r\n\x1a\n", {"png"}),
    (b"PK\x03\x04", {"docx", "pptx", "xlsx"}),
)


def validate_community_file(f) -> None:
    """Refuse in Russian a file too large, of another format, or whose bytes do not match its extension."""
    if f.size is not None and f.size > COMMUNITY_FILE_MAX_BYTES:
        raise ValidationError(
            gettext("Файл больше допустимых %(limit)s.") % {"limit": format_size_limit(COMMUNITY_FILE_MAX_BYTES)},
            code="too_large",
        )
    extension = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
    f.seek(0)
    head = bytes(f.read(16))
    f.seek(0)
    if not any(head.startswith(signature) and extension in kinds for signature, kinds in _SIGNATURES):
        raise ValidationError(
            gettext("Файл не похож на PDF, DOCX, PPTX, XLSX, JPEG или PNG: загрузите файл в одном из этих форматов."),
            code="bad_format",
        )


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
