"""The cabinet section «Видеоуроки»: every video assignment of my current enrollments and where I stand.

Three queries whatever the number of assignments (assignments, my current submissions, my extensions), plus
one asked of the return-reason providers only when something was returned.
"""

from django.db.models import Prefetch

from participants.cabinet import CabinetContext, Section, register_section

from .models import Submission, SubmissionExtension, VideoAssignment
from .panels import return_reasons
from .video_state import assignment_state, format_moment


def videos_context(ctx: CabinetContext) -> dict | None:
    by_season = {e.season_id: e for e in ctx.current}
    if not by_season:
        return None
    enrollments = list(by_season.values())
    assignments = list(
        VideoAssignment.objects.filter(activity__season_id__in=by_season)
        .select_related("activity__module")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=Submission.objects.filter(enrollment__in=enrollments, is_current=True),
                to_attr="my_current",
            ),
            Prefetch(
                "extensions",
                queryset=SubmissionExtension.objects.filter(enrollment__in=enrollments),
                to_attr="my_extensions",
            ),
        )
        .order_by("due_at", "pk")
    )
    if not assignments:
        return None
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
        rows.append(
            {
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
