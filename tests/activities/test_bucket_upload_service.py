"""Video uploads straight to the S3 bucket (activities/services_bucket.py) against a real S3-compatible server
(moto): start, sign, list, complete, abort, the cleanup job, and `submission_submit` checking a completed upload
exactly as a posted file (size from HEAD, type from the first bytes, window, ownership) and storing its object
by a copy inside the bucket."""

from __future__ import annotations

import os
import urllib.request
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import BucketUpload, Submission
from activities.services import submission_submit
from activities.services_bucket import (
    BucketUploadGone,
    BucketVideo,
    bucket_part_size,
    bucket_upload_abort,
    bucket_upload_complete,
    bucket_upload_create,
    bucket_upload_file,
    bucket_upload_parts,
    bucket_upload_settle,
    bucket_upload_sign,
    bucket_uploads_clean,
    bucket_uploads_enabled,
)
from activities.services_resumable import resumable_uploads_clean_job
from core.models import JobRun
from tests.activities.video_samples import EXE, MP4
from tests.bucket_fixtures import MIB
from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db

PREFIX = "incoming-uploads/"
# Two parts at the 5 MiB part size: a full one and a short last one, bytes differing everywhere.
VIDEO = MP4 + os.urandom(5 * MIB + 1000 - len(MP4))


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


@pytest.fixture
def assignment(enrollment):
    return VideoAssignmentFactory(activity=ActivityFactory(season=enrollment.season, kind="video_lesson"))


def start(enrollment, assignment, data=VIDEO, *, now=None, user=None):
    return bucket_upload_create(
        user=user or enrollment.person.user,
        enrollment=enrollment,
        assignment=assignment,
        length=len(data),
        filename="C:\\Видео\\урок.mp4",
        now=now or timezone.now(),
    )


def put_part(url: str, data: bytes) -> int:
    # As a browser sends a Blob slice: no form content type (urllib's default), which S3 servers would parse.
    request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": ""})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def send(upload, data=VIDEO, parts=None):
    urls = bucket_upload_sign(upload=upload, part_numbers=list(range(1, upload.parts_count + 1)), now=timezone.now())
    for number in parts or urls:
        begin = (number - 1) * upload.part_size
        assert put_part(urls[number], data[begin : begin + upload.part_size]) == 200


def finished(enrollment, assignment, data=VIDEO, **kwargs):
    upload = start(enrollment, assignment, data, **kwargs)
    send(upload, data)
    return bucket_upload_complete(upload=upload, now=timezone.now())


def submit(enrollment, assignment, file, **extra):
    return submission_submit(
        enrollment=enrollment,
        assignment=assignment,
        file=file,
        topic="Сложение дробей",
        reflection="Ученики работали в группах.",
        by=enrollment.person.user,
        **extra,
    )


def test_with_local_media_the_bucket_is_not_used():
    assert not bucket_uploads_enabled()
    assert bucket_uploads_clean(now=timezone.now()) == 0


def test_an_upload_starts_under_the_private_prefix_with_s3_multipart(s3_media, enrollment, assignment):
    upload = start(enrollment, assignment)
    assert bucket_uploads_enabled()
    assert upload.key == f"{PREFIX}{upload.pk}" and upload.filename == "урок.mp4"
    assert upload.part_size == 5 * MIB and upload.parts_count == 2 and not upload.is_complete
    assert [u["UploadId"] for u in s3_media.multipart_uploads(PREFIX)] == [upload.multipart_id]


def test_the_part_size_grows_so_that_a_file_needs_at_most_10000_parts(s3_media):
    assert bucket_part_size(2 * 1024**3) == 5 * MIB
    assert bucket_part_size(100_000 * MIB) == 10 * MIB


def test_part_urls_are_short_lived_and_only_for_the_uploads_parts(s3_media, settings, enrollment, assignment):
    settings.S3_UPLOAD_URL_SECONDS = 120
    upload = start(enrollment, assignment)
    later = timezone.now() + timedelta(minutes=5)
    urls = bucket_upload_sign(upload=upload, part_numbers=[1, 2], now=later)
    assert set(urls) == {1, 2}
    assert all(s3_media.endpoint in url and upload.multipart_id in url for url in urls.values())
    assert "partNumber=2" in urls[2] and ("X-Amz-Expires=120" in urls[2] or "Expires=" in urls[2])
    upload.refresh_from_db()
    assert upload.updated_at == later  # signing keeps the upload alive for the cleanup job
    for wrong in ([0], [3], [], list(range(1, 102))):
        with pytest.raises(ValidationError):
            bucket_upload_sign(upload=upload, part_numbers=wrong, now=later)


def test_listing_tells_which_parts_arrived_to_go_on_after_a_break(s3_media, enrollment, assignment):
    upload = start(enrollment, assignment)
    assert bucket_upload_parts(upload=upload) == []
    send(upload, parts=[2])
    assert [(p["number"], p["size"]) for p in bucket_upload_parts(upload=upload)] == [(2, 1000)]
    with pytest.raises(ValidationError) as refused:
        bucket_upload_complete(upload=upload, now=timezone.now())
    assert refused.value.code == "incomplete" and "не все части" in refused.value.messages[0]
    send(upload, parts=[1])
    upload = bucket_upload_complete(upload=upload, now=timezone.now())
    assert upload.is_complete and BucketUpload.objects.get().is_complete
    assert s3_media.read(upload.key) == VIDEO
    assert s3_media.multipart_uploads(PREFIX) == []
    assert bucket_upload_complete(upload=upload, now=timezone.now()).is_complete  # twice is harmless


def test_a_part_of_the_wrong_size_is_not_joined(s3_media, enrollment, assignment):
    upload = start(enrollment, assignment)
    urls = bucket_upload_sign(upload=upload, part_numbers=[1, 2], now=timezone.now())
    put_part(urls[1], VIDEO[: 5 * MIB])
    put_part(urls[2], VIDEO[5 * MIB :] + b"tail")
    with pytest.raises(ValidationError):
        bucket_upload_complete(upload=upload, now=timezone.now())


def test_abort_drops_the_parts_and_the_record(s3_media, enrollment, assignment):
    upload = start(enrollment, assignment)
    send(upload, parts=[1])
    bucket_upload_abort(upload=upload)
    assert not BucketUpload.objects.exists() and s3_media.multipart_uploads(PREFIX) == []
    with pytest.raises(BucketUploadGone):
        bucket_upload_parts(upload=upload)
    done = finished(enrollment, assignment)
    bucket_upload_abort(upload=done)
    assert s3_media.keys(PREFIX) == []


def test_the_start_is_refused_in_russian_like_a_tus_upload(s3_media, settings, enrollment, assignment):
    settings.VIDEO_MAX_BYTES = 5 * MIB
    with pytest.raises(ValidationError) as too_large:
        start(enrollment, assignment)
    assert too_large.value.code == "too_large" and "5 МБ" in too_large.value.messages[0]
    assignment.cutoff_at = assignment.due_at = timezone.now() - timedelta(days=1)
    assignment.save()
    with pytest.raises(ValidationError) as closed:
        start(enrollment, assignment, MP4)
    assert closed.value.code == "closed"
    assert s3_media.multipart_uploads(PREFIX) == [] and not BucketUpload.objects.exists()


def test_a_completed_upload_is_submitted_by_a_copy_inside_the_bucket(s3_media, enrollment, assignment):
    upload = finished(enrollment, assignment)
    staged = bucket_upload_file(user=enrollment.person.user, assignment=assignment, upload_id=upload.pk)
    assert isinstance(staged, BucketVideo) and staged.size == len(VIDEO)
    with pytest.raises(ValueError):
        staged.read()  # never the whole object through the web process
    submission = submit(enrollment, assignment, staged)
    bucket_upload_settle(staged=staged, used=True)
    name = submission.video_file.name
    assert name.startswith("submissions/") and name.endswith(".mp4")
    assert s3_media.read(name) == VIDEO
    assert s3_media.keys(PREFIX) == [] and not BucketUpload.objects.exists()
    assert Submission.objects.get().video_file.name == name


def test_an_upload_of_something_that_is_not_a_video_is_refused_and_kept(s3_media, enrollment, assignment):
    data = EXE + os.urandom(5 * MIB)
    upload = finished(enrollment, assignment, data)
    staged = bucket_upload_file(user=enrollment.person.user, assignment=assignment, upload_id=upload.pk)
    with pytest.raises(ValidationError) as refused:
        submit(enrollment, assignment, staged)
    assert "Это не видеофайл" in " ".join(refused.value.messages)
    bucket_upload_settle(staged=staged, used=False)
    assert not Submission.objects.exists() and BucketUpload.objects.exists()
    assert s3_media.keys("submissions/") == [] and s3_media.keys(PREFIX) == [upload.key]


def test_the_size_is_the_objects_own_not_the_declared_one(s3_media, settings, enrollment, assignment):
    upload = finished(enrollment, assignment)
    settings.VIDEO_MAX_BYTES = 5 * MIB  # lowered after the start: the object in the bucket is what counts
    staged = bucket_upload_file(user=enrollment.person.user, assignment=assignment, upload_id=upload.pk)
    with pytest.raises(ValidationError) as refused:
        submit(enrollment, assignment, staged)
    assert "5 МБ" in " ".join(refused.value.messages)
    assert s3_media.keys("submissions/") == []


def test_a_closed_window_refuses_the_submission(s3_media, enrollment, assignment):
    upload = finished(enrollment, assignment)
    staged = bucket_upload_file(user=enrollment.person.user, assignment=assignment, upload_id=upload.pk)
    assignment.cutoff_at = assignment.due_at = timezone.now() - timedelta(minutes=1)
    assignment.save()
    with pytest.raises(ValidationError):
        submit(enrollment, assignment, staged)
    assert not Submission.objects.exists() and s3_media.keys("submissions/") == []


def test_only_the_owners_completed_upload_of_this_assignment_can_be_named(s3_media, enrollment, assignment):
    upload = finished(enrollment, assignment)
    stranger = EnrollmentFactory(season=enrollment.season)
    other_assignment = VideoAssignmentFactory(activity=ActivityFactory(season=enrollment.season, kind="video_lesson"))
    unfinished = start(enrollment, assignment)
    send(unfinished, parts=[1])
    for user, target, upload_id in (
        (stranger.person.user, assignment, upload.pk),
        (enrollment.person.user, other_assignment, upload.pk),
        (enrollment.person.user, assignment, unfinished.pk),
    ):
        with pytest.raises(ValidationError) as refused:
            bucket_upload_file(user=user, assignment=target, upload_id=upload_id)
        assert refused.value.code == "upload_missing"


def test_a_completed_upload_whose_object_is_gone_is_refused(s3_media, enrollment, assignment):
    upload = finished(enrollment, assignment)
    s3_media.client.delete_object(Bucket=s3_media.bucket, Key=upload.key)
    with pytest.raises(ValidationError) as refused:
        bucket_upload_file(user=enrollment.person.user, assignment=assignment, upload_id=upload.pk)
    assert "Выберите файл ещё раз" in refused.value.messages[0]


def test_the_cleanup_job_aborts_abandoned_uploads_and_strays_and_keeps_fresh_ones(
    s3_media, settings, enrollment, assignment
):
    settings.RESUMABLE_UPLOAD_EXPIRY_HOURS = 48
    now = timezone.now()
    abandoned = start(enrollment, assignment, now=now - timedelta(hours=49))
    send(abandoned, parts=[1])
    abandoned_done = finished(enrollment, assignment, now=now - timedelta(hours=49))
    BucketUpload.objects.filter(pk=abandoned_done.pk).update(updated_at=now - timedelta(hours=49))
    fresh = start(enrollment, assignment, now=now - timedelta(hours=47))
    # Left by a crash between S3 and the database: no record knows it (moto dates every upload in 2010).
    stray = s3_media.client.create_multipart_upload(Bucket=s3_media.bucket, Key=f"{PREFIX}stray")
    s3_media.client.put_object(Bucket=s3_media.bucket, Key=f"{PREFIX}stray-object", Body=b"x")
    outside = s3_media.client.create_multipart_upload(Bucket=s3_media.bucket, Key="elsewhere/keep")

    run = resumable_uploads_clean_job(now=now + timedelta(days=3650 * 30), trigger=JobRun.Trigger.MANUAL)
    assert run.summary["deleted"] >= 4  # «now» far ahead: the stray object counts as old too
    assert list(BucketUpload.objects.all()) == []
    remaining = {u["UploadId"] for u in s3_media.multipart_uploads()}
    assert remaining == {outside["UploadId"]}
    assert s3_media.keys(PREFIX) == []
    assert stray["UploadId"] not in remaining and fresh.multipart_id not in remaining


def test_the_cleanup_keeps_uploads_a_record_still_knows(s3_media, settings, enrollment, assignment):
    settings.RESUMABLE_UPLOAD_EXPIRY_HOURS = 48
    now = timezone.now()
    fresh = start(enrollment, assignment, now=now - timedelta(hours=47))
    done = finished(enrollment, assignment, now=now - timedelta(hours=1))
    abandoned = start(enrollment, assignment, now=now - timedelta(hours=49))
    assert bucket_uploads_clean(now=now) == 1
    assert set(BucketUpload.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk}
    assert {u["UploadId"] for u in s3_media.multipart_uploads(PREFIX)} == {fresh.multipart_id}
    assert s3_media.keys(PREFIX) == [done.key]
    assert abandoned.multipart_id not in {u["UploadId"] for u in s3_media.multipart_uploads(PREFIX)}
