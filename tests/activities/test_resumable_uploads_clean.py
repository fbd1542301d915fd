"""The job «clean_resumable_uploads»: uploads untouched for RESUMABLE_UPLOAD_EXPIRY_HOURS go with their bytes;
fresh ones, however unfinished, stay; a stray piece file as old whose row is gone goes too."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import ResumableUpload
from activities.services_resumable import resumable_upload_create, resumable_upload_path, resumable_uploads_clean_job
from activities.tasks import resumable_uploads_clean_task
from core.models import JobRun
from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def start():
    enrollment = EnrollmentFactory()
    assignment = VideoAssignmentFactory(activity=ActivityFactory(season=enrollment.season, kind="video_lesson"))

    def start(at):
        upload = resumable_upload_create(
            user=enrollment.person.user,
            enrollment=enrollment,
            assignment=assignment,
            length=1000,
            filename="урок.mp4",
            now=at,
        )
        resumable_upload_path(upload.pk).write_bytes(b"x" * 400)
        return upload

    return start


def test_abandoned_uploads_and_their_bytes_are_deleted_fresh_ones_stay(settings, start):
    settings.RESUMABLE_UPLOAD_EXPIRY_HOURS = 48
    now = timezone.now()
    abandoned = start(now - timedelta(hours=49))
    fresh = start(now - timedelta(hours=47))
    stray = resumable_upload_path("0f0f0f0f-0000-0000-0000-000000000000")
    stray.write_bytes(b"left behind")
    old = (now - timedelta(hours=49)).timestamp()
    os.utime(stray, (old, old))
    young_stray = resumable_upload_path("1f1f1f1f-0000-0000-0000-000000000000")
    young_stray.write_bytes(b"being created")

    run = resumable_uploads_clean_job(now=now)

    assert run.summary == {"deleted": 1}
    assert list(ResumableUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not resumable_upload_path(abandoned.pk).exists()
    assert resumable_upload_path(fresh.pk).read_bytes() == b"x" * 400
    assert not stray.exists()
    assert young_stray.exists()
    logged = JobRun.objects.get(job="clean_resumable_uploads")
    assert logged.status == JobRun.Status.SUCCESS and logged.message == "Удалено брошенных загрузок: 1."


def test_the_scheduled_task_runs_the_job_and_is_safe_to_run_twice(settings, start):
    settings.RESUMABLE_UPLOAD_EXPIRY_HOURS = 1
    start(timezone.now() - timedelta(hours=2))
    assert resumable_uploads_clean_task() == {"deleted": 1}
    assert resumable_uploads_clean_task() == {"deleted": 0}
    assert not ResumableUpload.objects.exists()
