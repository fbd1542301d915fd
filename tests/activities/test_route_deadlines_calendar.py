"""Planned route steps (seed 004, разд. III) in the teacher's «Ближайшие сроки» and calendar feed: a session step at
the session's times (standing for that session, listed once), a dated step all day; done, missed, cancelled and
undated steps are left out; the queries stay constant."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from activities.cabinet import deadlines_context
from activities.models import Attendance, RouteItem
from activities.route_builder import route_item_add, route_item_update
from activities.selectors import DeadlineKind, enrollment_deadlines
from participants.cabinet import CabinetContext, registered_sections
from participants.models import SubscriptionForm
from participants.selectors import person_enrollments
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AdmittedEnrollmentFactory,
    AttendanceFactory,
    ProgramFactory,
    SeasonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
S = RouteItem.Status
TOKEN = "route-token-0123456789"


@pytest.fixture
def enrollment():
    season = SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))
    enrollment = AdmittedEnrollmentFactory(season=season)
    enrollment.person.calendar_token = TOKEN
    enrollment.person.save()
    return enrollment


def _today(enrollment) -> date:
    return timezone.localtime(timezone.now(), enrollment.season.tz).date()


def _session(season, days: int, **kwargs):
    starts = timezone.now() + timedelta(days=days)
    return SessionFactory(
        activity=ActivityFactory(season=season, title=kwargs.pop("activity_title", "Практикум")),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        **kwargs,
    )


@pytest.fixture
def route(enrollment):
    """A route of every kind of step; only `session_step` and `day_step`, `today_step` are planned and ahead."""
    season = enrollment.season
    today = _today(enrollment)
    session = _session(season, 5, title="Занятие 1", place="Кабинет 12")
    steps = {
        "session_step": route_item_add(
            enrollment=enrollment, activity=session.activity, session=session, form=SubscriptionForm.PRACTICUM
        ),
        "day_step": route_item_add(
            enrollment=enrollment, title="Разбор урока с наставником", planned_on=today + timedelta(days=3)
        ),
        "today_step": route_item_add(enrollment=enrollment, title="Самоанализ урока", planned_on=today),
        "past_step": route_item_add(enrollment=enrollment, title="Прошедший шаг", planned_on=season.starts_on),
        "undated": route_item_add(enrollment=enrollment, title="Когда-нибудь"),
        "done": route_item_add(enrollment=enrollment, title="Пройденный", planned_on=today + timedelta(days=4)),
        "missed": route_item_add(enrollment=enrollment, title="Пропущенный", planned_on=today + timedelta(days=4)),
        "cancelled": route_item_add(enrollment=enrollment, title="Отменённый", planned_on=today + timedelta(days=6)),
    }
    attended = _session(season, 1, title="Посещённое", activity_title="Посещённое мероприятие")
    steps["attended"] = route_item_add(enrollment=enrollment, activity=attended.activity, session=attended)
    # Marked present before it starts (a check-in opens early): the step is done, whatever its own status says.
    AttendanceFactory(session=attended, enrollment=enrollment, status=Attendance.Status.PRESENT)
    route_item_update(item=steps["done"], status=S.DONE)
    route_item_update(item=steps["missed"], status=S.MISSED)
    route_item_update(item=steps["cancelled"], status=S.CANCELLED)
    steps["session"] = session
    steps["attended_session"] = attended
    return steps


def _enrollments(enrollment):
    return person_enrollments(enrollment.person)


# --- «Ближайшие сроки» -----------------------------------------------------------------------------------


def test_planned_steps_ahead_are_deadlines_and_the_rest_are_not(enrollment, route):
    deadlines = enrollment_deadlines(_enrollments(enrollment), now=timezone.now())
    steps = [d for d in deadlines if d.kind == DeadlineKind.ROUTE_STEP]
    assert [d.route_step.item.pk for d in steps] == [
        route["today_step"].pk,
        route["day_step"].pk,
        route["session_step"].pk,
    ]
    (session_step,) = (d for d in steps if d.route_step.item.pk == route["session_step"].pk)
    assert session_step.at == route["session"].starts_at and not session_step.all_day
    (day_step,) = (d for d in steps if d.route_step.item.pk == route["day_step"].pk)
    assert day_step.all_day
    assert day_step.at == datetime.combine(_today(enrollment) + timedelta(days=3), datetime.min.time()).replace(
        tzinfo=enrollment.season.tz
    )
    # The session of the route is listed once, as the step; the attended one stays an ordinary session.
    sessions = [d.session.pk for d in deadlines if d.kind == DeadlineKind.SESSION]
    assert route["session"].pk not in sessions
    assert route["attended_session"].pk in sessions


def test_a_cancelled_session_step_gives_the_session_back(enrollment, route):
    route_item_update(item=route["session_step"], status=S.CANCELLED)
    deadlines = enrollment_deadlines(_enrollments(enrollment), now=timezone.now())
    assert route["session"].pk in [d.session.pk for d in deadlines if d.kind == DeadlineKind.SESSION]
    assert route["session_step"].pk not in [d.route_step.item.pk for d in deadlines if d.route_step]


def test_the_cabinet_lists_the_steps_with_their_days(client, enrollment, route):
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    start = html.index('id="cabinet-deadlines"')
    section = html[start : html.index("</section>", start)]
    assert "Шаг маршрута: Разбор урока с наставником" in section
    assert "Шаг маршрута: Самоанализ урока" in section
    assert "Шаг маршрута: Занятие 1 (Практикум)" in section
    assert "через 3 дня" in section.replace("\xa0", " ")
    assert "сегодня<" in section
    assert 'href="#route"' in section
    for absent in ("Пройденный", "Пропущенный", "Отменённый", "Когда-нибудь", "Прошедший шаг"):
        assert absent not in section


def test_another_teacher_sees_none_of_my_steps(client, enrollment, route):
    other = AdmittedEnrollmentFactory(season=enrollment.season)
    client.force_login(other.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Разбор урока с наставником" not in html


@pytest.mark.parametrize("count", [1, 4])
def test_deadlines_and_route_share_one_query(django_assert_num_queries, enrollment, count):
    today = _today(enrollment)
    for n in range(count):
        session = _session(enrollment.season, n + 1)
        route_item_add(enrollment=enrollment, activity=session.activity, session=session)
        route_item_add(enrollment=enrollment, title=f"Шаг {n}", planned_on=today + timedelta(days=n))
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    route_section = next(s for s in registered_sections() if s.key == "route")
    # Modules, activities with my submissions and extensions, sessions with my marks; the route, once for both.
    with django_assert_num_queries(4):
        deadlines = deadlines_context(ctx)
        route_context = route_section.context(ctx)
    assert sum(1 for i in deadlines["items"] if i["deadline"].route_step) == min(2 * count, 8)
    assert len(route_context["routes"][0]["steps"]) == 2 * count


# --- The calendar feed -------------------------------------------------------------------------------------


def _events(client):
    response = client.get(reverse("calendar_feed", args=[TOKEN]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)  # a valid iCalendar, or this raises
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_has_the_planned_steps(client, enrollment, route):
    events = _events(client)
    uid = "route-step-{}@localhost".format
    assert {uid(route[k].pk) for k in ("session_step", "day_step", "today_step", "past_step")} <= set(events)
    for absent in ("done", "missed", "cancelled", "undated", "attended"):
        assert uid(route[absent].pk) not in events
    # A session step: the session's times; the session itself is not a second event.
    session = route["session"]
    event = events[uid(route["session_step"].pk)]
    assert str(event["SUMMARY"]) == "Шаг маршрута: Занятие 1"
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)
    assert str(event["LOCATION"]) == "Кабинет 12"
    assert f"session-{session.pk}@localhost" not in events
    assert f"session-{route['attended_session'].pk}@localhost" in events
    # A dated step: an all-day event.
    day = events[uid(route["day_step"].pk)]
    assert day.decoded("DTSTART") == _today(enrollment) + timedelta(days=3)
    assert not isinstance(day.decoded("DTSTART"), datetime)
    assert day.decoded("DTEND") == _today(enrollment) + timedelta(days=4)
    assert str(day["SUMMARY"]) == "Шаг маршрута: Разбор урока с наставником"
    assert "DTSTART;VALUE=DATE:" in client.get(reverse("calendar_feed", args=[TOKEN])).content.decode()


def test_the_feed_leaves_out_a_step_once_cancelled(client, enrollment, route):
    route_item_update(item=route["day_step"], status=S.CANCELLED)
    assert f"route-step-{route['day_step'].pk}@localhost" not in _events(client)


@pytest.mark.parametrize("count", [1, 4])
def test_feed_queries_do_not_grow_with_the_route(client, django_assert_num_queries, enrollment, count):
    today = _today(enrollment)
    for n in range(count):
        session = _session(enrollment.season, n + 1)
        route_item_add(enrollment=enrollment, activity=session.activity, session=session)
        route_item_add(enrollment=enrollment, title=f"Шаг {n}", planned_on=today + timedelta(days=n))
    # Person by token, enrollments, modules, activities, sessions with my marks; the routes.
    with django_assert_num_queries(6):
        response = client.get(reverse("calendar_feed", args=[TOKEN]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2 * count


def test_the_calendar_page_says_route_steps_are_in_it(client, enrollment):
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet_calendar")).content.decode()
    assert "шаги индивидуального" in html
