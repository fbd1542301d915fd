"""Resumable video uploads (tus protocol 1.0, core and «creation»/«termination»): the writes behind the views of
activities/views_resumable.py and the job that deletes abandoned uploads.

An upload only carries bytes; it becomes a video lesson when the submission form names it and
`submission_submit` accepts it, with the same checks as a file posted with the form (type, size, window,
ownership). The size and the window are also checked when the upload starts, so nobody sends 2 GB to be
refused at the end.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import job_run
from core.models import JobRun
from participants.models import Enrollment, User

from .models import ResumableUpload, VideoAssignment
from .services_bucket import bucket_uploads_clean
from .upload_checks import upload_start_check

CHUNK = 1024 * 1024
FILENAME_MAX = 255


class UploadOffsetConflict(Exception):
    """The piece does not start where the upload stands (a retried or duplicated request)."""


def resumable_upload_path(upload_id) -> Path:
    return Path(settings.RESUMABLE_UPLOAD_DIR) / f"{upload_id}.part"


def resumable_upload_create(
    *, user: User, enrollment: Enrollment, assignment: VideoAssignment, length: int, filename: str, now: datetime
) -> ResumableUpload:
    """Start an upload of `length` bytes for the teacher's own assignment; ValidationError in Russian if the
    file is too large or the window is closed."""
    upload_start_check(enrollment=enrollment, assignment=assignment, length=length, now=now)
    upload = ResumableUpload.objects.create(
        user=user,
        assignment=assignment,
        filename=os.path.basename(filename.replace("\\", "/"))[:FILENAME_MAX],
        length=length,
        created_at=now,
        updated_at=now,
    )
    path = resumable_upload_path(upload.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return upload


def resumable_upload_append(*, upload: ResumableUpload, offset: int, stream, now: datetime) -> ResumableUpload:
    """Write the piece read from `stream` at `offset`, which must be where the upload stands.

    Whatever arrived before the connection broke is kept and counted (tus allows it): the browser asks for the
    offset and goes on from there. Bytes past the declared length are not read.
    """
    with transaction.atomic():
        upload = ResumableUpload.objects.select_for_update().get(pk=upload.pk)
        if offset != upload.offset:
            raise UploadOffsetConflict
        path = resumable_upload_path(upload.pk)
        remaining, written = upload.length - upload.offset, 0
        with open(path, "r+b") as f:
            f.seek(offset)
            f.truncate()  # bytes of an earlier piece past the recorded offset were never counted
            try:
                while remaining > 0:
                    chunk = stream.read(min(CHUNK, remaining))
                    if not chunk:
                        break
                    f.write(chunk)
                    written += len(chunk)
                    remaining -= len(chunk)
            except OSError:  # the client went away mid-piece (UnreadablePostError): keep what came
                pass
        upload.offset += written
        upload.updated_at = now
        upload.save(update_fields=["offset", "updated_at"])
    return upload


def resumable_upload_discard(*, upload: ResumableUpload) -> None:
    """Delete the upload and whatever of its bytes is still here."""
    resumable_upload_path(upload.pk).unlink(missing_ok=True)
    ResumableUpload.objects.filter(pk=upload.pk).delete()


class StagedVideo(UploadedFile):
    """A finished upload handed to the form and `submission_submit` as if it had come with the form.

    `temporary_file_path` lets filesystem storage move the file into place instead of copying 2 GB.
    """

    def __init__(self, upload: ResumableUpload):
        self.upload_id = upload.pk
        self.path = resumable_upload_path(upload.pk)
        super().__init__(
            open(self.path, "rb"),  # noqa: SIM115  (closed with the UploadedFile)
            name=upload.filename or f"{upload.pk}.mp4",
            content_type="application/octet-stream",
            size=upload.length,
        )

    def temporary_file_path(self) -> str:
        return str(self.path)


def resumable_upload_file(*, user: User, assignment: VideoAssignment, upload_id) -> StagedVideo:
    """The user's finished upload for this assignment, ready to validate; ValidationError in Russian if there is
    none (another person's, unfinished, or already deleted as abandoned)."""
    upload = ResumableUpload.objects.filter(pk=upload_id, user=user, assignment=assignment).first()
    if upload is None or not upload.is_complete or not resumable_upload_path(upload.pk).exists():
        raise ValidationError(
            _("Загрузка файла не завершена или устарела. Выберите файл ещё раз."), code="upload_missing"
        )
    return StagedVideo(upload)


def resumable_upload_settle(*, staged: StagedVideo, used: bool) -> None:
    """After the form: a used upload (its file moved into storage, or copied there) is deleted; a refused one
    stays for the next try, unless its bytes went with a rolled-back submission."""
    staged.close()
    if used or not staged.path.exists():
        ResumableUpload.objects.filter(pk=staged.upload_id).delete()
        staged.path.unlink(missing_ok=True)


def resumable_uploads_clean(*, now: datetime) -> int:
    """Delete the uploads untouched for RESUMABLE_UPLOAD_EXPIRY_HOURS, with their bytes, and any stray piece
    file as old whose row is gone. Returns how many uploads were deleted."""
    cutoff = now - timedelta(hours=settings.RESUMABLE_UPLOAD_EXPIRY_HOURS)
    expired = list(ResumableUpload.objects.filter(updated_at__lt=cutoff).values_list("pk", flat=True))
    for upload_id in expired:
        resumable_upload_path(upload_id).unlink(missing_ok=True)
    ResumableUpload.objects.filter(pk__in=expired).delete()
    directory = Path(settings.RESUMABLE_UPLOAD_DIR)
    if directory.is_dir():
        known = {f"{pk}.part" for pk in ResumableUpload.objects.values_list("pk", flat=True)}
        for entry in os.scandir(directory):
            if entry.is_file() and entry.name not in known and entry.stat().st_mtime < cutoff.timestamp():
                os.unlink(entry.path)
    return len(expired)


def resumable_uploads_clean_job(*, now: datetime | None = None, trigger: str = JobRun.Trigger.SCHEDULE):
    """The scheduled job «clean_resumable_uploads», logged in the job log: the tus uploads on the portal's disk
    and, with S3 media, the multipart uploads in the bucket."""
    with job_run("clean_resumable_uploads", trigger=trigger) as run:
        if run.skipped:
            return run
        now = now or timezone.now()
        deleted = resumable_uploads_clean(now=now) + bucket_uploads_clean(now=now)
        run.count("deleted", deleted)
        run.say(_("Удалено брошенных загрузок: %(count)s.") % {"count": deleted})
    return run
