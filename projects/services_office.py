"""The project office's writes (сид 001, «ИМЦ – офис инициации и управления проектами»): the coordinator records
the state of a project's stage or event, with a note on its result.

«Просрочено» is not a state one records: it follows from the end date and the municipality's day
(docs/decisions/0010), so a marked state can never disagree with the calendar.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import municipality_today
from .models.office import ProjectEvent, ProjectStage, WorkState

# Which state may follow which: a finished or cancelled item is reopened deliberately, never skipped over.
TRANSITIONS: dict[str, frozenset[str]] = {
    WorkState.PLANNED: frozenset({WorkState.IN_PROGRESS, WorkState.DONE, WorkState.CANCELLED}),
    WorkState.IN_PROGRESS: frozenset({WorkState.PLANNED, WorkState.DONE, WorkState.CANCELLED}),
    WorkState.DONE: frozenset({WorkState.IN_PROGRESS}),
    WorkState.CANCELLED: frozenset({WorkState.PLANNED}),
}


@transaction.atomic
def project_item_state_set(
    *, item: ProjectStage | ProjectEvent, state: str, note: str = "", now: datetime | None = None
) -> ProjectStage | ProjectEvent:
    """Records the state of a stage or an event. Done needs the item to have begun in the municipality's zone;
    cancelled needs a reason. A note given replaces the previous one, an empty note keeps it."""
    model = type(item)
    item = model.objects.select_for_update().select_related("project__municipality").get(pk=item.pk)
    note = note.strip()
    if state not in WorkState.values:
        raise ValidationError({"state": _("Выберите состояние из списка.")})
    if state == item.state:
        raise ValidationError({"state": _("Это состояние уже отмечено.")})
    if state not in TRANSITIONS[item.state]:
        raise ValidationError(
            {
                "state": _("Из состояния «%(old)s» нельзя перейти в «%(new)s».")
                % {"old": WorkState(item.state).label, "new": WorkState(state).label}
            }
        )
    today = municipality_today(item.project.municipality, now)
    if state == WorkState.DONE and item.starts_on > today:
        raise ValidationError(
            {
                "state": _("Отметить выполненным можно с даты начала: %(day)s.")
                % {"day": item.starts_on.strftime("%d.%m.%Y")}
            }
        )
    if state == WorkState.CANCELLED and not note:
        raise ValidationError({"note": _("Укажите причину отмены.")})
    item.state = state
    if note:
        item.result_note = note
    item.state_changed_at = now or timezone.now()
    item.save(update_fields=["state", "result_note", "state_changed_at"])
    return item
