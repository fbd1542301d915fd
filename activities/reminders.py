"""Reminders to teachers with a video lesson still to submit (a source of participants.reminders).

Before the due date the reminder counts down to it; once the due date has passed, to the teacher's cut-off
(the assignment's, or their later personal extension), while late work is still accepted. Nobody is
reminded before the assignment opens (there is nothing to do yet): the first reminder then is the nearest
offset already reached. Set-based: four queries whatever the number of enrollments (one when nothing is due).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Notification
from core.notifications import NotificationDraft
from participants.models import Enrollment
from participants.reminders import register_reminder_source, reminder_key, reminder_offset_due
from programs.models import MAX_REMINDER_OFFSET_HOURS

from .models import Submission, SubmissionExtension, VideoAssignment
from .video_state import format_moment


def _due_assignments(now: datetime) -> list[VideoAssignment]:
    """Open assignments whose due date is within the longest possible offset and that some teacher may still
    submit (the cut-off or a personal extension is ahead), in seasons that remind at all."""
    later_extension = SubmissionExtension.objects.filter(assignment=OuterRef("pk"), until__gt=now)
    assignments = (
        VideoAssignment.objects.filter(opens_at__lte=now, due_at__lte=now + timedelta(hours=MAX_REMINDER_OFFSET_HOURS))
        .filter(Q(cutoff_at__gt=now) | Exists(later_extension))
        .exclude(activity__season__reminder_offsets="")
        .select_related("activity__season__program")
    )
    return [a for a in assignments if a.activity.season.reminder_offset_hours]


def video_reminders(*, now: datetime) -> list[NotificationDraft]:
    """Teachers of active enrollments with no current submission for an assignment whose reminder is due."""
    assignments = _due_assignments(now)
    if not assignments:
        return []
    season_ids = {a.activity.season_id for a in assignments}
    assignment_ids = [a.pk for a in assignments]
    # (enrollment id, user id) by season: the teachers who ought to submit.
    teachers: dict[int, list[tuple[int, int]]] = {}
    for enrollment_id, season_id, user_id in Enrollment.objects.filter(
        season_id__in=season_ids,
        status=Enrollment.Status.ACTIVE,
        person__user__isnull=False,
        person__user__is_active=True,
    ).values_list("pk", "season_id", "person__user_id"):
        teachers.setdefault(season_id, []).append((enrollment_id, user_id))
    submitted = set(
        Submission.objects.filter(
            assignment_id__in=assignment_ids,
            is_current=True,
            enrollment__season_id__in=season_ids,
            enrollment__status=Enrollment.Status.ACTIVE,
        ).values_list("assignment_id", "enrollment_id")
    )
    extended = {
        (assignment_id, enrollment_id): until
        for assignment_id, enrollment_id, until in SubmissionExtension.objects.filter(
            assignment_id__in=assignment_ids
        ).values_list("assignment_id", "enrollment_id", "until")
    }
    drafts = []
    for assignment in assignments:
        season = assignment.activity.season
        offsets = season.reminder_offset_hours
        for enrollment_id, user_id in teachers.get(season.pk, []):
            if (assignment.pk, enrollment_id) in submitted:
                continue
            if now < assignment.due_at:
                deadline, stage, is_extended = assignment.due_at, "due", False
            else:
                until = extended.get((assignment.pk, enrollment_id))
                is_extended = until is not None and until > assignment.cutoff_at
                deadline, stage = (until if is_extended else assignment.cutoff_at), "cutoff"
                if deadline <= now:
                    continue
            offset = reminder_offset_due(deadline, offsets, now)
            if offset is not None:
                drafts.append(_draft(assignment, user_id, deadline, offset, stage, is_extended))
    return drafts


def _draft(
    assignment: VideoAssignment, user_id: int, deadline: datetime, offset: int, stage: str, is_extended: bool
) -> NotificationDraft:
    activity = assignment.activity
    season = activity.season
    when = format_moment(deadline, season)
    names = {"activity": activity.title, "program": season.program.title, "deadline": when}
    if stage == "due":
        title = _("Сдайте видеоурок «%(activity)s» до %(deadline)s") % names
        body = (
            _(
                "Срок сдачи видеоурока по мероприятию «%(activity)s» (программа «%(program)s») — %(deadline)s. "
                "Вы ещё не сдали работу."
            )
            % names
        )
    else:
        if is_extended:
            title = _("Продлённый срок сдачи видеоурока «%(activity)s» — до %(deadline)s") % names
        else:
            title = _("Последний срок сдачи видеоурока «%(activity)s» — %(deadline)s") % names
        body = (
            _(
                "Срок сдачи видеоурока по мероприятию «%(activity)s» (программа «%(program)s») прошёл, но работу ещё "
                "примут с отметкой «с опозданием» до %(deadline)s. После этого видеоурок будет считаться несданным."
            )
            % names
        )
    path = reverse("video_assignment", args=[assignment.pk])
    return NotificationDraft(
        user_id=user_id,
        kind=Notification.Kind.REMINDER,
        title=title,
        body=body,
        url=path,
        dedupe_key=reminder_key("video", assignment.pk, deadline, offset),
        email_template="reminder_video",
        email_context={
            "title": title,
            "activity": activity.title,
            "program": season.program.title,
            "season": season.title,
            "deadline": when,
            "stage": stage,
            "extended": is_extended,
            "link": f"{settings.SITE_URL.rstrip('/')}{path}",
        },
    )


def register() -> None:
    register_reminder_source(video_reminders, name="video", label=gettext_lazy("видеоуроки"))
