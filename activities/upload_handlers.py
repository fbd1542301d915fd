"""Stop an oversized video while it is still arriving, instead of writing gigabytes to disk and refusing it after."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext

from activities.video_files import format_size_limit


class VideoSizeLimitUploadHandler(FileUploadHandler):
    """Refuse any uploaded file larger than ``max_bytes`` as soon as it is known to be too large.

    Install it first, before anything touches ``request.POST`` or ``request.FILES``::

        @csrf_exempt
        def submission_upload(request, pk):
            assignment = get_object_or_404(VideoAssignment, pk=pk)
            limit = VideoSizeLimitUploadHandler(request, max_bytes=season.video_max_size_mb * MB)
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
