"""Which offset is due for a deadline (the nearest reached, none once the deadline is past) and the key."""

from datetime import UTC, datetime, timedelta

import pytest

from participants.reminders import registered_reminder_sources, reminder_key, reminder_offset_due

DEADLINE = datetime(2025, 10, 12, 13, 0, tzinfo=UTC)
OFFSETS = [168, 48, 3]


@pytest.mark.parametrize(
    "hours_before, expected",
    [
        (200, None),  # before the first offset
        (168, 168),  # exactly at an offset: due
        (100, 168),
        (48, 48),
        (30, 48),  # the job was down past 168 and 48: only the nearest (48)
        (2, 3),  # ... and past all three: only 3
        (0.01, 3),
        (0, None),  # at the deadline: too late
        (-1, None),
    ],
)
def test_the_nearest_offset_reached(hours_before, expected):
    now = DEADLINE - timedelta(hours=hours_before)
    assert reminder_offset_due(DEADLINE, OFFSETS, now) == expected


def test_no_offsets_no_reminder():
    assert reminder_offset_due(DEADLINE, [], DEADLINE - timedelta(hours=1)) is None


def test_the_key_names_item_deadline_and_offset():
    assert reminder_key("video", 12, DEADLINE, 48) == "reminder:video:12:1760274000:48h"


def test_activities_and_ratings_register_their_sources():
    assert [s.name for s in registered_reminder_sources()] == ["review", "video"]
