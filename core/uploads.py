"""Uploads refused while they arrive: a size cap per request, shared by every view that takes a file.

Videos, achievement proofs and the spreadsheets of the imports all go through `UploadSizeLimitHandler`, so an
oversized file is cut off at the first chunk past the limit instead of being written to disk and refused after.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


def format_size_limit(max_bytes: int) -> str:
    """A byte limit as a person reads it: "2 ГБ", "1500 МБ"; exact, never rounded."""
    for unit, label in ((GB, _("ГБ")), (MB, _("МБ")), (KB, _("КБ"))):
        if max_bytes >= unit and max_bytes % unit == 0:
            return f"{max_bytes // unit} {label}"
    bytes_label = _("Б")  # outside the f-string, where makemessages can see it
    return f"{max_bytes} {bytes_label}"


class UploadSizeLimitHandler(FileUploadHandler):
    """Refuse any uploaded file larger than ``max_bytes`` as soon as it is known to be too large.

    Install it first, before anything touches ``request.POST`` or ``request.FILES`` (`upload_limited` below
    does it for a view)::

        @csrf_exempt
        def submission_upload(request, pk):
            assignment = get_object_or_404(VideoAssignment, pk=pk)
            limit = UploadSizeLimitHandler(request, max_bytes=season.video_max_size_mb * MB)
            request.upload_handlers.insert(0, limit)
            return _submission_upload(request, assignment, limit)

        @csrf_protect
        def _submission_upload(request, assignment, limit):
            form = SubmissionForm(request.POST, request.FILES)
            if limit.exceeded:
                form.add_error("video_file", limit.exceeded_message)
            ...

    The CSRF middleware reads ``request.POST`` before the view runs, after which the handlers can no longer
    change; hence ``csrf_exempt`` on the outer view and ``csrf_protect`` on the inner one, as Django's
    "Modifying upload handlers on the fly" documentation describes.

    A declared part size over the limit is refused in ``new_file``; otherwise bytes are counted chunk by
    chunk, and the first chunk past the limit raises ``SkipFile``: nothing more of that file is stored (the
    temporary file is closed and removed), its remaining bytes are read and thrown away, and every other field,
    before or after the file input, still reaches ``request.POST`` — the person loses nothing they typed. The
    view answers normally with the form and ``exceeded_message``. (Cutting the connection instead would show the
    browser's "connection reset" page; capping the raw body size is the reverse proxy's job.)
    ``received`` counts the current file's bytes.
    """

    def __init__(self, request=None, *, max_bytes: int):
        super().__init__(request)
        if max_bytes < 1:
            raise ValueError("max_bytes must be positive")
        self.max_bytes = max_bytes
        self.exceeded = False
        self.exceeded_field = None
        self.received = 0

    @property
    def exceeded_message(self) -> str:
        return gettext("Файл больше допустимых %(limit)s; загрузка остановлена.") % {
            "limit": format_size_limit(self.max_bytes)
        }

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.received = 0
        if content_length is not None and content_length > self.max_bytes:
            self._stop()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._stop()
        return raw_data  # the next handler stores it

    def file_complete(self, file_size):
        return None  # the memory or temporary-file handler after us builds the UploadedFile

    def _stop(self):
        self.exceeded = True
        self.exceeded_field = self.field_name
        raise SkipFile


def upload_limited(max_bytes: int):
    """A view decorator: every file of a POST is capped at ``max_bytes`` while it streams in; the view reads
    the refusal with `upload_refusal` (the CSRF check still runs, after the handler is installed)."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                request.upload_handlers.insert(0, UploadSizeLimitHandler(request, max_bytes=max_bytes))
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator


def upload_refusal(request) -> str | None:
    """The message for a file `upload_limited` cut off in this request, None when nothing was."""
    for handler in getattr(request, "upload_handlers", ()):
        if isinstance(handler, UploadSizeLimitHandler) and handler.exceeded:
            return handler.exceeded_message
    return None


class UploadRefusalFormMixin:
    """A form with a `file` field that shows the streaming cap's refusal at that field, instead of «Обязательное
    поле» for a file that never arrived."""

    upload_field = "file"

    def __init__(self, *args, upload_error: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_error = upload_error
        if upload_error:
            self.fields[self.upload_field].required = False

    def clean_file(self):
        if self.upload_error:
            raise ValidationError(self.upload_error, code="too_large")
        return self.cleaned_data.get(self.upload_field)
