"""The experts' released feedback on the teacher's video-assignment page (a panel activities shows)."""

from __future__ import annotations

from collections.abc import Sequence

from activities.models import Submission
from activities.panels import Panel, SubmissionPanel, register_panel, register_return_reasons
from activities.video_player import video_player

from .selectors import released_recommendations, released_reviews
from .timecodes import timecode_rows


def feedback_panel(submissions: Sequence[Submission]) -> Panel | None:
    reviews = released_reviews(submissions)
    if not reviews:
        return None
    versions = {s.pk: s.version for s in submissions}
    # Only the current version's player is on the page (activities/_video_player.html); the times of an earlier
    # version's review are plain links to that version's video at the moment.
    players = {s.pk: video_player(s) for s in submissions}
    current = next((s.pk for s in submissions if s.is_current), None)
    items = [
        {
            "review": review,
            "version": versions.get(review.submission_id),
            "comments": timecode_rows(
                review.comments.all(),
                players[review.submission_id],
                on_page=review.submission_id == current,
            ),
        }
        for review in reviews
    ]
    return Panel(template="ratings/_feedback_panel.html", context={"items": items})


def register() -> None:
    register_panel(SubmissionPanel(key="ratings.feedback", render=feedback_panel, order=10))
    register_return_reasons("ratings.recommendations", released_recommendations)
