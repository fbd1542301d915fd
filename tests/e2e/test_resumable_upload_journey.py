"""A teacher on a poor connection sends a video lesson in real Chromium: tus-js-client sends it in pieces, the
connection drops on one piece, the upload goes on by itself, and the lesson is submitted with the file intact."""

from __future__ import annotations

import os

import pytest
from django.db import connections
from django.urls import reverse

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PIECE = 64 * 1024


@pytest.fixture
def portal_data(settings):
    from activities.models import ActivityKind
    from tests.activities.video_samples import MP4
    from tests.factories import ActivityFactory, EnrollmentFactory, VideoAssignmentFactory

    settings.RESUMABLE_UPLOAD_CLIENT = True
    settings.RESUMABLE_UPLOAD_CHUNK_BYTES = PIECE
    enrollment = EnrollmentFactory()
    assignment = VideoAssignmentFactory(
        activity=ActivityFactory(season=enrollment.season, kind=ActivityKind.VIDEO_LESSON, module=None)
    )
    return {"user": enrollment.person.user, "assignment": assignment, "video": MP4 + os.urandom(5 * PIECE)}


def test_a_video_sent_in_pieces_survives_a_dropped_connection(live_server, portal_data, browser, tmp_path, shot):
    if browser is None:
        pytest.fail(f"CI is set but {CHROMIUM} is missing: CI must install Chromium (apt-get install -y chromium)")
    from playwright.sync_api import expect

    from activities.models import ResumableUpload, Submission
    from tests.factories import PASSWORD

    expect.set_options(timeout=20_000)
    video = tmp_path / "урок.mp4"
    video.write_bytes(portal_data["video"])
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    pieces = {"sent": 0, "dropped": 0}

    def drop_the_third_piece(route):
        if route.request.method == "PATCH":
            pieces["sent"] += 1
            if pieces["sent"] == 3 and not pieces["dropped"]:
                pieces["dropped"] += 1
                route.abort("connectionreset")
                return
        route.continue_()

    try:
        page.goto(reverse("login"))
        page.get_by_label("Электронная почта").fill(portal_data["user"].email)
        page.get_by_label("Пароль").fill(PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.route("**/cabinet/videos/uploads/**", drop_the_third_piece)
        page.goto(reverse("video_assignment", args=[portal_data["assignment"].pk]))
        page.get_by_label("Или видеофайл").set_input_files(str(video))
        page.get_by_label("Тема урока").fill("Сложение дробей")
        page.get_by_label("Класс (группа)").fill("6 «Б»")
        page.get_by_label("Самоанализ урока").fill("Ученики работали в группах.")
        page.get_by_role("button", name="Сдать").click()
        expect(page.get_by_text("Видеоурок сдан.")).to_be_visible()
        shot(page, "resumable upload, submitted")

        assert pieces["dropped"] == 1 and pieces["sent"] > 6  # the dropped piece was sent again
        submission = Submission.objects.get()
        with submission.video_file.open("rb") as stored:
            assert stored.read() == portal_data["video"]
        assert not ResumableUpload.objects.exists()
    finally:
        context.close()
        # While Playwright's loop runs, the ORM here has a connection of its own that nothing else closes.
        connections.close_all()
