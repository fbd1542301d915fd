"""The teacher's private calendar feed (iCalendar): sessions and video-lesson deadlines of current enrollments."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from participants.models import Enrollment, Person

from .selectors import activity_video_assignment, enrollment_activities

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


def _event(uid: str, summary: str, start: datetime, end: datetime | None, now: datetime, **extra) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("summary", summary)
    # Aware datetimes are written in UTC (…Z), which every calendar reads without a VTIMEZONE.
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    for key, value in extra.items():
        if value:
            event.add(key, value)
    return event


def person_calendar(*, person: Person, now: datetime) -> bytes:
    """The iCalendar file of the person's current enrollments: four queries whatever it holds."""
    enrollments = list(
        Enrollment.objects.filter(person=person, status__in=[Enrollment.Status.APPLIED, Enrollment.Status.ACTIVE])
        .select_related("season__program")
        .order_by("pk")
    )
    data = enrollment_activities(enrollments, one_person=True)
    calendar = Calendar()
    calendar.add("prodid", "-//metodportal//calendar//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Занятия и сроки — методический портал"))
    for enrollment in enrollments:
        program = enrollment.season.program.title
        for activity in data.activities_by_season.get(enrollment.season_id, []):
            # Only the sessions the teacher is expected at or may attend (not another format's intensive).
            for session in data.sessions_for(enrollment, activity):
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
