"""Reminders to experts with a review due (a source of participants.reminders).

A review is due from an expert when a video lesson was assigned to them (ReviewAssignment) or they took it
(a review in progress), the lesson still waits (current version, submitted or in review) and they have not
scored it. Its deadline is their review's due date, or — before they take it — the submission time plus the
season's review period (what review_take will set). The link goes to the expert's review queue.
Set-based: two queries whatever the number of experts, enrollments or reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Submission
from activities.video_state import format_moment
from core.models import Notification
from core.notifications import NotificationDraft
from participants.reminders import register_reminder_source, reminder_key, reminder_offset_due

from .models import Review, ReviewAssignment
from .selectors import WAITING_STATUSES


@dataclass
class _Due:
    user_id: int
    submission: Submission
    deadline: datetime


def _waiting(prefix: str) -> dict:
    return {
        f"{prefix}is_current": True,
        f"{prefix}status__in": WAITING_STATUSES,
        "expert__is_active": True,
        "expert__person__user__isnull": False,
        "expert__person__user__is_active": True,
    }


def _reviews_due(now: datetime) -> dict[tuple[int, int], _Due]:
    """{(user id, submission id): what is due}, from assignments and from reviews in progress."""
    related = ("submission__assignment__activity__season__program", "expert__person")
    due: dict[tuple[int, int], _Due] = {}
    in_progress = Review.objects.filter(status=Review.Status.IN_PROGRESS, due_at__gt=now, **_waiting("submission__"))
    for review in in_progress.select_related(*related):
        due[(review.expert.person.user_id, review.submission_id)] = _Due(
            review.expert.person.user_id, review.submission, review.due_at
        )
    mine = Review.objects.filter(submission=OuterRef("submission_id"), expert=OuterRef("expert_id"))
    assigned = (
        ReviewAssignment.objects.filter(**_waiting("submission__"))
        .annotate(
            scored=Exists(mine.exclude(status=Review.Status.IN_PROGRESS)),
            taken_due=Subquery(mine.filter(status=Review.Status.IN_PROGRESS).values("due_at")[:1]),
        )
        .filter(scored=False)
        .select_related(*related)
    )
    for row in assigned:
        season = row.submission.assignment.activity.season
        deadline = row.taken_due or row.submission.submitted_at + timedelta(days=season.review_due_days)
        key = (row.expert.person.user_id, row.submission_id)
        if deadline > now and key not in due:
            due[key] = _Due(key[0], row.submission, deadline)
    return due


def review_reminders(*, now: datetime) -> list[NotificationDraft]:
    drafts = []
    for item in _reviews_due(now).values():
        season = item.submission.assignment.activity.season
        offset = reminder_offset_due(item.deadline, season.reminder_offset_hours, now)
        if offset is not None:
            drafts.append(_draft(item, offset))
    return drafts


def _draft(item: _Due, offset: int) -> NotificationDraft:
    activity = item.submission.assignment.activity
    season = activity.season
    when = format_moment(item.deadline, season)
    # No participant's name or topic: the reminder outlives the lesson in the expert's list and mailbox.
    names = {"activity": activity.title, "program": season.program.title, "deadline": when}
    title = _("Проверьте видеоурок по мероприятию «%(activity)s» до %(deadline)s") % names
    body = (
        _(
            "Видеоурок по мероприятию «%(activity)s» (программа «%(program)s») ждёт вашей проверки. "
            "Срок проверки — %(deadline)s."
        )
        % names
    )
    path = reverse("review_queue")
    return NotificationDraft(
        user_id=item.user_id,
        kind=Notification.Kind.REMINDER,
        title=title,
        body=body,
        url=path,
        dedupe_key=reminder_key("review", item.submission.pk, item.deadline, offset),
        email_template="reminder_review",
        email_context={
            "title": title,
            "activity": activity.title,
            "program": season.program.title,
            "season": season.title,
            "deadline": when,
            "link": f"{settings.SITE_URL.rstrip('/')}{path}",
        },
    )


def register() -> None:
    register_reminder_source(review_reminders, name="review", label=gettext_lazy("проверка видеоуроков"))
