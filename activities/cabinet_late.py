"""The cabinet section for a late joiner: what passed before they were admitted, and what the season allows.

Seed 000, п. 4.4, 5.5: sessions and video-lesson deadlines before a participant's admission
(Enrollment.admitted_at) are never grounds for exclusion. The section lists the sessions the teacher would have
been expected at and the video lessons whose cut-off passed before, says so item by item and offers, for a
video lesson, a personal extension request to the coordinator. It reuses the activities the cabinet's other
sections loaded (ctx.shared) and adds one query — the teacher's extension requests — only when there is a
lesson a request could be about; the «Видеоуроки» section shares that query.
"""

from __future__ import annotations

from datetime import datetime, time

from django.utils import formats, timezone

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment

from .cabinet import shared_activities
from .models import ActivityAudience, SubmissionExtensionRequest
from .selectors import activity_video_assignment, passed_before_admission
from .services_extension_requests import extension_request_error
from .video_state import format_moment

REQUESTS_KEY = "activities.extension_requests"


def shared_extension_requests(ctx: CabinetContext) -> dict[tuple[int, int], SubmissionExtensionRequest]:
    """(enrollment id, assignment id) → the latest extension request of the current enrollments: one query,
    made by whichever section asks first."""
    if REQUESTS_KEY not in ctx.shared:
        latest: dict[tuple[int, int], SubmissionExtensionRequest] = {}
        for request in SubmissionExtensionRequest.objects.filter(
            enrollment_id__in=[e.pk for e in ctx.current]
        ).order_by("requested_at", "pk"):
            latest[(request.enrollment_id, request.assignment_id)] = request
        ctx.shared[REQUESTS_KEY] = latest
    return ctx.shared[REQUESTS_KEY]


def request_offer(ctx: CabinetContext, enrollment: Enrollment, assignment, *, extension, submitted: bool) -> dict:
    """The latest request about the lesson and whether a new one may be made (the service's own check)."""
    request = shared_extension_requests(ctx).get((enrollment.pk, assignment.pk))
    pending = request is not None and request.status == SubmissionExtensionRequest.Status.PENDING
    error = extension_request_error(
        enrollment=enrollment,
        assignment=assignment,
        extension=extension,
        submitted=submitted,
        pending=pending,
        now=ctx.now,
    )
    return {"assignment": assignment, "request": request, "can_request": error is None}


def _season_started(enrollment: Enrollment) -> datetime:
    season = enrollment.season
    return datetime.combine(season.starts_on, time.min, tzinfo=season.tz)


def late_admission_context(ctx: CabinetContext) -> dict | None:
    late = [e for e in ctx.current if e.admitted_at is not None and e.admitted_at > _season_started(e)]
    if not late:
        return None
    data = shared_activities(ctx)
    groups = []
    for enrollment in late:
        season, admitted = enrollment.season, enrollment.admitted_at
        sessions, videos = [], []
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            if activity.audience != ActivityAudience.OPEN:
                # The sessions the teacher would have been expected at by the activity's audience (mandatory ones,
                # their format's, their invitations); expected is who was admitted by a session's end
                # (selectors_attendance) — these ended before the admission.
                sessions.extend(
                    {"activity": activity, "session": s, "when": format_moment(s.starts_at, season)}
                    for s in data.sessions_for(enrollment, activity)
                    if s.ends_at < admitted
                )
            assignment = activity_video_assignment(activity)
            if assignment is None or (enrollment.pk, assignment.pk) in data.submissions:
                continue
            extension = data.extensions.get((enrollment.pk, assignment.pk))
            last = data.assignment_cutoff(enrollment, assignment)
            if passed_before_admission(last, enrollment):
                videos.append(
                    {
                        "activity": activity,
                        "cutoff": format_moment(last, season),
                        **request_offer(ctx, enrollment, assignment, extension=extension, submitted=False),
                    }
                )
        if sessions or videos:
            sessions.sort(key=lambda item: item["session"].starts_at)
            groups.append(
                {
                    "enrollment": enrollment,
                    "admitted_on": formats.date_format(timezone.localtime(admitted, season.tz), "j E Y"),
                    "sessions": sessions,
                    "videos": videos,
                }
            )
    if not groups:
        return None
    return {"groups": groups, "show_program": len({e.season_id for e in ctx.current}) > 1}


def register() -> None:
    # Right after the risk banner and «Мои программы»: what happened before the teacher joined.
    register_section(
        Section(
            key="late_admission",
            template="activities/cabinet/_late_admission.html",
            context=late_admission_context,
            order=15,
        )
    )
