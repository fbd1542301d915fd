"""Seed 000 (order № 643-од, «Прогрессивный педагог») §3, §4.4, §5.5 on the real services with explicit dates.

§3: four learning formats; each teacher takes the intensive of the format chosen. §4.4: «участие во всех
мероприятиях, предусмотренных в рамках Проекта» — the events expected of that teacher, not the three intensives of
other formats. A default mark is no evidence until the coordinator confirms it.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from activities.deadlines import attendance_defaults_apply
from activities.exclusion import exclusion_rules_apply
from activities.models import ActivityAudience, ActivityKind, Attendance, ExclusionCase, RouteItem
from activities.selectors_attendance import attendance_sessions_for, expected_enrollments
from activities.services import (
    attendance_defaults_confirm,
    attendance_mark,
    checkin_open,
    checkin_submit,
)
from experts.models import ExpertGroup, GroupMember
from participants.models import Enrollment, User
from programs.models import Season
from reports.kpi import _expected_marks
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Yekaterinburg")
FORMATS = [
    "Мультимодальное обучение",
    "Обучение на основе вызовов",
    "Социально-эмоциональное обучение",
    "Глобальное и совместное обучение",
]
ADMITTED = datetime(2024, 9, 25, 12, 0, tzinfo=TZ)
AFTER_OCTOBER = datetime(2024, 10, 30, 12, 0, tzinfo=TZ)


def _season(**extra) -> Season:
    return SeasonFactory(
        starts_on=datetime(2024, 9, 1).date(),
        ends_on=datetime(2025, 6, 30).date(),
        default_attendance_status=Attendance.Status.ABSENT,
        exclude_on_unexcused_absence=True,
        exclude_on_missed_video=False,
        chat_join_days=None,
        **extra,
    )


def _intensives(season):
    """Four intensives «Интенсив «X»», three sessions each in October 2024 (§3: «не менее 3-х встреч»)."""
    sessions = {}
    for n, fmt in enumerate(FORMATS):
        activity = ActivityFactory(
            season=season,
            title=f"Интенсив «{fmt}»",
            kind=ActivityKind.INTENSIVE,
            is_mandatory=False,
            audience=ActivityAudience.FORMAT,
            learning_format=fmt,
            required_sessions=3,
        )
        sessions[fmt] = [
            SessionFactory(
                activity=activity,
                starts_at=datetime(2024, 10, 8 + 7 * week + n % 2, 15, 0, tzinfo=TZ),
                ends_at=datetime(2024, 10, 8 + 7 * week + n % 2, 17, 0, tzinfo=TZ),
            )
            for week in range(3)
        ]
    return sessions


def _teacher(season, fmt="", **extra):
    return EnrollmentFactory(season=season, preferred_format=fmt, status_changed_at=ADMITTED, **extra)


def _coordinator(season):
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)


def _absent_everywhere(sessions, enrollment, coordinator):
    for session in sessions:
        attendance_mark(session=session, marks={enrollment.pk: ("absent", "")}, by=coordinator, now=AFTER_OCTOBER)


def test_p4_4_default_job_marks_only_the_chosen_format_3_not_12():
    season = _season()
    sessions = _intensives(season)
    anna = _teacher(season, FORMATS[0])
    boris = _teacher(season, FORMATS[2])

    written, closed = attendance_defaults_apply(now=AFTER_OCTOBER)

    assert (written, closed) == (6, 12)
    assert set(Attendance.objects.filter(enrollment=anna).values_list("session_id", flat=True)) == {
        s.pk for s in sessions[FORMATS[0]]
    }
    assert Attendance.objects.filter(enrollment=boris).count() == 3
    assert not Attendance.objects.filter(enrollment=boris, session__activity__learning_format=FORMATS[0]).exists()


def test_p4_4_the_group_format_counts_as_chosen():
    season = _season()
    sessions = _intensives(season)
    vera = _teacher(season)  # no format of her own; her group's format is «Обучение на основе вызовов»
    GroupMember.objects.create(
        group=ExpertGroup.objects.create(season=season, name="Группа 2", learning_format=FORMATS[1]), enrollment=vera
    )

    assert [e.pk for e in expected_enrollments(sessions[FORMATS[1]][0])] == [vera.pk]
    assert not expected_enrollments(sessions[FORMATS[0]][0]).exists()


def test_p4_4_missing_all_three_sessions_of_her_intensive_opens_a_case():
    season = _season()
    sessions = _intensives(season)
    galina = _teacher(season, FORMATS[3])
    _absent_everywhere(sessions[FORMATS[3]], galina, _coordinator(season))

    exclusion_rules_apply(now=AFTER_OCTOBER)

    case = ExclusionCase.objects.get(enrollment=galina)
    assert [r["key"] for r in case.reasons] == [f"intensive:{sessions[FORMATS[3]][0].activity_id}"]
    assert "пропущено без уважительной причины занятий — 3 из 3" in case.reasons[0]["evidence"]


def test_p4_4_one_real_absence_of_three_required_is_already_a_ground():
    """required_sessions = 3 of 3: one absence makes attending the required number impossible."""
    season = _season()
    sessions = _intensives(season)
    dina = _teacher(season, FORMATS[0])
    coordinator = _coordinator(season)
    attendance_mark(session=sessions[FORMATS[0]][1], marks={dina.pk: ("absent", "")}, by=coordinator, now=AFTER_OCTOBER)

    exclusion_rules_apply(now=AFTER_OCTOBER)

    assert ExclusionCase.objects.filter(enrollment=dina).exists()


def test_p4_4_a_teacher_of_another_format_cannot_be_marked_or_check_in():
    season = _season()
    sessions = _intensives(season)
    egor = _teacher(season, FORMATS[1])
    session = sessions[FORMATS[0]][0]
    coordinator = _coordinator(season)

    with pytest.raises(ValidationError) as refused:
        attendance_mark(session=session, marks={egor.pk: ("present", "")}, by=coordinator, now=AFTER_OCTOBER)
    assert "для выбравших формат обучения «Мультимодальное обучение»" in refused.value.message_dict[str(egor.pk)][0]
    assert "«Обучение на основе вызовов»" in refused.value.message_dict[str(egor.pk)][0]

    during = session.starts_at + timedelta(minutes=5)
    checkin_open(session=session, by=coordinator, now=during)
    session.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        checkin_submit(session=session, enrollment=egor, code=session.checkin_code, now=during)
    assert "Отметиться на этом занятии нельзя" in refused.value.messages[0]
    assert "а вы выбрали «Обучение на основе вызовов»" in refused.value.messages[0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("policy", [Season.ExclusionPolicy.CONFIRMATION, Season.ExclusionPolicy.AUTOMATIC])
def test_p4_4_default_marks_alone_open_no_case_until_the_coordinator_confirms(policy):
    season = _season(exclusion_policy=policy)
    mandatory = ActivityFactory(season=season, is_mandatory=True, title="Установочная встреча")
    session = SessionFactory(
        activity=mandatory,
        starts_at=datetime(2024, 10, 1, 15, 0, tzinfo=TZ),
        ends_at=datetime(2024, 10, 1, 17, 0, tzinfo=TZ),
    )
    teachers = [_teacher(season, FORMATS[0]) for _ in range(3)]
    attendance_defaults_apply(now=AFTER_OCTOBER)
    assert Attendance.objects.filter(session=session, is_default=True, status="absent").count() == 3

    exclusion_rules_apply(now=AFTER_OCTOBER)
    assert not ExclusionCase.objects.exists()
    assert Enrollment.objects.filter(status=Enrollment.Status.ACTIVE).count() == 3

    coordinator = PersonFactory(user=_coordinator(season)).user
    assert attendance_defaults_confirm(session=session, by=coordinator, now=AFTER_OCTOBER) == 3
    mark = Attendance.objects.get(session=session, enrollment=teachers[0])
    assert (mark.is_default, mark.source, mark.marked_by.user_id) == (False, "confirmed_default", coordinator.pk)
    assert mark.history.count() == 2  # written by the job, confirmed by the coordinator

    exclusion_rules_apply(now=AFTER_OCTOBER)
    assert ExclusionCase.objects.count() == 3
    if policy == Season.ExclusionPolicy.AUTOMATIC:
        assert not Enrollment.objects.filter(status=Enrollment.Status.ACTIVE).exists()


def test_p4_4_confirming_before_the_session_ends_is_refused():
    season = _season()
    session = SessionFactory(
        activity=ActivityFactory(season=season),
        starts_at=datetime(2024, 10, 1, 15, 0, tzinfo=TZ),
        ends_at=datetime(2024, 10, 1, 17, 0, tzinfo=TZ),
    )
    with pytest.raises(ValidationError, match="Занятие ещё не закончилось"):
        attendance_defaults_confirm(
            session=session, by=_coordinator(season), now=datetime(2024, 10, 1, 16, 0, tzinfo=TZ)
        )


def test_p4_4_a_participant_admitted_after_a_session_is_not_expected_there():
    season = _season()
    sessions = _intensives(season)
    late = EnrollmentFactory(
        season=season, preferred_format=FORMATS[0], status_changed_at=datetime(2024, 10, 12, 9, 0, tzinfo=TZ)
    )
    first, second, _third = sessions[FORMATS[0]]

    assert late not in expected_enrollments(first)
    assert late in expected_enrollments(second)
    attendance_defaults_apply(now=AFTER_OCTOBER)
    assert Attendance.objects.filter(enrollment=late).count() == 2


def test_p4_4_an_open_activity_gets_no_default_marks():
    season = _season()
    session = SessionFactory(
        activity=ActivityFactory(season=season, is_mandatory=False, audience=ActivityAudience.OPEN),
        starts_at=datetime(2024, 10, 3, 15, 0, tzinfo=TZ),
        ends_at=datetime(2024, 10, 3, 17, 0, tzinfo=TZ),
    )
    zoya = _teacher(season, FORMATS[0])

    assert attendance_defaults_apply(now=AFTER_OCTOBER) == (0, 1)
    # Anyone may come: a real mark is accepted.
    attendance_mark(session=session, marks={zoya.pk: ("present", "")}, by=_coordinator(season), now=AFTER_OCTOBER)
    assert Attendance.objects.get(enrollment=zoya).status == "present"


def test_p4_4_an_invited_session_expects_only_the_invited_and_route_teachers():
    season = _season()
    activity = ActivityFactory(season=season, is_mandatory=False, audience=ActivityAudience.INVITED)
    session = SessionFactory(
        activity=activity,
        starts_at=datetime(2024, 10, 3, 15, 0, tzinfo=TZ),
        ends_at=datetime(2024, 10, 3, 17, 0, tzinfo=TZ),
    )
    invited, on_route, on_activity_route, cancelled, outsider = (_teacher(season) for _ in range(5))
    session.invited.add(invited)
    RouteItem.objects.create(enrollment=on_route, session=session)
    RouteItem.objects.create(enrollment=on_activity_route, activity=activity)
    RouteItem.objects.create(enrollment=cancelled, session=session, status=RouteItem.Status.CANCELLED)

    assert set(expected_enrollments(session)) == {invited, on_route, on_activity_route}
    attendance_defaults_apply(now=AFTER_OCTOBER)
    assert set(Attendance.objects.values_list("enrollment_id", flat=True)) == {
        invited.pk,
        on_route.pk,
        on_activity_route.pk,
    }
    assert outsider.pk not in set(Attendance.objects.values_list("enrollment_id", flat=True))


def test_p4_4_kpi_attendance_counts_expected_marks_only():
    season = _season()
    sessions = _intensives(season)
    anna = _teacher(season, FORMATS[0])
    coordinator = _coordinator(season)
    for session in sessions[FORMATS[0]]:
        attendance_mark(session=session, marks={anna.pk: ("present", "")}, by=coordinator, now=AFTER_OCTOBER)
    # A stray mark at another format's intensive (written before the rule existed) is no part of the figure.
    Attendance.objects.create(session=sessions[FORMATS[1]][0], enrollment=anna, status="absent")
    attendance_defaults_apply(now=AFTER_OCTOBER)

    expected = _expected_marks().filter(enrollment=anna)
    assert expected.count() == 3
    assert expected.filter(status="present").count() == 3


def test_p4_4_sessions_list_counts_expected_only():
    season = _season()
    sessions = _intensives(season)
    _teacher(season, FORMATS[0])
    _teacher(season, FORMATS[0])
    _teacher(season, FORMATS[1])
    superuser = UserFactory(is_superuser=True, is_staff=True)

    rows = {s.pk: s for s in attendance_sessions_for(superuser, now=AFTER_OCTOBER)}

    assert rows[sessions[FORMATS[0]][0].pk].expected_count == 2
    assert rows[sessions[FORMATS[1]][0].pk].expected_count == 1
    assert rows[sessions[FORMATS[2]][0].pk].expected_count == 0


def test_p3_the_teachers_roadmap_and_deadlines_show_only_her_own_formats_intensive():
    from activities.selectors import enrollment_deadlines, enrollment_roadmaps

    season = _season()
    sessions = _intensives(season)
    anna = _teacher(season, FORMATS[0])
    undecided = _teacher(season)  # no format chosen yet: no intensive is hers

    (roadmap,) = enrollment_roadmaps([anna], now=ADMITTED)

    def titles(roadmap):
        return [row.activity.title for module in roadmap.modules for row in module.activities] + [
            row.activity.title for row in roadmap.loose
        ]

    assert titles(roadmap) == [f"Интенсив «{FORMATS[0]}»"]
    (other,) = enrollment_roadmaps([undecided], now=ADMITTED)
    assert titles(other) == []

    upcoming = {d.session.pk for d in enrollment_deadlines([anna], now=ADMITTED) if getattr(d, "session", None)}
    assert upcoming and upcoming <= {s.pk for s in sessions[FORMATS[0]]}
