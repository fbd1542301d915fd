"""Video uploads straight to the S3 bucket when media live on S3: the writes behind activities/views_bucket.py,
the file handed to the submission, and the cleanup of abandoned uploads.

The browser sends the parts of an S3 multipart upload to presigned URLs, so no byte passes through a web worker;
the portal starts the upload under settings.S3_UPLOAD_PREFIX, signs each part's PUT, lists what arrived (to go
on after a broken connection or a reload), completes and aborts. Completing takes the parts as S3 lists them, so
the browser need not read their ETags. Like a tus upload, a completed one only carries bytes: it becomes a video
lesson when the submission form names it and `submission_submit` accepts it with the checks of a posted file
(size from HEAD, type from the first bytes read with a ranged GET, window, ownership); the object is then copied
to its final name inside the bucket.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from participants.models import Enrollment, User

from .models import BucketUpload, Submission, VideoAssignment
from .upload_checks import upload_start_check

FILENAME_MAX = 255
MAX_PARTS = 10_000  # S3's limit of parts in one multipart upload
SIGN_AT_ONCE = 100
# One CopyObject up to S3's 5 GB; beyond it the copy goes by parts, still inside the bucket.
COPY_CONFIG = TransferConfig(multipart_threshold=5 * 1024**3, multipart_chunksize=512 * 1024**2)
STORAGE_ERRORS = (BotoCoreError, ClientError)


class BucketUploadGone(Exception):
    """S3 no longer knows the multipart upload (aborted, or removed by the bucket's lifecycle rule)."""


def storage_unavailable() -> ValidationError:
    return ValidationError(
        _("Хранилище файлов сейчас недоступно. Попробуйте ещё раз через несколько минут."), code="storage_down"
    )


def _storage():
    return Submission._meta.get_field("video_file").storage


def bucket_uploads_enabled() -> bool:
    """Media on S3: video files go straight to the bucket instead of through the portal (tus)."""
    return isinstance(_storage(), S3Storage)


def _client():
    return _storage().connection.meta.client


def _bucket() -> str:
    return _storage().bucket_name


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")


def bucket_part_size(length: int) -> int:
    """S3_UPLOAD_PART_BYTES, or larger when the file would need more parts than S3 takes."""
    return max(settings.S3_UPLOAD_PART_BYTES, -(-length // MAX_PARTS))


def bucket_origin() -> str:
    """Where the browser sends the parts (scheme://host[:port]): the page's Content-Security-Policy allows it."""
    url = _client().generate_presigned_url(
        "upload_part",
        Params={"Bucket": _bucket(), "Key": settings.S3_UPLOAD_PREFIX, "UploadId": "-", "PartNumber": 1},
        ExpiresIn=60,
    )
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"


def bucket_upload_create(
    *, user: User, enrollment: Enrollment, assignment: VideoAssignment, length: int, filename: str, now: datetime
) -> BucketUpload:
    """Start a multipart upload of `length` bytes for the teacher's own assignment; ValidationError in Russian if
    the file is too large or the window is closed (the same checks as a tus upload's start)."""
    upload_start_check(enrollment=enrollment, assignment=assignment, length=length, now=now)
    upload_id = uuid.uuid4()
    key = f"{settings.S3_UPLOAD_PREFIX}{upload_id}"
    try:
        started = _client().create_multipart_upload(Bucket=_bucket(), Key=key, ContentType="application/octet-stream")
    except STORAGE_ERRORS as exc:
        raise storage_unavailable() from exc
    return BucketUpload.objects.create(
        id=upload_id,
        user=user,
        assignment=assignment,
        filename=os.path.basename(filename.replace("\\", "/"))[:FILENAME_MAX],
        length=length,
        part_size=bucket_part_size(length),
        key=key,
        multipart_id=started["UploadId"],
        created_at=now,
        updated_at=now,
    )


def bucket_upload_sign(*, upload: BucketUpload, part_numbers: list[int], now: datetime) -> dict[int, str]:
    """Presigned PUT URLs, living S3_UPLOAD_URL_SECONDS, for the upload's parts numbered `part_numbers`
    (1…parts_count, at most SIGN_AT_ONCE at a time). Signing is computed here, without a call to S3."""
    if upload.is_complete:
        raise ValidationError(_("Файл уже загружен целиком."), code="complete")
    if not part_numbers or len(part_numbers) > SIGN_AT_ONCE:
        raise ValidationError(_("Укажите от 1 до %(count)s частей файла.") % {"count": SIGN_AT_ONCE}, code="parts")
    if any(n < 1 or n > upload.parts_count for n in part_numbers):
        raise ValidationError(
            _("У этого файла части с номерами от 1 до %(count)s.") % {"count": upload.parts_count}, code="parts"
        )
    client, bucket = _client(), _bucket()
    urls = {
        n: client.generate_presigned_url(
            "upload_part",
            Params={"Bucket": bucket, "Key": upload.key, "UploadId": upload.multipart_id, "PartNumber": n},
            ExpiresIn=settings.S3_UPLOAD_URL_SECONDS,
        )
        for n in part_numbers
    }
    # A signed part means the upload is alive: the cleanup job leaves it alone.
    BucketUpload.objects.filter(pk=upload.pk).update(updated_at=now)
    return urls


def bucket_upload_parts(*, upload: BucketUpload) -> list[dict]:
    """The parts S3 holds, in order: [{"number": 1, "size": …, "etag": …}, …]; BucketUploadGone when S3 no longer
    knows the upload. A completed upload has no parts left to send: []."""
    if upload.is_complete:
        return []
    client, parts, marker = _client(), [], 0
    try:
        while True:
            page = client.list_parts(
                Bucket=_bucket(), Key=upload.key, UploadId=upload.multipart_id, PartNumberMarker=marker
            )
            parts += [{"number": p["PartNumber"], "size": p["Size"], "etag": p["ETag"]} for p in page.get("Parts", [])]
            if not page.get("IsTruncated"):
                return parts
            marker = page["NextPartNumberMarker"]
    except ClientError as exc:
        if _code(exc) == "NoSuchUpload":
            raise BucketUploadGone from exc
        raise storage_unavailable() from exc
    except BotoCoreError as exc:
        raise storage_unavailable() from exc


def bucket_upload_complete(*, upload: BucketUpload, now: datetime) -> BucketUpload:
    """Join the parts into one object: every part 1…parts_count must be there with its expected size.
    ValidationError in Russian when some are missing; BucketUploadGone when S3 no longer knows the upload.
    Completing twice is harmless."""
    if upload.is_complete:
        return upload
    parts = bucket_upload_parts(upload=upload)
    count, size = upload.parts_count, upload.part_size
    expected = [(n, size if n < count else upload.length - size * (count - 1)) for n in range(1, count + 1)]
    if [(p["number"], p["size"]) for p in parts] != expected:
        raise ValidationError(
            _("Загружены не все части файла: продолжите загрузку, и она завершится."), code="incomplete"
        )
    try:
        _client().complete_multipart_upload(
            Bucket=_bucket(),
            Key=upload.key,
            UploadId=upload.multipart_id,
            MultipartUpload={"Parts": [{"PartNumber": p["number"], "ETag": p["etag"]} for p in parts]},
        )
    except STORAGE_ERRORS as exc:
        raise storage_unavailable() from exc
    BucketUpload.objects.filter(pk=upload.pk).update(completed_at=now, updated_at=now)
    upload.completed_at = upload.updated_at = now
    return upload


def _discard_in_bucket(client, bucket: str, upload: BucketUpload) -> None:
    try:
        if upload.is_complete:
            client.delete_object(Bucket=bucket, Key=upload.key)
        else:
            client.abort_multipart_upload(Bucket=bucket, Key=upload.key, UploadId=upload.multipart_id)
    except ClientError as exc:
        if _code(exc) not in ("NoSuchUpload", "NoSuchKey", "404"):
            raise


def bucket_upload_abort(*, upload: BucketUpload) -> None:
    """Give the upload up: S3 drops its parts (or the completed object), and the record goes."""
    try:
        _discard_in_bucket(_client(), _bucket(), upload)
    except STORAGE_ERRORS as exc:
        raise storage_unavailable() from exc
    BucketUpload.objects.filter(pk=upload.pk).delete()


class BucketVideo(File):
    """A completed bucket upload handed to the form and `submission_submit` as if it had come with the form.

    Its size is the object's own (HEAD); reading is a ranged GET of what is asked, for the file-type check of
    the first bytes. Reading it whole is refused: the object is copied inside the bucket (`copy_to`), never
    through the web process.
    """

    def __init__(self, upload: BucketUpload, *, size: int):
        super().__init__(None, name=upload.filename or f"{upload.pk}.mp4")
        self.upload_id = upload.pk
        self.key = upload.key
        self.size = size
        self._position = 0
        self._read_cache: dict[tuple[int, int], bytes] = {}

    def __bool__(self):
        return True

    def seek(self, position: int, whence: int = 0) -> int:
        self._position = position if whence == 0 else self._position + position if whence == 1 else self.size + position
        return self._position

    def tell(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise ValueError("a bucket upload is read by ranges only")
        start, end = self._position, min(self._position + size, self.size) - 1
        if size == 0 or end < start:
            return b""
        if (start, end) not in self._read_cache:
            try:
                body = _client().get_object(Bucket=_bucket(), Key=self.key, Range=f"bytes={start}-{end}")["Body"]
                self._read_cache[(start, end)] = body.read()
            except STORAGE_ERRORS as exc:
                raise storage_unavailable() from exc
        data = self._read_cache[(start, end)]
        self._position += len(data)
        return data

    def chunks(self, chunk_size=None):
        raise ValueError("a bucket upload is copied inside the bucket, not read through the web process")

    def close(self):
        self._read_cache.clear()

    def copy_to(self, name: str) -> str:
        """Copy the object to the storage name `name` inside the bucket (S3 CopyObject); returns `name`."""
        storage = _storage()
        _client().copy(
            {"Bucket": _bucket(), "Key": self.key}, _bucket(), storage._normalize_name(name), Config=COPY_CONFIG
        )
        return name


def bucket_upload_file(*, user: User, assignment: VideoAssignment, upload_id) -> BucketVideo:
    """The user's completed bucket upload for this assignment, ready to validate; ValidationError in Russian if
    there is none (another person's, unfinished, or already removed as abandoned)."""
    upload = BucketUpload.objects.filter(pk=upload_id, user=user, assignment=assignment).first()
    missing = ValidationError(
        _("Загрузка файла не завершена или устарела. Выберите файл ещё раз."), code="upload_missing"
    )
    if upload is None or not upload.is_complete:
        raise missing
    try:
        head = _client().head_object(Bucket=_bucket(), Key=upload.key)
    except ClientError as exc:
        if _code(exc) in ("404", "NoSuchKey", "NotFound"):
            raise missing from exc
        raise storage_unavailable() from exc
    except BotoCoreError as exc:
        raise storage_unavailable() from exc
    return BucketVideo(upload, size=head["ContentLength"])


def bucket_upload_settle(*, staged: BucketVideo, used: bool) -> None:
    """After the form: a used upload (copied to the submission's own name) goes with its object; a refused one
    stays for the next try."""
    staged.close()
    if not used:
        return
    with transaction.atomic():
        upload = BucketUpload.objects.select_for_update().filter(pk=staged.upload_id).first()
        if upload is None:
            return
        upload.delete()
    try:
        _client().delete_object(Bucket=_bucket(), Key=staged.key)
    except STORAGE_ERRORS:
        pass  # left under the upload prefix without a record: the cleanup job deletes it once it is old


def bucket_uploads_clean(*, now: datetime) -> int:
    """With S3 media: abort the uploads untouched for RESUMABLE_UPLOAD_EXPIRY_HOURS (or delete their completed
    object) and forget them; then abort every multipart upload under S3_UPLOAD_PREFIX started before then that no
    record knows, and delete such objects. Returns how many uploads were removed."""
    if not bucket_uploads_enabled():
        return 0
    client, bucket, prefix = _client(), _bucket(), settings.S3_UPLOAD_PREFIX
    cutoff = now - timedelta(hours=settings.RESUMABLE_UPLOAD_EXPIRY_HOURS)
    expired = list(BucketUpload.objects.filter(updated_at__lt=cutoff))
    for upload in expired:
        _discard_in_bucket(client, bucket, upload)
    BucketUpload.objects.filter(pk__in=[u.pk for u in expired]).delete()
    known_uploads, known_keys = set(), set()
    for multipart_id, key in BucketUpload.objects.values_list("multipart_id", "key"):
        known_uploads.add(multipart_id)
        known_keys.add(key)
    strays = 0
    for page in client.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=prefix):
        for stray in page.get("Uploads", []):
            if stray["UploadId"] not in known_uploads and stray["Initiated"] < cutoff:
                try:
                    client.abort_multipart_upload(Bucket=bucket, Key=stray["Key"], UploadId=stray["UploadId"])
                except ClientError as exc:
                    if _code(exc) != "NoSuchUpload":
                        raise
                strays += 1
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        old = [o["Key"] for o in page.get("Contents", []) if o["Key"] not in known_keys and o["LastModified"] < cutoff]
        if old:
            client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in old], "Quiet": True})
            strays += len(old)
    return len(expired) + strays
