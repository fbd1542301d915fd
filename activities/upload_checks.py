"""The checks made when a video upload starts, before any byte is sent: the same for the tus upload to the portal
(services_resumable.py) and the multipart upload straight to the S3 bucket (services_bucket.py), so nobody sends
2 GB to be refused at the end. The submission checks the finished file again (services.submission_submit)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants.models import Enrollment

from .models import SubmissionExtension, VideoAssignment
from .video_files import format_size_limit, video_max_bytes
from .video_state import window_error


def upload_start_check(*, enrollment: Enrollment, assignment: VideoAssignment, length: int, now: datetime) -> None:
    """ValidationError in Russian if a file of `length` bytes may not be sent now for this assignment: empty or
    too large, an enrollment that is not active, the submission window closed."""
    season = assignment.activity.season
    max_bytes = video_max_bytes(season)
    if length < 1:
        raise ValidationError(_("Файл пустой."), code="empty")
    if length > max_bytes:
        raise ValidationError(
            _("Файл больше допустимых %(limit)s: выберите файл поменьше или сожмите видео.")
            % {"limit": format_size_limit(max_bytes)},
            code="too_large",
        )
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("Сдать работу можно только участнику программы."), code="not_active")
    extension = SubmissionExtension.objects.filter(assignment=assignment, enrollment=enrollment).first()
    if message := window_error(assignment, extension, season, now):
        raise ValidationError(message, code="closed")
