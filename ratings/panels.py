"""The experts' released feedback on the teacher's video-assignment page (a panel activities shows)."""

from __future__ import annotations

from collections.abc import Sequence

from activities.models import Submission
from activities.panels import Panel, SubmissionPanel, register_panel, register_return_reasons

from .selectors import released_recommendations, released_reviews
from .timecodes import format_timecode


def feedback_panel(submissions: Sequence[Submission]) -> Panel | None:
    reviews = released_reviews(submissions)
    if not reviews:
        return None
    versions = {s.pk: s.version for s in submissions}
    items = [
        {
            "review": review,
            "version": versions.get(review.submission_id),
            # (moment as "12:40", or "" for a general remark; text)
            "comments": [
                (format_timecode(c.at_seconds) if c.at_seconds is not None else "", c.text)
                for c in review.comments.all()
            ],
        }
        for review in reviews
    ]
    return Panel(template="ratings/_feedback_panel.html", context={"items": items})


def register() -> None:
    register_panel(SubmissionPanel(key="ratings.feedback", render=feedback_panel, order=10))
    register_return_reasons("ratings.recommendations", released_recommendations)
