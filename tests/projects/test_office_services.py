from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from projects.dates import municipality_today
from projects.models.office import ProjectEvent, WorkState, event_sort_key
from projects.services_office import project_item_state_set

from .office_world import office_municipality, project_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _seminar():
    return ProjectEvent.objects.get(project=project_in(office_municipality(), today=NOW.date()), number="2")


def test_done_with_note():
    event = project_item_state_set(item=_seminar(), state=WorkState.DONE, note="Проведён, 40 участников", now=NOW)
    event.refresh_from_db()
    assert event.state == WorkState.DONE
    assert event.result_note == "Проведён, 40 участников"
    assert event.state_changed_at == NOW


def test_same_state_refused():
    with pytest.raises(ValidationError) as error:
        project_item_state_set(item=_seminar(), state=WorkState.PLANNED, now=NOW)
    assert "уже отмечено" in str(error.value)


def test_done_cannot_jump_to_cancelled():
    event = project_item_state_set(item=_seminar(), state=WorkState.DONE, now=NOW)
    with pytest.raises(ValidationError) as error:
        project_item_state_set(item=event, state=WorkState.CANCELLED, note="Причина", now=NOW)
    assert "нельзя перейти" in str(error.value)
    event.refresh_from_db()
    assert event.state == WorkState.DONE


def test_cancel_needs_a_reason():
    with pytest.raises(ValidationError) as error:
        project_item_state_set(item=_seminar(), state=WorkState.CANCELLED, note="  ", now=NOW)
    assert error.value.message_dict == {"note": ["Укажите причину отмены."]}


def test_future_event_cannot_be_done():
    future = ProjectEvent.objects.get(project=project_in(office_municipality(), today=NOW.date()), number="9")
    with pytest.raises(ValidationError) as error:
        project_item_state_set(item=future, state=WorkState.DONE, now=NOW)
    assert "с даты начала" in str(error.value)
    # Started is fine.
    assert project_item_state_set(item=future, state=WorkState.IN_PROGRESS, now=NOW).state == WorkState.IN_PROGRESS


def test_overdue_at_the_zones_midnight():
    municipality = office_municipality()
    event = ProjectEvent.objects.get(
        project=project_in(municipality, today=date(2026, 12, 7)), number="2"
    )  # ends 30.09.2026
    # 30.09 23:30 in Moscow is 20:30 UTC: still the event's last day.
    last_evening = datetime(2026, 9, 30, 20, 30, tzinfo=UTC)
    assert municipality_today(municipality, last_evening) == date(2026, 9, 30)
    assert not event.is_overdue(municipality_today(municipality, last_evening))
    # 21:00 UTC is midnight in Moscow: overdue, while UTC still reads 30.09.
    midnight = datetime(2026, 9, 30, 21, 0, tzinfo=UTC)
    assert event.is_overdue(municipality_today(municipality, midnight))
    # A done or cancelled event is never overdue.
    event.state = WorkState.DONE
    assert not event.is_overdue(date(2027, 1, 1))


def test_event_numbers_sort_naturally():
    assert event_sort_key("2.5") < event_sort_key("2.10") < event_sort_key("3") < event_sort_key("10")
    assert event_sort_key("1.") == event_sort_key("1")
