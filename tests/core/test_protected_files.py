"""Protected files go to the front server only after the permission check: X-Accel-Redirect behind nginx, a
presigned URL with S3, the process's own stream (with Range) otherwise (core/protected_files.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from storages.backends.s3 import S3Storage

from core.protected_files import protected_file_response
from participants.models import User
from ratings.models import ReviewAssignment
from tests.activities.video_samples import MP4
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)
from tests.ratings.achievement_helpers import AchievementFactory, with_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission():
    enrollment = EnrollmentFactory()
    return SubmissionFactory(
        enrollment=enrollment,
        assignment=VideoAssignmentFactory(activity__season=enrollment.season),
        video_url="",
        video_file=ContentFile(MP4, name="0123abcd.mp4"),
    )


@pytest.fixture
def nginx(settings):
    settings.SENDFILE_MODE = "nginx"


def coordinator(municipality) -> User:
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


def test_behind_nginx_the_owner_gets_an_internal_redirect_and_no_bytes(client, nginx, submission):
    client.force_login(submission.enrollment.person.user)
    response = client.get(reverse("submission_file", args=[submission.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + submission.video_file.name
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == f'inline; filename="video-{submission.pk}-v{submission.version}.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""


def test_behind_nginx_its_reviewer_and_a_coordinator_get_the_redirect(client, nginx, submission):
    reviewer = ExpertAssignmentFactory(season=submission.enrollment.season, role="methodist")
    ReviewAssignment.objects.create(submission=submission, expert=reviewer)
    for user in (reviewer.person.user, coordinator(submission.enrollment.season.program.municipality)):
        client.force_login(user)
        response = client.get(reverse("submission_file", args=[submission.pk]))
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == "/protected-media/" + submission.video_file.name


def test_behind_nginx_another_participant_gets_404_and_no_redirect(client, nginx, submission):
    other = EnrollmentFactory(season=submission.enrollment.season)
    client.force_login(other.person.user)
    response = client.get(reverse("submission_file", args=[submission.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_behind_nginx_an_expert_not_reviewing_it_gets_404_and_no_redirect(client, nginx, submission):
    psychologist = ExpertAssignmentFactory(season=submission.enrollment.season, role="psychologist")
    client.force_login(psychologist.person.user)
    response = client.get(reverse("submission_file", args=[submission.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_behind_nginx_an_anonymous_visitor_is_sent_to_sign_in_without_a_redirect(client, nginx, submission):
    response = client.get(reverse("submission_file", args=[submission.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "X-Accel-Redirect" not in response


def test_behind_nginx_a_missing_file_is_404(client, nginx, submission):
    submission.video_file.storage.delete(submission.video_file.name)
    client.force_login(submission.enrollment.person.user)
    response = client.get(reverse("submission_file", args=[submission.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_achievement_proofs_share_the_helper(client, nginx):
    achievement = with_file(AchievementFactory())
    client.force_login(achievement.enrollment.person.user)
    response = client.get(reverse("achievement_proof", args=[achievement.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + achievement.proof_file.name
    assert response["Content-Disposition"].startswith("attachment")
    other = EnrollmentFactory(season=achievement.enrollment.season)
    client.force_login(other.person.user)
    refused = client.get(reverse("achievement_proof", args=[achievement.pk]))
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


def test_in_python_mode_the_file_streams_with_ranges(client, submission):
    client.force_login(submission.enrollment.person.user)
    url = reverse("submission_file", args=[submission.pk])
    whole = client.get(url)
    assert "X-Accel-Redirect" not in whole
    assert b"".join(whole.streaming_content) == MP4
    part = client.get(url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == b"ftypisom"


def test_with_s3_the_view_redirects_to_a_short_lived_presigned_url(settings, submission):
    # Signing happens offline: no bucket is contacted.
    settings.PROTECTED_URL_SECONDS = 240
    storage = S3Storage(
        bucket_name="media",
        access_key="AKIAEXAMPLE",
        secret_key="secret",
        endpoint_url="https://s3.example.test",
        region_name="ru-central1",
        querystring_auth=True,
    )
    file = submission.video_file
    file.storage = storage
    request = RequestFactory().get("/")
    response = protected_file_response(request, file, filename="урок.mp4", content_type="video/mp4")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = urlsplit(response["Location"])
    assert location.netloc == "s3.example.test"
    query = parse_qs(location.query)
    assert query["X-Amz-Expires"] == ["240"]
    assert query["response-content-type"] == ["video/mp4"]
    assert "filename*=utf-8''%D1%83%D1%80%D0%BE%D0%BA.mp4" in query["response-content-disposition"][0]
