"""The calendar feed read by two parsers nobody here wrote, icalendar and vobject: both must see the same events
(title, start and end as UTC instants, place, link, UID), and the times must be the session's on its season's
clock, with the zone in the file (VTIMEZONE) so that no calendar app has to guess it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db

TOKEN = "parsers-token-0123456789"
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://metod.example.ru"


def _feed(client):
    return client.get(reverse("calendar_feed", args=[TOKEN])).content


def _by_icalendar(content: bytes) -> dict:
    events = {}
    for event in Calendar.from_ical(content).walk("VEVENT"):
        end = event.decoded("DTEND") if "DTEND" in event else None
        events[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART").astimezone(UTC),
            "end": end.astimezone(UTC) if end is not None else None,
            "location": str(event["LOCATION"]) if "LOCATION" in event else None,
            "url": str(event["URL"]) if "URL" in event else None,
        }
    return events


def _by_vobject(content: bytes) -> dict:
    calendar = vobject.readOne(content.decode("utf-8"))
    events = {}
    for event in calendar.vevent_list:
        contents = event.contents
        events[event.uid.value] = {
            "summary": event.summary.value,
            "start": event.dtstart.value.astimezone(UTC),
            "end": event.dtend.value.astimezone(UTC) if "dtend" in contents else None,
            "location": event.location.value if "location" in contents else None,
            "url": event.url.value if "url" in contents else None,
        }
    return events


@pytest.fixture
def yekaterinburg_season():
    enrollment = EnrollmentFactory(season__time_zone="Asia/Yekaterinburg", person__calendar_token=TOKEN)
    season = enrollment.season
    activity = ActivityFactory(season=season, title="Нейросеть – помощник педагога")
    module = SessionFactory(
        activity=activity,
        title="Нейросеть – помощник педагога: модуль 1",
        # 15:00–16:30 in Yekaterinburg is 10:00–11:30 UTC, 13:00 in Moscow.
        starts_at=datetime(2027, 3, 12, 15, 0, tzinfo=YEKATERINBURG),
        ends_at=datetime(2027, 3, 12, 16, 30, tzinfo=YEKATERINBURG),
        place="https://meet.example.ru/neuro-1",
    )
    intensive = SessionFactory(
        activity=ActivityFactory(season=season, title="Интенсив"),
        title="Смешанное обучение",
        starts_at=datetime(2027, 3, 20, 9, 30, tzinfo=YEKATERINBURG),
        ends_at=datetime(2027, 3, 20, 11, 0, tzinfo=YEKATERINBURG),
        place="МКУ «ЦРО», актовый зал, ул. Ленина, 1",
    )
    assignment = VideoAssignmentFactory(
        activity__season=season,
        activity__title="Запись урока",
        opens_at=datetime(2027, 3, 1, 9, 0, tzinfo=YEKATERINBURG),
        due_at=datetime(2027, 3, 25, 18, 0, tzinfo=YEKATERINBURG),
        cutoff_at=datetime(2027, 3, 28, 18, 0, tzinfo=YEKATERINBURG),
    )
    return {"module": module, "intensive": intensive, "assignment": assignment}


def test_both_parsers_read_the_same_events(client, yekaterinburg_season):
    content = _feed(client)
    by_icalendar, by_vobject = _by_icalendar(content), _by_vobject(content)

    assert by_icalendar == by_vobject
    assert len(by_icalendar) == 4


def test_the_events_are_the_sessions_own_on_their_season_clock(client, yekaterinburg_season):
    module, intensive = yekaterinburg_season["module"], yekaterinburg_season["intensive"]
    events = _by_vobject(_feed(client))

    first = events[f"session-{module.pk}@metod.example.ru"]
    # The module's title already begins with the activity's: said once.
    assert first["summary"] == "Нейросеть – помощник педагога: модуль 1"
    assert first["start"] == datetime(2027, 3, 12, 10, 0, tzinfo=UTC) == module.starts_at
    assert first["end"] == datetime(2027, 3, 12, 11, 30, tzinfo=UTC) == module.ends_at
    assert first["location"] == "https://meet.example.ru/neuro-1"
    assert first["url"] == f"https://metod.example.ru/cabinet/sessions/{module.pk}/checkin/"
    second = events[f"session-{intensive.pk}@metod.example.ru"]
    assert second["summary"] == "Интенсив: Смешанное обучение"
    assert second["location"] == "МКУ «ЦРО», актовый зал, ул. Ленина, 1"
    assert second["start"] == intensive.starts_at


def test_times_carry_the_seasons_tzid_and_its_vtimezone(client, yekaterinburg_season):
    module = yekaterinburg_season["module"]
    content = _feed(client)
    text = content.decode()

    assert "DTSTART;TZID=Asia/Yekaterinburg:20270312T150000" in text
    assert "DTEND;TZID=Asia/Yekaterinburg:20270312T163000" in text
    calendar = Calendar.from_ical(content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Yekaterinburg"]
    # vobject builds its zone from the file's VTIMEZONE, not from a database of its own.
    local = {e.uid.value: e.dtstart.value for e in vobject.readOne(text).vevent_list}
    at = local[f"session-{module.pk}@metod.example.ru"]
    assert (at.hour, at.minute) == (15, 0) and at.utcoffset() == timedelta(hours=5)
    # The details say whose clock it is, in words.
    event = {str(e["UID"]): e for e in calendar.walk("VEVENT")}[f"session-{module.pk}@metod.example.ru"]
    assert "Время программы: время Екатеринбурга, МСК+2, 15:00." in str(event["DESCRIPTION"])


def test_video_deadlines_link_to_the_assignment(client, yekaterinburg_season):
    assignment = yekaterinburg_season["assignment"]
    events = _by_icalendar(_feed(client))

    due = events[f"video-due-{assignment.pk}@metod.example.ru"]
    assert due["start"] == datetime(2027, 3, 25, 13, 0, tzinfo=UTC)
    assert due["url"] == f"https://metod.example.ru/cabinet/videos/{assignment.pk}/"
    assert events[f"video-cutoff-{assignment.pk}@metod.example.ru"]["start"] == assignment.cutoff_at


def test_a_season_in_vladivostok_gets_its_own_zone(client):
    enrollment = EnrollmentFactory(season__time_zone="Asia/Vladivostok", person__calendar_token=TOKEN)
    session = SessionFactory(
        activity=ActivityFactory(season=enrollment.season, title="Педкластер: встреча"),
        starts_at=datetime(2027, 4, 2, 10, 0, tzinfo=VLADIVOSTOK),
        ends_at=datetime(2027, 4, 2, 12, 0, tzinfo=VLADIVOSTOK),
    )
    content = _feed(client)

    assert "DTSTART;TZID=Asia/Vladivostok:20270402T100000" in content.decode()
    assert _by_icalendar(content) == _by_vobject(content)
    event = _by_vobject(content)[f"session-{session.pk}@metod.example.ru"]
    assert event["summary"] == "Педкластер: встреча" and event["start"] == datetime(2027, 4, 2, 0, 0, tzinfo=UTC)


def test_uids_follow_the_sites_host(client, settings, yekaterinburg_season):
    settings.SITE_URL = "https://portal.obr-oktyabrsky.ru:8443"
    uids = set(_by_icalendar(_feed(client)))

    assert uids and all(uid.endswith("@portal.obr-oktyabrsky.ru") for uid in uids)


def test_a_zone_with_summer_time_reads_the_same_on_both_sides_of_the_change(client):
    # A municipality abroad (Europe/Berlin) keeps summer time: the VTIMEZONE must carry both offsets.
    berlin = ZoneInfo("Europe/Berlin")
    enrollment = EnrollmentFactory(season__time_zone="Europe/Berlin", person__calendar_token=TOKEN)
    activity = ActivityFactory(season=enrollment.season, title="Вебинар")
    winter = SessionFactory(
        activity=activity,
        starts_at=datetime(2027, 1, 20, 17, 0, tzinfo=berlin),
        ends_at=datetime(2027, 1, 20, 18, 0, tzinfo=berlin),
    )
    summer = SessionFactory(
        activity=activity,
        starts_at=datetime(2027, 7, 20, 17, 0, tzinfo=berlin),
        ends_at=datetime(2027, 7, 20, 18, 0, tzinfo=berlin),
    )
    content = _feed(client)

    assert _by_icalendar(content) == _by_vobject(content)
    events = _by_vobject(content)
    assert events[f"session-{winter.pk}@metod.example.ru"]["start"] == datetime(2027, 1, 20, 16, 0, tzinfo=UTC)
    assert events[f"session-{summer.pk}@metod.example.ru"]["start"] == datetime(2027, 7, 20, 15, 0, tzinfo=UTC)
