"""Telling the teacher that a review of their video lesson was published or sent back for revision.

Called by the release and return services inside their transaction; the notification rows are the e-mail
outbox (core.notifications), and the dedupe key makes each message once-only per review, so a
release repeated by a coordinator or a job never tells the teacher twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from core.points import points_text

from .models import Review
from .selectors import rubric_maximum


def _teacher_reviews(reviews: Sequence[Review]) -> list[Review]:
    return list(
        Review.objects.filter(pk__in=[r.pk for r in reviews])
        .select_related("submission__enrollment__person", "submission__assignment__activity__season__program")
        .annotate(rubric_max=rubric_maximum())
        .order_by("pk")
    )


def review_feedback_path(review: Review) -> str:
    return reverse("review_feedback", args=[review.pk])


def reviews_notify_teachers(*, reviews: Sequence[Review]) -> int:
    """One notification (and e-mail) per published or returned review to the teacher who submitted the lesson.

    A constant number of queries whatever the number of reviews. Returns how many were new.
    """
    rows = _teacher_reviews(reviews)
    site = settings.SITE_URL.rstrip("/")
    drafts = []
    for review in rows:
        user_id = review.submission.enrollment.person.user_id
        if user_id is None:
            continue
        activity = review.submission.assignment.activity
        program = activity.season.program
        path = review_feedback_path(review)
        context = {"program": program.title, "activity": activity.title, "url": site + path}
        if review.status == Review.Status.RELEASED:
            score, top = points_text(review.total_score or 0), points_text(review.rubric_max or 0)
            title = _("Опубликована оценка видеоурока «%(activity)s»") % {"activity": activity.title}
            body = _("«%(program)s»: %(score)s из %(max)s баллов. Отзыв экспертов — на странице видеоурока.") % {
                "program": program.title,
                "score": score,
                "max": top,
            }
            template, key = "review_released", f"review:{review.pk}:released"
            context |= {"score": score, "max": top}
        elif review.status == Review.Status.RETURNED:
            title = _("Видеоурок «%(activity)s» возвращён на доработку") % {"activity": activity.title}
            body = _("«%(program)s»: %(reason)s") % {"program": program.title, "reason": review.return_reason}
            template, key = "review_returned", f"review:{review.pk}:returned"
            context |= {"reason": review.return_reason}
        else:
            continue
        drafts.append(
            NotificationDraft(
                user_id=user_id,
                kind=Notification.Kind.INFO,
                title=title,
                body=body,
                url=path,
                dedupe_key=key,
                email_template=template,
                email_context=context,
            )
        )
    return notifications_create(drafts=drafts)
