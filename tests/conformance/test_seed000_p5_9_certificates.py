"""Seed 000 (order № 643-од, «Прогрессивный педагог») §5.9, walked through on the real services with explicit dates.

«5.9. Участие в каждом мероприятии гарантирует получение наградного документа об активности участия в курсах
модульного обучения, интенсивах, вебинарах и т.д. Исключение составляют встречи получения обратной связи от
кураторов, методистов и психолога Проекта.»

Participation is what happened at a meeting: no mark before the session starts, no certificate before it ends.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.certificates import certificates_owed
from activities.models import Activity, ActivityKind, Attendance, Certificate
from activities.services import attendance_import, attendance_mark, attendance_mark_all_present, checkin_submit
from activities.services_certificates import certificates_issue
from programs.program_templates import PROGRESSIVE_TEACHER
from programs.templates_service import program_template_apply
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_STARTED = "Занятие ещё не началось: отметки можно ставить с"
TWO_WEEKS = timedelta(days=14)


def _session(starts_at, *, participants=3, **activity):
    session = SessionFactory(
        activity=ActivityFactory(**activity), starts_at=starts_at, ends_at=starts_at + timedelta(hours=1, minutes=30)
    )
    enrollments = [EnrollmentFactory(season=session.activity.season) for _ in range(participants)]
    return session, enrollments


def _coordinator(session):
    from participants.models import User

    municipality = session.activity.season.program.municipality
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


def _csv(*names):
    upload = io.BytesIO(("Имя,Электронная почта\n" + "".join(f"{n},\n" for n in names)).encode("utf-8-sig"))
    upload.name = "participants.csv"
    return upload


# --- No marks before the session starts ----------------------------------------------------------------------


def test_p5_9_all_present_refused_two_weeks_ahead():
    now = timezone.now()
    session, enrollments = _session(now + TWO_WEEKS)

    with pytest.raises(ValidationError) as refused:
        attendance_mark_all_present(session=session, by=_coordinator(session), now=now)

    assert NOT_STARTED in refused.value.messages[0] and "(начало занятия)" in refused.value.messages[0]
    assert not Attendance.objects.exists()


def test_p5_9_marks_refused_before_the_start_and_taken_from_it():
    start = timezone.now() + TWO_WEEKS
    session, (irina, *_) = _session(start)
    coordinator = _coordinator(session)

    with pytest.raises(ValidationError, match=NOT_STARTED):
        attendance_mark(session=session, marks={irina.pk: ("present", "")}, by=coordinator, now=start - timedelta(1))
    assert not Attendance.objects.exists()

    assert attendance_mark(session=session, marks={irina.pk: ("present", "")}, by=coordinator, now=start) == 1


def test_p5_9_import_refused_two_weeks_ahead():
    now = timezone.now()
    session, (irina, *_) = _session(now + TWO_WEEKS)

    with pytest.raises(ValidationError, match=NOT_STARTED):
        attendance_import(session=session, file=_csv(irina.person.full_name), by=_coordinator(session), now=now)
    assert not Attendance.objects.exists()


def test_p5_9_checkin_refused_two_weeks_ahead():
    now = timezone.now()
    session, (irina, *_) = _session(now + TWO_WEEKS)
    session.checkin_code = "123456"
    session.save()

    with pytest.raises(ValidationError, match="Отметиться можно будет с"):
        checkin_submit(session=session, enrollment=irina, code="123456", now=now)
    assert not Attendance.objects.exists()


def test_p5_9_attendance_page_refuses_every_mark_before_the_start(client):
    session, (irina, *_) = _session(timezone.now() + TWO_WEEKS)
    client.force_login(_coordinator(session))
    page = reverse("session_attendance", args=[session.pk])

    html = client.get(page).content.decode()
    assert NOT_STARTED in html and "Все присутствуют</button>" not in html

    for name, data in (
        ("session_attendance", {f"status_{irina.pk}": "present"}),
        ("session_attendance_all_present", {}),
        ("session_attendance_import", {"file": _csv(irina.person.full_name)}),
    ):
        response = client.post(reverse(name, args=[session.pk]), data)
        assert response.status_code == 409, name
        assert NOT_STARTED in response.content.decode(), name
    assert not Attendance.objects.exists()


def test_p5_9_admin_refuses_a_mark_before_the_start(client):
    session, (irina, petr, _) = _session(timezone.now() + TWO_WEEKS)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:activities_attendance_add"),
        {"session": session.pk, "enrollment": irina.pk, "status": "present", "source": "manual"},
    )
    assert response.status_code == 200
    assert NOT_STARTED in response.content.decode()
    assert not Attendance.objects.exists()

    # A mark that got in earlier cannot be changed to «present» on the session's page either.
    mark = AttendanceFactory(session=session, enrollment=petr, status="absent")
    form = {
        "activity": session.activity_id,
        "title": session.title,
        "starts_at_0": timezone.localtime(session.starts_at).strftime("%d.%m.%Y"),
        "starts_at_1": timezone.localtime(session.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": timezone.localtime(session.ends_at).strftime("%d.%m.%Y"),
        "ends_at_1": timezone.localtime(session.ends_at).strftime("%H:%M:%S"),
        "place": "",
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "1",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
        "attendance-0-id": mark.pk,
        "attendance-0-session": session.pk,
        "attendance-0-status": "present",
        "attendance-0-reason": "",
    }
    response = client.post(reverse("admin:activities_session_change", args=[session.pk]), form)
    assert NOT_STARTED in response.content.decode()
    assert Attendance.objects.get(pk=mark.pk).status == "absent"


# --- Certificates only for sessions that have ended ----------------------------------------------------------


def test_p5_9_batch_before_the_end_issues_nothing_after_the_end_it_issues():
    start = timezone.now() + TWO_WEEKS
    session, (irina,) = _session(start, participants=1, hours=Decimal("1.5"))
    # A mark that got in before the start (as the 107 did): it attests nothing until the session is over.
    AttendanceFactory(session=session, enrollment=irina, status="present")
    season = session.activity.season

    assert certificates_issue(now=start - TWO_WEEKS, season=season)["issued"] == 0
    assert certificates_issue(now=session.ends_at - timedelta(minutes=1), season=season)["issued"] == 0
    assert not Certificate.objects.exists()

    assert certificates_issue(now=session.ends_at, season=season)["issued"] == 1
    assert Certificate.objects.get().activity_id == session.activity_id


# --- Never for feedback meetings ------------------------------------------------------------------------------


def _attended(activity_kwargs, *, ended_ago=timedelta(days=1)):
    ends = timezone.now() - ended_ago
    session, (irina,) = _session(ends - timedelta(hours=1, minutes=30), participants=1, **activity_kwargs)
    AttendanceFactory(session=session, enrollment=irina, status="present")
    return session, irina


def test_p5_9_no_certificate_for_feedback_meeting():
    session, irina = _attended(
        {"kind": ActivityKind.PSYCHOLOGIST_MEETING, "is_feedback_meeting": True, "gives_certificate": False}
    )
    season = session.activity.season

    assert certificates_owed(now=timezone.now(), season=season) == []
    assert certificates_issue(now=timezone.now(), season=season)["issued"] == 0


def test_p5_9_normal_activity_attended_gives_a_certificate():
    session, irina = _attended({"kind": ActivityKind.PSYCHOLOGIST_MEETING, "hours": Decimal("1.5")})

    result = certificates_issue(now=timezone.now(), season=session.activity.season)

    assert result["issued"] == 1
    certificate = Certificate.objects.get()
    assert (certificate.enrollment_id, certificate.activity_id) == (irina.pk, session.activity_id)


def test_p5_9_template_makes_the_feedback_module_meetings_feedback_meetings():
    season = program_template_apply(template=PROGRESSIVE_TEACHER)
    listening = Activity.objects.get(season=season, title__startswith="Встреча с психологом «Меня слышно?")
    october = Activity.objects.get(season=season, title__contains="Современные формы психологической поддержки")

    assert listening.module.title == "Обратная связь"
    assert (listening.is_feedback_meeting, listening.gives_certificate) == (True, False)
    assert set(listening.module.activities.values_list("is_feedback_meeting", flat=True)) == {True}
    # A psychologist's meeting outside the feedback module is a thematic meeting and gives a certificate.
    assert (october.is_feedback_meeting, october.gives_certificate) == (False, True)

    session = listening.sessions.get()
    irina = EnrollmentFactory(season=season)
    AttendanceFactory(session=session, enrollment=irina, status="present")
    assert certificates_owed(now=session.ends_at + TWO_WEEKS, season=season) == []


def test_p5_9_admin_shows_the_property_with_the_clause_and_refuses_a_certificate_for_it(client):
    activity = ActivityFactory(kind=ActivityKind.PSYCHOLOGIST_MEETING)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:activities_activity_change", args=[activity.pk])

    html = client.get(url).content.decode()
    assert 'name="is_feedback_meeting"' in html and "п. 5.9" in html

    response = client.post(
        url,
        {
            "season": activity.season_id,
            "order": 0,
            "title": activity.title,
            "kind": activity.kind,
            "format": activity.format,
            "is_mandatory": "on",
            "gives_certificate": "on",
            "is_feedback_meeting": "on",
            "hours": "1.5",
            "required_sessions": 1,
            "sessions-TOTAL_FORMS": "0",
            "sessions-INITIAL_FORMS": "0",
            "video_assignment-TOTAL_FORMS": "0",
            "video_assignment-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Встреча для получения обратной связи не даёт сертификата" in response.content.decode()
    assert not Activity.objects.get(pk=activity.pk).is_feedback_meeting
