"""The uploaded video is served only to its owner, its reviewers, the teacher's group curator and the season's
coordinators — to every expert of the season only when the season opens its videos to them (with a reason);
anyone else gets the 404 a missing id gets. Media has no public URL."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from experts.models import ExpertGroup, GroupMember
from participants.models import User
from ratings.models import ReviewAssignment
from tests.activities.video_samples import MP4, WEBM
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission():
    enrollment = EnrollmentFactory()
    sub = SubmissionFactory(
        enrollment=enrollment,
        assignment=VideoAssignmentFactory(activity__season=enrollment.season),
        video_url="",
        video_file=ContentFile(MP4, name="0123abcd.mp4"),
    )
    return sub


@pytest.fixture
def url(submission):
    return reverse("submission_file", args=[submission.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def coordinator(municipality) -> User:
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


def test_owner_gets_the_file_with_a_safe_content_type(client, submission, url):
    client.force_login(submission.enrollment.person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"]
    assert body(response) == MP4


def test_a_byte_range_is_served_partially(client, submission, url):
    client.force_login(submission.enrollment.person.user)
    response = client.get(url, HTTP_RANGE="bytes=4-11")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    assert response["Content-Length"] == "8"
    assert body(response) == MP4[4:12] == b"ftypisom"
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and body(tail) == MP4[-10:]
    open_ended = client.get(url, HTTP_RANGE="bytes=300-")
    assert body(open_ended) == MP4[300:]
    refused = client.get(url, HTTP_RANGE=f"bytes={len(MP4)}-")
    assert refused.status_code == 416
    assert refused["Content-Range"] == f"bytes */{len(MP4)}"


def test_webm_is_served_as_webm(client, submission):
    submission.video_file.save("fedc.webm", ContentFile(WEBM), save=True)
    client.force_login(submission.enrollment.person.user)
    response = client.get(reverse("submission_file", args=[submission.pk]))
    assert response["Content-Type"] == "video/webm"


def test_another_teacher_gets_404(client, submission, url):
    client.force_login(EnrollmentFactory(season=submission.enrollment.season).person.user)
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_coordinator_of_the_municipality_sees_it(client, submission, url):
    client.force_login(coordinator(submission.enrollment.season.program.municipality))
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == MP4


def test_a_coordinator_of_another_municipality_gets_404(client, url):
    client.force_login(coordinator(MunicipalityFactory()))
    assert client.get(url).status_code == 404


def test_staff_of_the_municipality_who_is_not_a_coordinator_gets_404(client, submission, url):
    municipality = submission.enrollment.season.program.municipality
    client.force_login(UserFactory(is_staff=True, role=User.Role.TEACHER, municipality=municipality))
    assert client.get(url).status_code == 404


def _page(response, address: str) -> str:
    """The page without what differs on every answer (the CSRF token of the sign-out form) and the address asked."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return html.replace(address, "ADDRESS")


def test_an_expert_of_the_season_not_reviewing_it_gets_what_a_missing_id_gets(client, submission, url):
    season = submission.enrollment.season
    missing = reverse("submission_file", args=[submission.pk + 1000])
    for role in ("psychologist", "tech_specialist", "methodist", "curator"):
        client.force_login(ExpertAssignmentFactory(season=season, role=role).person.user)
        stranger, nothing = client.get(url), client.get(missing)
        assert stranger.status_code == nothing.status_code == 404, role
        assert _page(stranger, url) == _page(nothing, missing), role


def test_its_reviewer_and_the_group_curator_see_it(client, submission, url):
    season = submission.enrollment.season
    reviewer = ExpertAssignmentFactory(season=season, role="methodist")
    ReviewAssignment.objects.create(submission=submission, expert=reviewer)
    curator = ExpertAssignmentFactory(season=season, role="curator")
    group = ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)
    GroupMember.objects.create(group=group, enrollment=submission.enrollment)
    for expert in (reviewer, curator):
        client.force_login(expert.person.user)
        assert client.get(url).status_code == 200


def test_a_season_that_opens_its_videos_lets_all_its_experts_in(client, submission, url):
    season = submission.enrollment.season
    season.videos_open_to_experts = True
    season.videos_open_reason = "Технический специалист собирает материалы от участников (приказ № 643-од)"
    season.save()
    client.force_login(ExpertAssignmentFactory(season=season, role="tech_specialist").person.user)
    response = client.get(url)
    assert response.status_code == 200 and body(response) == MP4


def test_an_expert_of_another_season_or_no_longer_working_gets_404(client, submission, url):
    elsewhere = ExpertAssignmentFactory()
    client.force_login(elsewhere.person.user)
    assert client.get(url).status_code == 404
    retired = ExpertAssignmentFactory(season=submission.enrollment.season, is_active=False, person=PersonFactory())
    client.force_login(retired.person.user)
    assert client.get(url).status_code == 404


def test_a_link_submission_has_no_file_to_serve(client):
    sub = SubmissionFactory()
    client.force_login(sub.enrollment.person.user)
    assert client.get(reverse("submission_file", args=[sub.pk])).status_code == 404


def test_media_files_have_no_public_url(client, submission, settings):
    # No URL pattern serves MEDIA_ROOT (config/urls.py has no static() or serve view for it), even for the owner.
    client.force_login(submission.enrollment.person.user)
    assert client.get("/" + settings.MEDIA_URL.strip("/") + "/" + submission.video_file.name).status_code == 404
    assert client.get("/media/" + submission.video_file.name).status_code == 404
