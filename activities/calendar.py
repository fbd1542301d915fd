"""The teacher's private calendar feed (iCalendar): sessions, video-lesson deadlines and the planned steps of the
individual route (seed 004, разд. III) of current enrollments."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from participants.models import Enrollment, Person
from programs.models import Program

from .selectors import activity_video_assignment, enrollment_activities
from .selectors_route import PLANNED, RouteStep, enrollment_routes

# UIDs stay the same whenever the feed is built, so calendar apps update events instead of duplicating them.
UID_DOMAIN = "metodportal"


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
    uid: str, summary: str, start: datetime | date, end: datetime | date | None, now: datetime, **extra
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("summary", summary)
    # Aware datetimes are written in UTC (…Z), which every calendar reads without a VTIMEZONE; a date alone
    # (VALUE=DATE) is an all-day event.
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    for key, value in extra.items():
        if value:
            event.add(key, value)
    return event


def _route_event(step: RouteStep, program: str, now: datetime) -> Event:
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
            location=session.place,
            description=description,
        )
    return _event(
        f"route-step-{item.pk}",
        summary,
        step.planned_on,
        step.planned_on + timedelta(days=1),
        now,
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
        # Only planned steps with a date; a step that is a session stands for that session's event.
        steps = [s for s in routes.get(enrollment.pk, []) if s.state == PLANNED and s.planned_on]
        in_route = {s.item.session_id for s in steps if s.item.session_id}
        for step in steps:
            calendar.add_component(_route_event(step, program, now))
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            # Only the sessions the teacher is expected at or may attend (not another format's intensive).
            for session in data.sessions_for(enrollment, activity):
                if session.pk in in_route:
                    continue
                summary = activity.title if not session.title else f"{activity.title}: {session.title}"
                calendar.add_component(
                    _event(
                        f"session-{session.pk}",
                        summary,
                        session.starts_at,
                        session.ends_at,
                        now,
                        location=session.place,
                        description=program,
                    )
                )
            assignment = activity_video_assignment(activity)
            if assignment is None:
                continue
            cutoff = data.assignment_cutoff(enrollment, assignment)
            submitted = (enrollment.pk, assignment.pk) in data.submissions
            note = _("Видеоурок сдан.") if submitted else _("Видеоурок ещё не сдан.")
            calendar.add_component(
                _event(
                    f"video-due-{assignment.pk}",
                    _("Срок сдачи видеоурока «%(activity)s»") % {"activity": activity.title},
                    assignment.due_at,
                    None,
                    now,
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
                    description=f"{program}. {note}",
                )
            )
    return calendar.to_ical()
