"""The endpoints of video uploads straight to the S3 bucket (S3 multipart with presigned part URLs), used instead of
tus when media live on S3. JSON in and out; the browser side is static/js/bucket-upload.js.

POST   cabinet/videos/<assignment>/bucket-uploads/        start: {"filename", "size"} → 201 {"id", "part_size", …}
GET    cabinet/videos/bucket-uploads/<id>/                 the parts the bucket holds (to go on after a break)
DELETE cabinet/videos/bucket-uploads/<id>/                 give the upload up (S3 drops its parts)
POST   cabinet/videos/bucket-uploads/<id>/sign/            {"parts": [1, 2, …]} → {"urls": {"1": …}}
POST   cabinet/videos/bucket-uploads/<id>/complete/        join the parts into one object

Only the teacher of the assignment's season starts an upload (the checks of a tus upload's start: active
enrollment, size limit, window), and only its starter sees or continues it: anyone else gets 404, as does
everyone while media stay on the portal's disk. An error a person can cause answers {"error": "<Russian sentence>"}.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .models import BucketUpload
from .services_bucket import (
    BucketUploadGone,
    bucket_upload_abort,
    bucket_upload_complete,
    bucket_upload_create,
    bucket_upload_parts,
    bucket_upload_sign,
    bucket_uploads_enabled,
)
from .views import _teacher_assignment

STATUS_BY_CODE = {"too_large": 413, "closed": 403, "not_active": 403, "storage_down": 503, "incomplete": 409}


def _refuse(exc: ValidationError) -> JsonResponse:
    return JsonResponse({"error": " ".join(exc.messages)}, status=STATUS_BY_CODE.get(exc.code, 400))


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _body(request) -> dict | None:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _own_upload(request, upload_id) -> BucketUpload:
    if not bucket_uploads_enabled():
        raise Http404
    upload = BucketUpload.objects.filter(pk=upload_id, user=request.user).first()
    if upload is None:
        raise Http404
    return upload


def _describe(upload: BucketUpload) -> dict:
    return {
        "id": str(upload.pk),
        "size": upload.length,
        "part_size": upload.part_size,
        "parts_count": upload.parts_count,
        "completed": upload.is_complete,
        "url": reverse("bucket_upload", args=[upload.pk]),
        "sign_url": reverse("bucket_upload_sign", args=[upload.pk]),
        "complete_url": reverse("bucket_upload_complete", args=[upload.pk]),
    }


@login_required
@never_cache
@require_POST
def bucket_create(request, pk: int):
    assignment, enrollment = _teacher_assignment(request, pk)
    if not bucket_uploads_enabled():
        raise Http404
    data = _body(request)
    size = data.get("size") if data is not None else None
    if not isinstance(size, int) or isinstance(size, bool):
        return _bad_request(_("Не указан размер файла."))
    filename = data.get("filename")
    try:
        upload = bucket_upload_create(
            user=request.user,
            enrollment=enrollment,
            assignment=assignment,
            length=size,
            filename=filename if isinstance(filename, str) else "",
            now=timezone.now(),
        )
    except ValidationError as exc:
        return _refuse(exc)
    return JsonResponse(_describe(upload), status=201)


@login_required
@never_cache
@require_http_methods(["GET", "DELETE"])
def bucket_upload(request, upload_id):
    upload = _own_upload(request, upload_id)
    try:
        if request.method == "DELETE":
            bucket_upload_abort(upload=upload)
            return JsonResponse({}, status=200)
        parts = bucket_upload_parts(upload=upload)
    except BucketUploadGone:
        BucketUpload.objects.filter(pk=upload.pk).delete()
        raise Http404 from None
    except ValidationError as exc:
        return _refuse(exc)
    return JsonResponse({**_describe(upload), "parts": [{"number": p["number"], "size": p["size"]} for p in parts]})


@login_required
@never_cache
@require_POST
def bucket_upload_sign_parts(request, upload_id):
    upload = _own_upload(request, upload_id)
    data = _body(request)
    numbers = data.get("parts") if data is not None else None
    if not isinstance(numbers, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        return _bad_request(_("Не указано, какие части файла подписать."))
    try:
        urls = bucket_upload_sign(upload=upload, part_numbers=numbers, now=timezone.now())
    except ValidationError as exc:
        return _refuse(exc)
    return JsonResponse({"urls": {str(n): url for n, url in urls.items()}})


@login_required
@never_cache
@require_POST
def bucket_upload_finish(request, upload_id):
    upload = _own_upload(request, upload_id)
    try:
        upload = bucket_upload_complete(upload=upload, now=timezone.now())
    except BucketUploadGone:
        BucketUpload.objects.filter(pk=upload.pk).delete()
        raise Http404 from None
    except ValidationError as exc:
        return _refuse(exc)
    return JsonResponse(_describe(upload))
