"""Resumable video uploads over tus (activities/views_resumable.py): a file sent in pieces, interrupted and
resumed, ends in the ordinary submission with the same checks; strangers get 404; an oversized file is refused
in Russian before a byte is sent."""

import base64
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ResumableUpload, Submission
from activities.services_resumable import resumable_upload_append, resumable_upload_path
from tests.activities.video_samples import MP4
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

TUS = {"Tus-Resumable": "1.0.0"}
# A playable head, then 300 KB of bytes that differ everywhere, so a misplaced piece shows.
VIDEO = MP4 + os.urandom(300 * 1024)


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


def create(client, assignment, length=None, filename="урок.mp4"):
    metadata = "filename " + base64.b64encode(filename.encode()).decode()
    return client.post(
        reverse("resumable_create", args=[assignment.pk]),
        headers={**TUS, "Upload-Length": str(length or len(VIDEO)), "Upload-Metadata": metadata},
    )


def patch(client, location, offset, data):
    return client.generic(
        "PATCH",
        location,
        data,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": str(offset)},
    )


def head(client, location):
    return client.head(location, headers=TUS)


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


def test_a_file_in_several_pieces_interrupted_and_resumed_ends_byte_identical(owner, assignment, enrollment):
    created = create(owner, assignment)
    assert created.status_code == 201
    assert created["Tus-Resumable"] == "1.0.0"
    location = created["Location"]
    upload = ResumableUpload.objects.get()
    assert upload.filename == "урок.mp4" and upload.user == enrollment.person.user

    piece = 100 * 1024
    first = patch(owner, location, 0, VIDEO[:piece])
    assert first.status_code == 204 and first["Upload-Offset"] == str(piece)
    # The connection broke: the browser does not know whether its second piece arrived. It asks, and a
    # repeated piece at a stale offset is refused rather than written twice.
    assert patch(owner, location, piece, VIDEO[piece : 2 * piece]).status_code == 204
    assert patch(owner, location, piece, VIDEO[piece : 2 * piece]).status_code == 409
    asked = head(owner, location)
    assert asked.status_code == 200
    assert asked["Upload-Offset"] == str(2 * piece) and asked["Upload-Length"] == str(len(VIDEO))
    assert "no-store" in asked["Cache-Control"]
    offset = int(asked["Upload-Offset"])
    while offset < len(VIDEO):
        response = patch(owner, location, offset, VIDEO[offset : offset + piece])
        assert response.status_code == 204
        offset = int(response["Upload-Offset"])

    response = submit(owner, assignment, upload.pk)
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = Submission.objects.get()
    with submission.video_file.open("rb") as stored:
        assert stored.read() == VIDEO
    assert submission.video_file.name.endswith(".mp4")
    # The upload is used up: its row and its bytes are gone.
    assert not ResumableUpload.objects.exists()
    assert not resumable_upload_path(upload.pk).exists()


def test_a_piece_cut_off_midway_is_kept_and_the_rest_follows(owner, assignment):
    location = create(owner, assignment)["Location"]

    class BrokenStream:
        """What a request body looks like when the client goes away after 1000 bytes."""

        def __init__(self, data):
            self.data, self.sent = data, False

        def read(self, size):
            if self.sent:
                raise OSError("connection reset")
            self.sent = True
            return self.data[:1000]

    upload = ResumableUpload.objects.get()
    resumable_upload_append(upload=upload, offset=0, stream=BrokenStream(VIDEO), now=timezone.now())
    assert head(owner, location)["Upload-Offset"] == "1000"
    assert patch(owner, location, 1000, VIDEO[1000:]).status_code == 204
    assert submit(owner, assignment, upload.pk).status_code == 302
    with Submission.objects.get().video_file.open("rb") as stored:
        assert stored.read() == VIDEO


def test_an_oversized_file_is_refused_in_russian_before_any_byte(owner, assignment, settings):
    settings.VIDEO_MAX_BYTES = 1024 * 1024
    response = create(owner, assignment, length=settings.VIDEO_MAX_BYTES + 1)
    assert response.status_code == 413
    assert response.content.decode() == "Файл больше допустимых 1 МБ: выберите файл поменьше или сожмите видео."
    assert not ResumableUpload.objects.exists()


def test_the_season_limit_applies_when_lower(owner, assignment):
    season = assignment.activity.season
    season.video_max_size_mb = 1
    season.save(update_fields=["video_max_size_mb"])
    response = create(owner, assignment, length=1024 * 1024 + 1)
    assert response.status_code == 413
    assert "1 МБ" in response.content.decode()


def test_a_closed_window_is_refused_when_the_upload_starts(owner, assignment):
    assignment.opens_at = timezone.now() + timedelta(days=3)
    assignment.save(update_fields=["opens_at"])
    response = create(owner, assignment)
    assert response.status_code == 403
    assert "Приём работ ещё не открыт" in response.content.decode()


def test_a_file_that_is_not_a_video_is_refused_by_the_form_and_the_upload_kept(owner, assignment):
    data = b"MZ" + b"\0" * 5000
    location = create(owner, assignment, length=len(data))["Location"]
    patch(owner, location, 0, data)
    upload = ResumableUpload.objects.get()
    response = submit(owner, assignment, upload.pk)
    assert response.status_code == 200
    assert "Это не видеофайл" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_fixable_error_keeps_the_finished_upload_for_the_next_try(owner, assignment):
    location = create(owner, assignment)["Location"]
    patch(owner, location, 0, VIDEO)
    upload = ResumableUpload.objects.get()
    response = submit(owner, assignment, upload.pk, topic="")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{upload.pk}"' in html and "Файл уже загружен на сервер" in html
    assert submit(owner, assignment, upload.pk).status_code == 302
    with Submission.objects.get().video_file.open("rb") as stored:
        assert stored.read() == VIDEO


def test_an_unfinished_upload_cannot_be_submitted(owner, assignment):
    location = create(owner, assignment)["Location"]
    patch(owner, location, 0, VIDEO[:1000])
    response = submit(owner, assignment, ResumableUpload.objects.get().pk)
    assert response.status_code == 200
    assert "Загрузка файла не завершена или устарела" in response.content.decode()
    assert not Submission.objects.exists()


def test_another_participant_can_neither_continue_nor_submit_the_upload(client, owner, assignment, enrollment):
    location = create(owner, assignment)["Location"]
    patch(owner, location, 0, VIDEO)
    upload = ResumableUpload.objects.get()
    other = EnrollmentFactory(season=enrollment.season)
    client.force_login(other.person.user)
    assert head(client, location).status_code == 404
    assert patch(client, location, len(VIDEO), b"x").status_code == 404
    assert client.delete(location, headers=TUS).status_code == 404
    response = submit(client, assignment, upload.pk)
    assert response.status_code == 200
    assert "Загрузка файла не завершена или устарела" in response.content.decode()
    assert not Submission.objects.exists()
    assert ResumableUpload.objects.filter(pk=upload.pk, offset=len(VIDEO)).exists()


def test_an_expert_and_an_anonymous_visitor_cannot_start_or_see_uploads(client, assignment, enrollment):
    reviewer = ExpertAssignmentFactory(season=enrollment.season, role="methodist")
    client.force_login(reviewer.person.user)
    assert create(client, assignment).status_code == 404
    client.logout()
    response = create(client, assignment)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not ResumableUpload.objects.exists()


def test_the_starter_can_give_the_upload_up(owner, assignment):
    location = create(owner, assignment)["Location"]
    upload = ResumableUpload.objects.get()
    patch(owner, location, 0, VIDEO[:500])
    assert owner.delete(location, headers=TUS).status_code == 204
    assert not ResumableUpload.objects.exists()
    assert not resumable_upload_path(upload.pk).exists()


def test_protocol_errors_are_refused_plainly(owner, assignment):
    assert owner.post(reverse("resumable_create", args=[assignment.pk])).status_code == 412
    no_length = owner.post(reverse("resumable_create", args=[assignment.pk]), headers=TUS)
    assert no_length.status_code == 400 and no_length.content.decode() == "Не указан размер файла."
    location = create(owner, assignment)["Location"]
    wrong_type = owner.generic(
        "PATCH", location, b"abc", content_type="text/plain", headers={**TUS, "Upload-Offset": "0"}
    )
    assert wrong_type.status_code == 415


def test_the_page_offers_the_resumable_upload_when_the_client_library_is_installed(owner, assignment, settings):
    settings.RESUMABLE_UPLOAD_CLIENT = True
    html = owner.get(reverse("video_assignment", args=[assignment.pk])).content.decode()
    assert f'data-resumable-endpoint="{reverse("resumable_create", args=[assignment.pk])}"' in html
    assert "vendor/tus-js-client/tus.min.js" in html
    assert "<noscript>" in html and "не больше 200 МБ" in html
    settings.RESUMABLE_UPLOAD_CLIENT = False
    plain = owner.get(reverse("video_assignment", args=[assignment.pk])).content.decode()
    assert "data-resumable-endpoint" not in plain and "tus.min.js" not in plain
