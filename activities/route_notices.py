"""What the teacher is told about their individual route (ИОМ): the route built, a step added, changed, done,
missed or cancelled (Положение «Методический абонемент», разд. III: the route is built for the teacher's
request, so the teacher hears of every change of it).

One notification per change, in the portal and by e-mail, each with a link to the route in the cabinet. The
dedupe key names the step, what changed and the moment of the change, so a change is told once and a later
change of the same kind (cancelled, restored, cancelled again) is told again.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Notification
from core.notifications import NotificationDraft, notifications_create
from core.zones import moment_text
from participants.models import Enrollment

from .models import RouteItem

EMAIL_TEMPLATE = "route_changed"
# Fields whose change the teacher is told of, with their names as the notification says them.
FIELD_NAMES = {
    "title": gettext_lazy("что запланировано"),
    "form": gettext_lazy("форма"),
    "module": gettext_lazy("модуль"),
    "activity": gettext_lazy("мероприятие"),
    "session": gettext_lazy("занятие"),
    "planned_on": gettext_lazy("дата"),
    "note": gettext_lazy("примечание"),
}
STATUS_TITLES = {
    RouteItem.Status.DONE: gettext_lazy("Шаг маршрута пройден: «%(step)s»"),
    RouteItem.Status.MISSED: gettext_lazy("Шаг маршрута отмечен пропущенным: «%(step)s»"),
    RouteItem.Status.CANCELLED: gettext_lazy("Шаг маршрута отменён: «%(step)s»"),
    RouteItem.Status.PLANNED: gettext_lazy("Шаг маршрута снова запланирован: «%(step)s»"),
}


def route_url() -> str:
    """The route in the teacher's cabinet (the section «Индивидуальный образовательный маршрут»)."""
    return f"{reverse('cabinet')}#route"


def _step_name(item: RouteItem) -> str:
    return str(item) or _("шаг маршрута")


def _when(item: RouteItem) -> str:
    """The step's date as the teacher reads it: the session's start in the season's zone, or the planned day."""
    season = item.enrollment.season
    if item.session_id:
        return moment_text(item.session.starts_at, season.tz)
    if item.planned_on:
        return formats.date_format(item.planned_on, "j E Y")
    return _("дата уточняется")


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%f")


def _draft(item: RouteItem, *, title: str, body: str, key: str) -> NotificationDraft | None:
    enrollment: Enrollment = item.enrollment
    user_id = enrollment.person.user_id
    if not user_id:
        return None
    season = enrollment.season
    return NotificationDraft(
        user_id=user_id,
        kind=Notification.Kind.INFO,
        title=title,
        body=body,
        url=route_url(),
        dedupe_key=key,
        email_template=EMAIL_TEMPLATE,
        email_context={
            "title": title,
            "body": body,
            "program": season.program.title,
            "season": season.title,
            "route_url": f"{settings.SITE_URL.rstrip('/')}{route_url()}",
        },
    )


def _describe(item: RouteItem) -> str:
    lines = [_("Шаг: %(step)s") % {"step": _step_name(item)}, _("Когда: %(when)s") % {"when": _when(item)}]
    if item.form:
        lines.append(_("Форма: %(form)s") % {"form": item.get_form_display()})
    if item.note:
        lines.append(_("Примечание: %(note)s") % {"note": item.note})
    return "\n".join(lines)


def route_step_added_notify(*, item: RouteItem, first: bool, now: datetime | None = None) -> int:
    """The route is built (its first step) or a step is added; returns how many notifications were new."""
    now = now or timezone.now()
    if first:
        title = _("Тьютор составил ваш индивидуальный образовательный маршрут")
        key = f"route:{item.enrollment_id}:built"
    else:
        title = _("В ваш маршрут добавлен шаг «%(step)s»") % {"step": _step_name(item)}
        key = f"route-step:{item.pk}:added"
    draft = _draft(item, title=title, body=_describe(item), key=key)
    return notifications_create(drafts=[draft] if draft else [], now=now)


def route_step_changed_notify(
    *, item: RouteItem, changed: list[str], old_status: str, now: datetime | None = None
) -> int:
    """A step's fields or status changed (nothing is told when nothing changed); one notification per change."""
    if not changed:
        return 0
    now = now or timezone.now()
    if "status" in changed and item.status != old_status:
        title = STATUS_TITLES[item.status] % {"step": _step_name(item)}
        key = f"route-step:{item.pk}:status:{item.status}:{_stamp(now)}"
    else:
        title = _("Шаг маршрута изменён: «%(step)s»") % {"step": _step_name(item)}
        key = f"route-step:{item.pk}:changed:{_stamp(now)}"
    what = [str(FIELD_NAMES[name]) for name in FIELD_NAMES if name in changed]
    body = _describe(item)
    if what:
        body = _("Изменено: %(fields)s.") % {"fields": ", ".join(what)} + "\n" + body
    draft = _draft(item, title=title, body=body, key=key)
    return notifications_create(drafts=[draft] if draft else [], now=now)
