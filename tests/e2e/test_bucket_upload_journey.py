"""With media on S3, a teacher on a poor connection sends a video lesson in real Chromium: the page sends it by S3
multipart straight to the bucket (a real S3-compatible server, moto), the connection drops on one part, the part is
signed and sent again by itself, and the lesson is submitted with the file intact, stored in the bucket."""

from __future__ import annotations

import os

import pytest
from django.db import connections
from django.urls import reverse

from tests.bucket_fixtures import MIB

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_data(s3_media):
    from activities.models import ActivityKind
    from tests.activities.video_samples import MP4
    from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

    enrollment = EnrollmentFactory()
    assignment = VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, kind=ActivityKind.VIDEO_LESSON, module=None)
    )
    return {
        "user": enrollment.person.user,
        "assignment": assignment,
        # Three parts at the 5 MiB part size, the last one short.
        "video": MP4 + os.urandom(10 * MIB + 7000),
        "s3": s3_media,
    }


def test_a_video_sent_to_the_bucket_in_parts_survives_a_dropped_connection(
    live_server, portal_data, browser, tmp_path, shot
):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    from activities.models import BucketUpload, ResumableUpload, Submission
    from tests.factories import PASSWORD

    s3 = portal_data["s3"]
    expect.set_options(timeout=30_000)
    video = tmp_path / "урок.mp4"
    video.write_bytes(portal_data["video"])
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    parts = {"sent": [], "dropped": 0, "to_portal": 0}

    def drop_the_second_part(route):
        if route.request.method == "PUT":
            parts["sent"].append(route.request.url)
            if len(parts["sent"]) == 2 and not parts["dropped"]:
                parts["dropped"] += 1
                route.abort("connectionreset")
                return
        route.continue_()

    def count_tus(route):
        parts["to_portal"] += 1
        route.continue_()

    try:
        page.goto(reverse("login"))
        page.get_by_label("Электронная почта").fill(portal_data["user"].email)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.route(f"{s3.endpoint}/**", drop_the_second_part)
        page.route("**/cabinet/videos/uploads/**", count_tus)
        page.goto(reverse("video_assignment", args=[portal_data["assignment"].pk]))
        page.get_by_label("Или видеофайл").set_input_files(str(video))
        page.get_by_label("Тема урока").fill("Сложение дробей")
        page.get_by_label("Класс (группа)").fill("6 «Б»")
        page.get_by_label("Самоанализ урока").fill("Ученики работали в группах.")
        page.get_by_role("button", name="Сдать").click()
        expect(page.get_by_text("Видеоурок сдан.")).to_be_visible()
        shot(page, "bucket upload, submitted")

        assert parts["dropped"] == 1 and len(parts["sent"]) == 4  # three parts, the dropped one sent again
        assert "partNumber=2" in parts["sent"][1] and "partNumber=2" in parts["sent"][2]
        assert parts["to_portal"] == 0  # no byte went to the portal's tus endpoint
        submission = Submission.objects.get()
        assert s3.read(submission.video_file.name) == portal_data["video"]
        assert not BucketUpload.objects.exists() and not ResumableUpload.objects.exists()
        assert s3.keys("incoming-uploads/") == [] and s3.multipart_uploads() == []
    finally:
        context.close()
        # While Playwright's loop runs, the ORM here has a connection of its own that nothing else closes.
        connections.close_all()
