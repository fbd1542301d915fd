"""The tus endpoints of resumable video uploads (tus 1.0.0: core, «creation», «termination»).

POST   cabinet/videos/<assignment>/uploads/   start an upload (Upload-Length, Upload-Metadata «filename»)
HEAD   cabinet/videos/uploads/<id>/           how many bytes arrived (Upload-Offset)
PATCH  cabinet/videos/uploads/<id>/           the next piece, at Upload-Offset
DELETE cabinet/videos/uploads/<id>/           give the upload up

Only the teacher of the assignment's season starts an upload, and only its starter sees or continues it:
anyone else gets 404. The browser (tus-js-client, static/js/resumable-upload.js) sends the CSRF token in a
header. An error a person can cause answers with a Russian sentence as the body, which the page shows.
"""

import base64
import binascii

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .models import ResumableUpload
from .services_resumable import (
    UploadOffsetConflict,
    resumable_upload_append,
    resumable_upload_create,
    resumable_upload_discard,
)
from .video_files import video_max_bytes
from .views import _teacher_assignment

TUS_VERSION = "1.0.0"
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    return response


def _refuse(status: int, message: str) -> HttpResponse:
    return _tus(HttpResponse(message, status=status, content_type="text/plain; charset=utf-8"))


def _header_int(request, name: str) -> int | None:
    raw = request.headers.get(name, "")
    return int(raw) if raw.isdigit() else None


def _metadata(request) -> dict[str, str]:
    """Upload-Metadata: comma-separated «key base64value» pairs; an undecodable value is left out."""
    result = {}
    for pair in request.headers.get("Upload-Metadata", "").split(","):
        key, _sep, value = pair.strip().partition(" ")
        if not key:
            continue
        try:
            result[key] = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            continue
    return result


@login_required
@never_cache
@require_http_methods(["POST", "OPTIONS"])
def resumable_create(request, pk: int):
    assignment, enrollment = _teacher_assignment(request, pk)
    max_bytes = video_max_bytes(assignment.activity.season)
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation,termination"
        response["Tus-Max-Size"] = str(max_bytes)
        return _tus(response)
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _refuse(412, _("Неподдерживаемая версия протокола загрузки."))
    length = _header_int(request, "Upload-Length")
    if length is None:
        return _refuse(400, _("Не указан размер файла."))
    try:
        upload = resumable_upload_create(
            user=request.user,
            enrollment=enrollment,
            assignment=assignment,
            length=length,
            filename=_metadata(request).get("filename", ""),
            now=timezone.now(),
        )
    except ValidationError as exc:
        return _refuse(413 if exc.code == "too_large" else 403, " ".join(exc.messages))
    response = HttpResponse(status=201)
    response["Location"] = reverse("resumable_upload", args=[upload.pk])
    response["Tus-Max-Size"] = str(max_bytes)
    return _tus(response)


@login_required
@never_cache
@require_http_methods(["HEAD", "PATCH", "DELETE"])
def resumable_upload(request, upload_id):
    upload = ResumableUpload.objects.filter(pk=upload_id, user=request.user).first()
    if upload is None:
        raise Http404
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _refuse(412, _("Неподдерживаемая версия протокола загрузки."))
    if request.method == "HEAD":
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(upload.offset)
        response["Upload-Length"] = str(upload.length)
        return _tus(response)
    if request.method == "DELETE":
        resumable_upload_discard(upload=upload)
        return _tus(HttpResponse(status=204))
    if request.content_type != OFFSET_CONTENT_TYPE:
        return _refuse(415, _("Часть файла отправлена в неверном формате."))
    offset = _header_int(request, "Upload-Offset")
    if offset is None:
        return _refuse(400, _("Не указано, с какого байта продолжается загрузка."))
    declared = _header_int(request, "Content-Length")
    if declared is not None and declared > settings.RESUMABLE_UPLOAD_CHUNK_BYTES:
        return _refuse(413, _("Часть файла слишком велика."))
    try:
        upload = resumable_upload_append(upload=upload, offset=offset, stream=request, now=timezone.now())
    except UploadOffsetConflict:
        return _refuse(409, _("Загрузка уже продолжилась с другого места; обновите страницу."))
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(upload.offset)
    return _tus(response)
