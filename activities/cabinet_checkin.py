"""The cabinet section «Отметиться на занятии»: sessions running now whose leader has shown a code.

It reads the activities the other sections already loaded (activities.cabinet.shared_activities), so the
cabinet runs no query more for it, whatever the number of sessions.
"""

from __future__ import annotations

from participants.cabinet import CabinetContext, Section, register_section
from participants.models import Enrollment

from .cabinet import shared_activities
from .models import Attendance
from .services import checkin_window

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def checkin_context(ctx: CabinetContext) -> dict | None:
    active = [e for e in ctx.current if e.status == Enrollment.Status.ACTIVE]
    if not active:
        return None
    data = shared_activities(ctx)
    items = []
    for enrollment in active:
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            for session in activity.sessions.all():
                opens, closes = checkin_window(session)
                if not session.checkin_code or not opens <= ctx.now <= closes:
                    continue
                mark = data.attendance.get((enrollment.pk, session.pk))
                done = mark is not None and not mark.is_default and mark.status in ATTENDED
                items.append(
                    {"session": session, "activity": activity, "enrollment": enrollment, "mark": mark if done else None}
                )
    if not items:
        return None
    items.sort(key=lambda item: item["session"].starts_at)
    return {"items": items}


def register() -> None:
    """The check-in cabinet section (participants.cabinet)."""
    register_section(
        Section(key="checkin", template="activities/attendance/_cabinet_checkin.html", context=checkin_context, order=5)
    )
