"""On the teacher's assignment page, an expert's released time-coded comment moves the teacher's own-file player
to its moment (templates/ratings/_timecodes.html, static/js/review-player.js), in real Chromium.

As in test_review_player_seek.py the file is a bare WebM header: the player stays at HAVE_NOTHING and the HTML
standard keeps the requested time as the default playback start position, which `currentTime` reports.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal_data():
    """A teacher's uploaded lesson with a released review carrying the comment «3:15 — …»."""
    from ratings.models import Review, ReviewComment
    from tests.activities.video_samples import WEBM
    from tests.factories import (
        EnrollmentFactory,
        ExpertAssignmentFactory,
        RubricFactory,
        SeasonFactory,
        SubmissionFactory,
        VideoAssignmentFactory,
    )

    season = SeasonFactory()
    enrollment = EnrollmentFactory(season=season)
    submission = SubmissionFactory(
        assignment=VideoAssignmentFactory(activity__season=season),
        enrollment=enrollment,
        video_file=ContentFile(WEBM, name="urok.webm"),
        video_url="",
        status="reviewed",
        submitted_at=timezone.now() - timedelta(days=2),
    )
    review = Review.objects.create(
        submission=submission,
        expert=ExpertAssignmentFactory(season=season),
        rubric=RubricFactory(program=season.program),
        status=Review.Status.RELEASED,
        released_at=timezone.now(),
    )
    ReviewComment.objects.create(review=review, at_seconds=195, text="вопрос классу о дробях")
    client = Client()
    client.force_login(enrollment.person.user)
    return {
        "url": reverse("video_assignment", args=[submission.assignment_id]),
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def test_a_timecode_in_the_feedback_moves_the_teachers_player(browser, live_server, portal_data):
    if browser is None:
        pytest.fail(f"{CHROMIUM} is missing: CI must install chromium for the browser tests")
    from playwright.sync_api import expect

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": portal_data["session"], "url": live_server.url}]
    )
    try:
        page = context.new_page()
        page.goto(portal_data["url"])
        player = page.locator("video#review-player")
        expect(player).to_have_attribute("data-review-player", "file")
        assert player.evaluate("(video) => video.currentTime") == 0
        feedback = page.locator("section[aria-labelledby=feedback-title]")
        button = feedback.get_by_role("button", name="Перейти к моменту 3:15")
        expect(button).to_have_text("3:15")
        expect(feedback.get_by_text("перемотка недоступна")).to_have_count(0)
        button.click()
        page.wait_for_function("() => Math.abs(document.querySelector('video#review-player').currentTime - 195) < 0.5")
        assert abs(player.evaluate("(video) => video.currentTime") - 195) < 0.5
        assert page.url.endswith(portal_data["url"])  # moved in place, not navigated to the file
    finally:
        context.close()
