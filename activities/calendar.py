"""The teacher's private calendar feed (iCalendar): sessions, video-lesson deadlines and the planned steps of the
individual route (seed 004, разд. III) of current enrollments.

Every moment is written on its season's clock (DTSTART;TZID=Asia/Yekaterinburg) with the VTIMEZONE the file
carries, so a calendar shows the same hour the cabinet does, and the event's details name that clock in words.
UIDs carry the portal's own host (SITE_URL): two portals' events never collide, and an event keeps its UID
whenever the feed is built, so calendar apps update it instead of duplicating it."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.zones import zone_words
from participants.models import Enrollment, Person
from programs.models import Program

from .selectors import activity_video_assignment, enrollment_activities
from .selectors_route import PLANNED, RouteStep, enrollment_routes
from .titles import session_title


def uid_domain() -> str:
    """The portal's own host (from SITE_URL): calendar apps key events by UID, and RFC 5545 (3.8.4.7) asks for a
    domain its owner controls so that no other producer's UID can collide with ours."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def calendar_token_regenerate(*, person: Person) -> str:
    """Give the person a new secret feed token; the old feed URL stops working at once."""
    person.calendar_token = secrets.token_urlsafe(32)
    person.save(update_fields=["calendar_token"])
    return person.calendar_token


def person_for_calendar_token(token: str) -> Person | None:
    if not token:
        return None
    return Person.objects.filter(calendar_token=token).first()


def _event(
    uid: str,
    summary: str,
    start: datetime | date,
    end: datetime | date | None,
    now: datetime,
    zone: tzinfo,
    **extra,
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{uid_domain()}")
    event.add("dtstamp", now)
    event.add("summary", summary)
    # An aware moment is written on the season's clock with its TZID (the VTIMEZONE is added once per zone at
    # the end); a date alone (VALUE=DATE) is an all-day event.
    event.add("dtstart", _local(start, zone))
    if end is not None:
        event.add("dtend", _local(end, zone))
    if isinstance(start, datetime):
        # A calendar app shows the event on its own clock; the details say which clock the program keeps.
        clock = _("Время программы: %(zone)s, %(time)s.") % {
            "zone": zone_words(zone, start),
            "time": f"{_local(start, zone):%H:%M}",
        }
        extra["description"] = "\n".join(filter(None, [extra.get("description"), clock]))
    for key, value in extra.items():
        if value:
            event.add(key, value)
    return event


def _local(value: datetime | date, zone: tzinfo) -> datetime | date:
    return timezone.localtime(value, zone) if isinstance(value, datetime) else value


def _session_url(session) -> str:
    return site_url(reverse("session_checkin", args=[session.pk]))


def _route_event(step: RouteStep, program: str, now: datetime, zone: tzinfo) -> Event:
    """A planned route step: at the session's times when it is a session, otherwise all day on its date."""
    item = step.item
    summary = _("Шаг маршрута: %(step)s") % {"step": step.title or _("Шаг маршрута")}
    description = "\n".join(filter(None, [program, step.form_label, item.note]))
    if item.session_id:
        session = item.session
        return _event(
            f"route-step-{item.pk}",
            summary,
            session.starts_at,
            session.ends_at,
            now,
            zone,
            location=session.place,
            url=_session_url(session),
            description=description,
        )
    return _event(
        f"route-step-{item.pk}",
        summary,
        step.planned_on,
        step.planned_on + timedelta(days=1),
        now,
        zone,
        url=site_url(reverse("cabinet") + "#route"),
        description=description,
    )


def person_calendar(*, person: Person, now: datetime) -> bytes:
    """The iCalendar file of the person's current enrollments: four queries whatever it holds, and one more for
    the routes when the person takes part in the Methodical Subscription."""
    enrollments = list(
        Enrollment.objects.filter(person=person, status__in=[Enrollment.Status.APPLIED, Enrollment.Status.ACTIVE])
        .select_related("season__program")
        .order_by("pk")
    )
    data = enrollment_activities(enrollments, one_person=True)
    subscription = [e for e in enrollments if e.season.program.kind == Program.Kind.SUBSCRIPTION]
    routes = enrollment_routes(subscription) if subscription else {}
    calendar = Calendar()
    calendar.add("prodid", "-//metodportal//calendar//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Занятия и сроки — методический портал"))
    for enrollment in enrollments:
        program = enrollment.season.program.title
        zone = enrollment.season.tz
        # Only planned steps with a date; a step that is a session stands for that session's event.
        steps = [s for s in routes.get(enrollment.pk, []) if s.state == PLANNED and s.planned_on]
        in_route = {s.item.session_id for s in steps if s.item.session_id}
        for step in steps:
            calendar.add_component(_route_event(step, program, now, zone))
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            # Only the sessions the teacher is expected at or may attend (not another format's intensive).
            for session in data.sessions_for(enrollment, activity):
                if session.pk in in_route:
                    continue
                calendar.add_component(
                    _event(
                        f"session-{session.pk}",
                        session_title(session, activity),
                        session.starts_at,
                        session.ends_at,
                        now,
                        zone,
                        location=session.place,
                        url=_session_url(session),
                        description=program,
                    )
                )
            assignment = activity_video_assignment(activity)
            if assignment is None:
                continue
            cutoff = data.assignment_cutoff(enrollment, assignment)
            submitted = (enrollment.pk, assignment.pk) in data.submissions
            note = _("Видеоурок сдан.") if submitted else _("Видеоурок ещё не сдан.")
            video_url = site_url(reverse("video_assignment", args=[assignment.pk]))
            calendar.add_component(
                _event(
                    f"video-due-{assignment.pk}",
                    _("Срок сдачи видеоурока «%(activity)s»") % {"activity": activity.title},
                    assignment.due_at,
                    None,
                    now,
                    zone,
                    url=video_url,
                    description=f"{program}. {note}",
                )
            )
            calendar.add_component(
                _event(
                    f"video-cutoff-{assignment.pk}",
                    _("Окончательный срок сдачи видеоурока «%(activity)s»") % {"activity": activity.title},
                    cutoff,
                    None,
                    now,
                    zone,
                    url=video_url,
                    description=f"{program}. {note}",
                )
            )
    _add_timezones(calendar)
    return calendar.to_ical()


def _add_timezones(calendar: Calendar) -> None:
    """A VTIMEZONE for every TZID the events use, covering only the span of the events: the zone's whole history
    (Yekaterinburg's summer time until 2011, its 2014 change) is dozens of rules that some parsers resolve
    wrongly (vobject put a March 2027 session an hour early), and no calendar needs more than the feed's dates."""
    days = [
        value.date() if isinstance(value, datetime) else value
        for event in calendar.walk("VEVENT")
        for key in ("DTSTART", "DTEND")
        if key in event
        for value in [event.decoded(key)]
    ]
    if days:
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=1), last_date=max(days) + timedelta(days=1)
        )
