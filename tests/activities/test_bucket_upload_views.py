"""The endpoints of uploads straight to the S3 bucket (activities/views_bucket.py) and the video page with S3 media,
against a real S3-compatible server (moto): the owner starts, signs, lists, completes and submits; a stranger,
another participant and an anonymous visitor reach nothing; refusals are Russian sentences; the page sends the
file to the bucket instead of by tus and lets the browser reach the bucket's origin."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import BucketUpload, Submission
from tests.activities.video_samples import MP4
from tests.bucket_fixtures import MIB
from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db

PREFIX = "incoming-uploads/"
VIDEO = MP4 + os.urandom(5 * MIB + 4321 - len(MP4))


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


@pytest.fixture
def assignment(enrollment):
    return VideoAssignmentFactory(activity=ActivityFactory(season=enrollment.season, kind="video_lesson"))


@pytest.fixture
def owner(client, enrollment):
    client.force_login(enrollment.person.user)
    return client


def post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def create(client, assignment, size=None, filename="урок.mp4"):
    size = len(VIDEO) if size is None else size
    return post_json(
        client, reverse("bucket_upload_create", args=[assignment.pk]), {"filename": filename, "size": size}
    )


def put_part(url: str, data: bytes) -> int:
    request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": ""})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def send_parts(client, upload: dict, numbers, data=VIDEO):
    signed = post_json(client, upload["sign_url"], {"parts": list(numbers)})
    assert signed.status_code == 200
    for number in numbers:
        begin = (number - 1) * upload["part_size"]
        assert put_part(signed.json()["urls"][str(number)], data[begin : begin + upload["part_size"]]) == 200


def submit(client, assignment, upload_id, **extra):
    data = {
        "video_url": "",
        "upload": str(upload_id),
        "topic": "Сложение дробей",
        "grade": "6 «Б»",
        "subject": "",
        "learning_format": "",
        "reflection": "Ученики работали в группах.",
        **extra,
    }
    return client.post(reverse("video_assignment", args=[assignment.pk]), data)


def test_a_file_sent_to_the_bucket_in_parts_resumed_and_completed_is_submitted(s3_media, owner, assignment):
    created = create(owner, assignment)
    assert created.status_code == 201
    upload = created.json()
    assert upload["parts_count"] == 2 and upload["part_size"] == 5 * MIB and not upload["completed"]
    record = BucketUpload.objects.get()
    assert upload["id"] == str(record.pk) and record.filename == "урок.mp4"

    send_parts(owner, upload, [1])
    # The connection broke: the page (or a reloaded one) asks what the bucket has and sends only the rest.
    listed = owner.get(upload["url"])
    assert listed.status_code == 200
    assert listed.json()["parts"] == [{"number": 1, "size": 5 * MIB}]
    early = post_json(owner, upload["complete_url"])
    assert early.status_code == 409 and "не все части" in early.json()["error"]
    send_parts(owner, upload, [2])
    completed = post_json(owner, upload["complete_url"])
    assert completed.status_code == 200 and completed.json()["completed"]

    response = submit(owner, assignment, upload["id"])
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.video_file.name.startswith("submissions/") and submission.video_file.name.endswith(".mp4")
    assert s3_media.read(submission.video_file.name) == VIDEO
    assert not BucketUpload.objects.exists() and s3_media.keys(PREFIX) == []


def test_an_incomplete_upload_is_refused_by_the_form_in_russian(s3_media, owner, assignment):
    upload = create(owner, assignment).json()
    send_parts(owner, upload, [1])
    response = submit(owner, assignment, upload["id"])
    assert response.status_code == 200
    assert "Загрузка файла не завершена или устарела" in response.content.decode()
    assert not Submission.objects.exists() and BucketUpload.objects.exists()


def test_a_fixable_error_keeps_the_completed_upload_for_the_next_try(s3_media, owner, assignment):
    upload = create(owner, assignment).json()
    send_parts(owner, upload, [1, 2])
    post_json(owner, upload["complete_url"])
    response = submit(owner, assignment, upload["id"], topic="")
    assert response.status_code == 200
    assert f'value="{upload["id"]}"' in response.content.decode()
    assert s3_media.keys("submissions/") == [] and s3_media.keys(PREFIX) == [f"{PREFIX}{upload['id']}"]
    assert submit(owner, assignment, upload["id"]).status_code == 302


def test_the_start_is_refused_in_russian(s3_media, owner, assignment, settings):
    settings.VIDEO_MAX_BYTES = 5 * MIB
    too_large = create(owner, assignment)
    assert too_large.status_code == 413 and "5 МБ" in too_large.json()["error"]
    empty = create(owner, assignment, size=0)
    assert empty.status_code == 400 and "пустой" in empty.json()["error"]
    for body in ("not json", json.dumps({"size": "12"}), json.dumps([1])):
        bad = owner.post(reverse("bucket_upload_create", args=[assignment.pk]), body, content_type="application/json")
        assert bad.status_code == 400 and "размер" in bad.json()["error"]
    assignment.opens_at = timezone.now() + timedelta(days=3)
    assignment.save(update_fields=["opens_at"])
    closed = create(owner, assignment, size=1000)
    assert closed.status_code == 403 and "Приём работ ещё не открыт" in closed.json()["error"]
    assert not BucketUpload.objects.exists() and s3_media.multipart_uploads() == []


def test_signing_wrong_parts_is_refused_in_russian(s3_media, owner, assignment):
    upload = create(owner, assignment).json()
    for parts in ([3], [0], "1", [True]):
        response = post_json(owner, upload["sign_url"], {"parts": parts})
        assert response.status_code == 400 and response.json()["error"]


def test_delete_gives_the_upload_up(s3_media, owner, assignment):
    upload = create(owner, assignment).json()
    send_parts(owner, upload, [1])
    assert owner.delete(upload["url"]).status_code == 200
    assert not BucketUpload.objects.exists() and s3_media.multipart_uploads() == []
    assert owner.get(upload["url"]).status_code == 404


def test_an_upload_s3_no_longer_knows_is_404_so_the_page_starts_again(s3_media, owner, assignment):
    upload = create(owner, assignment).json()
    record = BucketUpload.objects.get()
    s3_media.client.abort_multipart_upload(Bucket=s3_media.bucket, Key=record.key, UploadId=record.multipart_id)
    assert owner.get(upload["url"]).status_code == 404
    assert not BucketUpload.objects.exists()


def test_strangers_reach_nothing(s3_media, client, owner, assignment, enrollment):
    upload = create(owner, assignment).json()
    send_parts(owner, upload, [1, 2])
    other = EnrollmentFactory(season=enrollment.season)
    client.force_login(other.person.user)
    assert post_json(client, upload["sign_url"], {"parts": [1]}).status_code == 404
    assert client.get(upload["url"]).status_code == 404
    assert post_json(client, upload["complete_url"]).status_code == 404
    assert client.delete(upload["url"]).status_code == 404
    # Naming the other's upload in one's own form: refused, nothing copied.
    own_assignment = VideoAssignmentFactory(activity=ActivityFactory(season=other.season, kind="video_lesson"))
    post_json(owner, upload["complete_url"])
    response = submit(client, own_assignment, upload["id"])
    assert response.status_code == 200 and "Загрузка файла не завершена" in response.content.decode()
    # Someone of another season cannot start one for this assignment.
    outsider = EnrollmentFactory()
    client.force_login(outsider.person.user)
    assert create(client, assignment).status_code == 404
    assert BucketUpload.objects.count() == 1 and not Submission.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(s3_media, client, assignment):
    response = create(client, assignment)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("bucket_upload", args=["00000000-0000-0000-0000-000000000001"])).status_code == 302


def test_with_local_media_the_endpoints_are_404_and_the_page_uses_tus(owner, assignment, settings):
    settings.RESUMABLE_UPLOAD_CLIENT = True
    assert create(owner, assignment).status_code == 404
    html = owner.get(reverse("video_assignment", args=[assignment.pk])).content.decode()
    assert "data-resumable-endpoint" in html and "data-bucket-endpoint" not in html
    assert "js/bucket-upload.js" not in html


def test_with_s3_media_the_page_sends_the_file_to_the_bucket(s3_media, owner, assignment, settings):
    settings.RESUMABLE_UPLOAD_CLIENT = True
    response = owner.get(reverse("video_assignment", args=[assignment.pk]))
    html = response.content.decode()
    assert f'data-bucket-endpoint="{reverse("bucket_upload_create", args=[assignment.pk])}"' in html
    assert "js/bucket-upload.js" in html and "js/upload-form.js" in html
    assert "data-resumable-endpoint" not in html and "tus.min.js" not in html
    connect = next(d for d in response["Content-Security-Policy"].split(";") if d.strip().startswith("connect-src"))
    assert s3_media.endpoint in connect and "'self'" in connect
