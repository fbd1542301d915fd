from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from activities.models import SubmissionExtension
from participants.models import Enrollment
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    PersonFactory,
    SessionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://metod.example.ru"


@pytest.fixture
def enrollment():
    enrollment = EnrollmentFactory()
    enrollment.person.calendar_token = "owner-token-0123456789"
    enrollment.person.save()
    return enrollment


def _feed(client, token):
    return client.get(reverse("calendar_feed", args=[token]))


def _utc(value):
    """iCalendar keeps whole seconds."""
    return value.replace(microsecond=0)


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_has_my_sessions_and_video_deadlines(client, enrollment):
    season = enrollment.season
    session = SessionFactory(
        activity=ActivityFactory(season=season, title="Интенсив"), title="Занятие 1", place="Актовый зал ЦРО"
    )
    assignment = VideoAssignmentFactory(activity__season=season, activity__title="Запись урока")
    until = assignment.cutoff_at + timedelta(days=3)
    SubmissionExtension.objects.create(assignment=assignment, enrollment=enrollment, until=until, reason="Болезнь")
    SessionFactory(activity=ActivityFactory(title="Чужой вебинар"))  # another season

    response = _feed(client, "owner-token-0123456789")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    events = _events(response)
    assert set(events) == {
        f"session-{session.pk}@metod.example.ru",
        f"video-due-{assignment.pk}@metod.example.ru",
        f"video-cutoff-{assignment.pk}@metod.example.ru",
    }
    event = events[f"session-{session.pk}@metod.example.ru"]
    assert str(event["SUMMARY"]) == "Интенсив: Занятие 1"
    assert str(event["LOCATION"]) == "Актовый зал ЦРО"
    assert event.decoded("DTSTART") == _utc(session.starts_at)
    assert event.decoded("DTEND") == _utc(session.ends_at)
    # On the season's clock, with its zone named (the factory's season keeps Asia/Yekaterinburg).
    assert event["DTSTART"].params["TZID"] == "Asia/Yekaterinburg"
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=5)
    assert str(event["URL"]) == f"https://metod.example.ru/cabinet/sessions/{session.pk}/checkin/"
    assert "DTSTAMP" in event
    due = events[f"video-due-{assignment.pk}@metod.example.ru"]
    assert "Запись урока" in str(due["SUMMARY"])
    assert due.decoded("DTSTART") == _utc(assignment.due_at)
    # The personal extension is my cut-off.
    assert events[f"video-cutoff-{assignment.pk}@metod.example.ru"].decoded("DTSTART") == _utc(until)


def test_uids_are_stable_between_requests(client, enrollment):
    SessionFactory(activity=ActivityFactory(season=enrollment.season))
    VideoAssignmentFactory(activity__season=enrollment.season)

    first = set(_events(_feed(client, "owner-token-0123456789")))
    second = set(_events(_feed(client, "owner-token-0123456789")))

    assert first == second and len(first) == 3


def test_finished_enrollments_are_left_out(client, enrollment):
    SessionFactory(activity=ActivityFactory(season=enrollment.season))
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()

    assert _events(_feed(client, "owner-token-0123456789")) == {}


def test_unknown_token_is_404(client, enrollment):
    assert _feed(client, "not-a-token").status_code == 404


def test_another_teachers_token_shows_only_their_events(client, enrollment):
    SessionFactory(activity=ActivityFactory(season=enrollment.season, title="Мой интенсив"))
    other = EnrollmentFactory()
    other.person.calendar_token = "other-token-0123456789"
    other.person.save()

    events = _events(_feed(client, "other-token-0123456789"))

    assert events == {}


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_does_not_grow(client, django_assert_num_queries, enrollment, count):
    person = enrollment.person
    enrollments = [enrollment] + [EnrollmentFactory(person=person) for _ in range(count - 1)]
    for item in enrollments:
        for _ in range(count):
            SessionFactory(activity=ActivityFactory(season=item.season))
            VideoAssignmentFactory(activity__season=item.season)

    # Person by token, enrollments, modules, activities with my submissions and extensions, sessions with
    # my marks.
    with django_assert_num_queries(5):
        response = _feed(client, "owner-token-0123456789")

    assert len(_events(response)) == 3 * count * count


# --- The cabinet page with the feed address ---------------------------------------------------------


def test_owner_creates_then_regenerates_the_token(client):
    person = PersonFactory()
    client.force_login(person.user)
    page = client.get(reverse("cabinet_calendar")).content.decode()
    assert "Создать адрес календаря" in page

    response = client.post(reverse("cabinet_calendar"))
    assert response.status_code == 302
    person.refresh_from_db()
    first = person.calendar_token
    assert first and len(first) >= 40
    page = client.get(reverse("cabinet_calendar")).content.decode()
    assert f"http://testserver/calendar/{first}.ics" in page
    assert "Адрес календаря создан." in page

    client.post(reverse("cabinet_calendar"))
    person.refresh_from_db()
    assert person.calendar_token != first
    assert _feed(client, first).status_code == 404
    assert _feed(client, person.calendar_token).status_code == 200


def test_another_teacher_sees_only_their_own_address(client, enrollment):
    other = PersonFactory()
    client.force_login(other.user)

    page = client.get(reverse("cabinet_calendar")).content.decode()

    assert "owner-token-0123456789" not in page
    client.post(reverse("cabinet_calendar"))
    enrollment.person.refresh_from_db()
    assert enrollment.person.calendar_token == "owner-token-0123456789"


def test_anonymous_is_sent_to_login(client):
    for method in (client.get, client.post):
        response = method(reverse("cabinet_calendar"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_staff_without_a_person_gets_404(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("cabinet_calendar")).status_code == 404


def test_people_without_a_token_have_no_feed(client):
    PersonFactory(calendar_token=None)

    assert client.get("/calendar/.ics").status_code == 404
    assert _feed(client, "None").status_code == 404
