"""The teacher's individual route (ИОМ) with each step's status: a step tied to a session follows the teacher's
attendance of it, unless a coordinator cancelled the step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Enrollment, SubscriptionForm

from .models import Attendance, RouteItem

PLANNED, DONE, MISSED, EXCUSED, CANCELLED = "planned", "done", "missed", "excused", "cancelled"
STATE_LABELS = {
    PLANNED: _("Запланировано"),
    DONE: _("Пройдено"),
    MISSED: _("Пропущено"),
    EXCUSED: _("Пропущено по уважительной причине"),
    CANCELLED: _("Отменено"),
}
FROM_ATTENDANCE = {
    Attendance.Status.PRESENT: DONE,
    Attendance.Status.LATE: DONE,
    Attendance.Status.ABSENT: MISSED,
    Attendance.Status.EXCUSED: EXCUSED,
}


def route_state(item_status: str, attendance_status: str | None) -> str:
    """A cancelled step stays cancelled; otherwise the attendance mark, when there is one, decides."""
    if item_status == RouteItem.Status.CANCELLED:
        return CANCELLED
    if attendance_status in FROM_ATTENDANCE:
        return FROM_ATTENDANCE[attendance_status]
    return item_status


@dataclass(frozen=True)
class RouteStep:
    item: RouteItem
    state: str
    title: str
    form_label: str
    module_title: str
    activity_title: str
    starts_at: datetime | None
    planned_on: date | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _step(item: RouteItem) -> RouteStep:
    session = item.session
    activity = item.activity or (session.activity if session else None)
    module = item.module
    title = item.title or (session.title if session and session.title else "") or (activity.title if activity else "")
    title = title or (module.title if module else "")
    if item.form:
        form_label = item.get_form_display()
    elif activity is not None and activity.kind in SubscriptionForm.values:
        form_label = SubscriptionForm(activity.kind).label
    else:
        form_label = ""
    starts_at = timezone.localtime(session.starts_at, item.enrollment.season.tz) if session else None
    return RouteStep(
        item=item,
        state=route_state(item.status, getattr(item, "attendance_status", None)),
        title=title,
        form_label=str(form_label),
        module_title=module.title if module and module.title != title else "",
        activity_title=activity.title if activity and activity.title != title else "",
        starts_at=starts_at,
        planned_on=item.planned_on or (starts_at.date() if starts_at else None),
    )


def enrollment_routes(enrollments: Iterable[Enrollment]) -> dict[int, list[RouteStep]]:
    """The route of each enrollment, in order, with the attendance of linked sessions: one query."""
    ids = [e.pk for e in enrollments]
    if not ids:
        return {}
    attendance = Attendance.objects.filter(session=OuterRef("session"), enrollment=OuterRef("enrollment")).values(
        "status"
    )[:1]
    items = (
        RouteItem.objects.filter(enrollment_id__in=ids)
        .select_related("enrollment__season", "module", "activity", "session__activity")
        .annotate(attendance_status=Subquery(attendance))
        .order_by("enrollment_id", "order", "planned_on", "pk")
    )
    routes: dict[int, list[RouteStep]] = {pk: [] for pk in ids}
    for item in items:
        routes[item.enrollment_id].append(_step(item))
    return routes
