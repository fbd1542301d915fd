"""Seed 000 (order № 643-од, «Прогрессивный педагог») §4.4, for a video lesson sent straight to the S3 bucket, on
the real services with explicit dates and a real S3-compatible server (moto).

«4.4. Обязательным условием участия в Проекте является: … осуществление своевременной отправки видеоуроков в
соответствии со сроками, установленными в ходе реализации Проекта.»

Sending the file to the bucket is not submitting it: the window is checked when the upload starts (nobody sends
2 GB to be refused at the end) and again when the form names the finished upload, as for a file posted with it.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from activities.models import BucketUpload, Submission
from activities.services import submission_submit
from activities.services_bucket import bucket_upload_create, bucket_upload_file
from participants.models import Enrollment
from tests.activities.video_samples import MP4
from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Yekaterinburg")
# Roadmap item 2 (October 2024): conduct and record a lesson in the chosen format.
OPENS = datetime(2024, 10, 1, 9, 0, tzinfo=TZ)
DUE = datetime(2024, 10, 31, 23, 59, tzinfo=TZ)
CUTOFF = datetime(2024, 11, 7, 23, 59, tzinfo=TZ)


@pytest.fixture
def lesson():
    enrollment = EnrollmentFactory(status=Enrollment.Status.ACTIVE)
    assignment = VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, kind="video_lesson"),
        opens_at=OPENS,
        due_at=DUE,
        cutoff_at=CUTOFF,
    )
    return enrollment, assignment


def _start(enrollment, assignment, now):
    return bucket_upload_create(
        user=enrollment.person.user,
        enrollment=enrollment,
        assignment=assignment,
        length=5000,
        filename="урок.mp4",
        now=now,
    )


def test_p4_4_an_upload_to_the_bucket_starts_only_inside_the_window(s3_media, lesson):
    enrollment, assignment = lesson
    with pytest.raises(ValidationError) as early:
        _start(enrollment, assignment, OPENS - timedelta(minutes=1))
    assert "Приём работ ещё не открыт" in early.value.messages[0]
    assert _start(enrollment, assignment, DUE + timedelta(days=3)).pk  # late, but before the cut-off
    with pytest.raises(ValidationError) as late:
        _start(enrollment, assignment, CUTOFF + timedelta(minutes=1))
    assert "Приём работ закрыт" in late.value.messages[0]
    assert BucketUpload.objects.count() == 1 and len(s3_media.multipart_uploads()) == 1


def test_p4_4_a_file_already_in_the_bucket_is_not_accepted_after_the_cut_off(s3_media, lesson):
    enrollment, assignment = lesson
    upload = _start(enrollment, assignment, DUE - timedelta(days=1))
    # The bytes reached the bucket in time; the form naming them comes after the cut-off (today).
    s3_media.client.put_object(Bucket=s3_media.bucket, Key=upload.key, Body=MP4)
    BucketUpload.objects.filter(pk=upload.pk).update(completed_at=DUE)
    staged = bucket_upload_file(user=enrollment.person.user, assignment=assignment, upload_id=upload.pk)
    with pytest.raises(ValidationError) as refused:
        submission_submit(
            enrollment=enrollment, assignment=assignment, file=staged, topic="Дроби", by=enrollment.person.user
        )
    assert "Приём работ закрыт" in " ".join(refused.value.messages)
    assert not Submission.objects.exists() and s3_media.keys("submissions/") == []
