"""The cabinet section «Видеоуроки»: every video assignment of my current enrollments and where I stand.

No query of its own: it reuses what the roadmap's loading put in ctx.shared (activities with their
assignments, my current submissions and extensions); one more only when a lesson came back for revision.
"""

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment

from .cabinet import shared_activities
from .cabinet_late import request_offer
from .panels import return_reasons
from .selectors import activity_video_assignment, passed_before_admission
from .services_extension_requests import REQUEST_WINDOW
from .video_state import assignment_state, effective_cutoff, format_moment


def videos_context(ctx: CabinetContext) -> dict | None:
    if not ctx.current:
        return None
    # The roadmap's loading (shared by the cabinet's activity sections) already holds the assignments, my
    # current submissions and my extensions: no query of its own here.
    data = shared_activities(ctx)
    assignments = []
    for enrollment in ctx.current:
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            assignment = activity_video_assignment(activity)
            if assignment is None:
                continue
            assignment.activity = activity
            key = (enrollment.pk, assignment.pk)
            assignment.my_current = [data.submissions[key]] if key in data.submissions else []
            assignment.my_extensions = [data.extensions[key]] if key in data.extensions else []
            assignments.append((enrollment, assignment))
    if not assignments:
        return None
    assignments.sort(key=lambda pair: (pair[1].due_at, pair[1].pk))
    by_season = {e.season_id: e for e, _ in assignments}
    assignments = [a for _, a in assignments]
    currents = [a.my_current[0] for a in assignments if a.my_current]
    reasons = return_reasons(currents)
    rows = []
    for assignment in assignments:
        enrollment = by_season[assignment.activity.season_id]
        season = enrollment.season  # selected with the enrollments already
        assignment.activity.season = season
        current = assignment.my_current[0] if assignment.my_current else None
        extension = assignment.my_extensions[0] if assignment.my_extensions else None
        state = assignment_state(assignment=assignment, current=current, extension=extension, now=ctx.now)
        last = effective_cutoff(assignment, extension)
        # A lesson missed or nearly so: the extension request (one query for the cabinet, on the first such row).
        offer = (
            request_offer(ctx, enrollment, assignment, extension=extension, submitted=False)
            if current is None and enrollment.status == Enrollment.Status.ACTIVE and last <= ctx.now + REQUEST_WINDOW
            else None
        )
        rows.append(
            {
                "enrollment": enrollment,
                "offer": offer,
                "before_admission": current is None and passed_before_admission(last, enrollment),
                "assignment": assignment,
                "season": season,
                "current": current,
                "state": state,
                "due_text": format_moment(assignment.due_at, season),
                "deadline_text": format_moment(state.deadline, season) if state.deadline else None,
                "return_reason": reasons.get(current.pk) if current else None,
            }
        )
    ctx.shared["video_assignments"] = rows
    return {"rows": rows, "now": ctx.now}


def register() -> None:
    register_section(
        Section(key="videos", template="activities/cabinet/_videos.html", context=videos_context, order=40)
    )
