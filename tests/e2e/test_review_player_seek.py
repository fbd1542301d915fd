"""A time-coded comment moves our own HTML5 player to its moment (static/js/review-player.js), in real Chromium.

The lesson is a file the teacher uploaded, played by the page's <video>; the expert's saved comment «1:30 — …»
becomes a button, and pressing it sets the player to 90 seconds. The file is a bare WebM header, so the player
never gets past HAVE_NOTHING: the HTML standard then keeps the requested time as the default playback start
position, which `currentTime` reports — the script's seek is what is tested, not the decoder.
"""

from __future__ import annotations

import re
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
    """A methodist's review of an uploaded lesson, taken and saved as a draft with one time-coded comment."""
    from experts.models import ExpertRole
    from participants.models import User
    from ratings.models import Review, ReviewComment
    from ratings.services import review_take
    from tests.activities.video_samples import WEBM
    from tests.factories import (
        EnrollmentFactory,
        ExpertAssignmentFactory,
        RubricCriterionFactory,
        RubricFactory,
        SeasonFactory,
        SubjectFactory,
        SubmissionFactory,
        UserFactory,
        VideoAssignmentFactory,
    )

    season = SeasonFactory(review_due_days=7, review_lock_hours=4)
    maths = SubjectFactory(name="Математика")
    rubric = RubricFactory(program=season.program, title="Оценка видеоурока", version=1)
    RubricCriterionFactory(rubric=rubric, order=1, title="Постановка цели урока", max_points=3)
    methodist = ExpertAssignmentFactory(
        season=season, role=ExpertRole.METHODIST, subject=maths, person__user=UserFactory(role=User.Role.EXPERT)
    )
    submission = SubmissionFactory(
        assignment=VideoAssignmentFactory(activity__season=season),
        enrollment=EnrollmentFactory(season=season),
        subject=maths,
        video_file=ContentFile(WEBM, name="urok.webm"),
        video_url="",
        submitted_at=timezone.now() - timedelta(hours=1),
    )
    review_take(submission=submission, expert=methodist)
    review = Review.objects.get(submission=submission, expert=methodist)
    ReviewComment.objects.create(review=review, at_seconds=90, text="хорошая постановка задачи")
    client = Client()
    client.force_login(methodist.person.user)
    return {
        "url": reverse("review_page", args=[submission.pk]),
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def test_a_timecode_moves_the_html5_player_to_its_moment(browser, live_server, portal_data):
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
        button = page.get_by_role("button", name="Перейти к моменту 1:30")
        expect(button).to_have_text("1:30")
        expect(page.get_by_text("перемотка недоступна")).to_have_count(0)
        button.click()
        page.wait_for_function("() => document.querySelector('video#review-player').currentTime === 90")
        assert re.fullmatch(r"90(\.0+)?", str(player.evaluate("(video) => video.currentTime")))
    finally:
        context.close()
