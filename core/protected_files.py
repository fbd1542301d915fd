"""Hand a protected file to the client once the view has checked who may see it: the one way every view does it.

Three ways, by where the file lives and how the portal is deployed (settings.SENDFILE_MODE, docs/deploy.md):

- S3 storage: a redirect to a presigned URL living ``PROTECTED_URL_SECONDS``, naming the file in its
  Content-Disposition, so the bytes go from the bucket to the browser;
- filesystem storage behind nginx (``SENDFILE_MODE = "nginx"``): an empty answer with ``X-Accel-Redirect`` to the
  ``internal`` location ``SENDFILE_NGINX_LOCATION``; nginx sends the file, with Range requests, and no web
  worker waits on a slow connection;
- otherwise (``"python"``, the embedded default of ``make run`` and the tests): the process streams the file,
  answering Range requests with 206 so a video can be sought.

Call it only after the permission check: the answer it gives is the file.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def protected_file_response(
    request, file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = False
) -> HttpResponse:
    """The file's bytes (or the way to them) for a person already allowed to see it.

    Raises FileNotFoundError when the stored file is missing, so the view can answer 404 or explain.
    """
    storage, name = file.storage, file.name
    disposition = content_disposition_header(as_attachment, filename)
    if not isinstance(storage, FileSystemStorage):
        return _presigned_redirect(storage, name, disposition=disposition, content_type=content_type)
    if not storage.exists(name):
        raise FileNotFoundError(name)
    if settings.SENDFILE_MODE == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.SENDFILE_NGINX_LOCATION + quote(name)
        response["Content-Disposition"] = disposition
        return response
    return _stream(request, storage, name, disposition=disposition, content_type=content_type)


def _presigned_redirect(storage, name: str, *, disposition: str, content_type: str) -> HttpResponse:
    url = storage.url(
        name,
        parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
        expire=settings.PROTECTED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"  # the address stops working in minutes: never cache it
    return response


def _stream(request, storage, name: str, *, disposition: str, content_type: str) -> HttpResponse:
    size = storage.size(name)
    match = _RANGE.fullmatch(request.headers.get("Range", "").strip())
    if match is None or not any(match.groups()):
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    else:
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or end < start:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(
            _read_range(storage.open(name, "rb"), start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    return response


def _read_range(f, start: int, length: int):
    try:
        f.seek(start)
        while length > 0:
            chunk = f.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        f.close()
