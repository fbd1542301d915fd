from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.cabinet import roadmap_context
from activities.models import ActivityKind, Attendance
from activities.selectors import Status, enrollment_roadmaps
from participants.cabinet import CabinetContext
from participants.models import Enrollment
from participants.selectors import person_enrollments
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    RoadmapModuleFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def _session(activity, days: float):
    return SessionFactory(activity=activity, starts_at=timezone.now() + timedelta(days=days))


@pytest.fixture
def world():
    enrollment = EnrollmentFactory()
    season = enrollment.season
    module = RoadmapModuleFactory(
        season=season,
        order=1,
        number="2",
        title="Форматы обучения",
        starts_on=date(2024, 10, 1),
        ends_on=date(2024, 10, 31),
    )
    intensive = ActivityFactory(
        season=season, module=module, title="Интенсив", kind=ActivityKind.INTENSIVE, required_sessions=2
    )
    s_present, s_late, s_absent, s_excused, s_unmarked = (_session(intensive, d) for d in (-20, -15, -10, -5, -1))
    s_upcoming = _session(intensive, 4)
    AttendanceFactory(session=s_present, enrollment=enrollment, status=Attendance.Status.PRESENT)
    AttendanceFactory(session=s_late, enrollment=enrollment, status=Attendance.Status.LATE)
    AttendanceFactory(session=s_absent, enrollment=enrollment, status=Attendance.Status.ABSENT)
    AttendanceFactory(
        session=s_excused, enrollment=enrollment, status=Attendance.Status.EXCUSED, reason="Больничный лист"
    )
    optional = ActivityFactory(season=season, module=module, title="Вебинар по выбору", is_mandatory=False)
    _session(optional, 6)
    video = VideoAssignmentFactory(activity__season=season, activity__module=module, activity__title="Запись урока")
    loose = ActivityFactory(season=season, title="Конференция без дат", kind=ActivityKind.CONFERENCE)
    return {
        "enrollment": enrollment,
        "intensive": intensive,
        "sessions": [s_present, s_late, s_absent, s_excused, s_unmarked, s_upcoming],
        "optional": optional,
        "video": video,
        "loose": loose,
    }


def _rows(world):
    (roadmap,) = enrollment_roadmaps([world["enrollment"]], now=timezone.now())
    rows = {row.activity.title: row for module in roadmap.modules for row in module.activities}
    return roadmap, rows


def test_my_status_on_every_session(world):
    roadmap, rows = _rows(world)
    sessions = rows["Интенсив"].sessions
    assert [(s.status, s.label) for s in sessions] == [
        (Status.ATTENDED, "Посещено"),
        (Status.ATTENDED, "Посещено (с опозданием)"),
        (Status.MISSED, "Пропуск без уважительной причины"),
        (Status.EXCUSED, "Пропуск по уважительной причине"),
        (Status.UNMARKED, "Посещаемость ещё не отмечена"),
        (Status.UPCOMING, "Предстоит"),
    ]
    assert sessions[3].reason == "Больничный лист"
    assert [m.module.title for m in roadmap.modules] == ["Форматы обучения"]
    assert [r.activity.title for r in roadmap.loose] == ["Конференция без дат"]
    assert roadmap.loose[0].status == Status.UNSCHEDULED


def test_activity_attended_once_enough_sessions_count(world):
    _roadmap, rows = _rows(world)
    # Present and late make two of the two required sessions.
    assert (rows["Интенсив"].status, rows["Интенсив"].label) == (Status.ATTENDED, "Засчитано")
    assert rows["Вебинар по выбору"].status == Status.UPCOMING


def test_activity_missed_when_too_few_sessions_attended(world):
    world["intensive"].required_sessions = 3
    world["intensive"].save()
    world["sessions"][-1].delete()  # nothing left to attend
    world["sessions"][-2].delete()

    _roadmap, rows = _rows(world)

    assert (rows["Интенсив"].status, rows["Интенсив"].label) == (Status.MISSED, "Пропущено")


def test_video_lesson_status_follows_my_submission(world):
    _roadmap, rows = _rows(world)
    assert (rows["Запись урока"].status, rows["Запись урока"].label) == (Status.UPCOMING, "Видеоурок ещё не сдан")

    SubmissionFactory(assignment=world["video"], enrollment=world["enrollment"])
    _roadmap, rows = _rows(world)
    assert rows["Запись урока"].status == Status.SUBMITTED
    assert rows["Запись урока"].label == "Видеоурок: сдан"


def test_video_lesson_missed_after_the_cutoff(world):
    video = world["video"]
    video.opens_at = timezone.now() - timedelta(days=30)
    video.due_at = timezone.now() - timedelta(days=10)
    video.cutoff_at = timezone.now() - timedelta(days=3)
    video.save()

    _roadmap, rows = _rows(world)

    assert rows["Запись урока"].status == Status.MISSED


def test_owner_sees_the_timeline_with_statuses_as_text(client, world):
    client.force_login(world["enrollment"].person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Моя дорожная карта" in html
    assert '<ol class="timeline list-unstyled my-timeline">' in html
    assert "октябрь 2024" in html
    for text in (
        "Засчитано",
        "Пропуск без уважительной причины",
        "Больничный лист",
        "Предстоит",
        "Обязательное",
        "По выбору",
    ):
        assert text in html, text
    assert "Мой статус:" in html


def test_another_teacher_sees_none_of_it(client, world):
    other = EnrollmentFactory()
    client.force_login(other.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Интенсив" not in html
    assert "Больничный лист" not in html


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("cabinet"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_roadmap_left_out_without_current_enrollments(world):
    enrollment = world["enrollment"]
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())

    assert roadmap_context(ctx) is None


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_sessions_assignments_and_enrollments(django_assert_num_queries, count):
    enrollment = EnrollmentFactory()
    person = enrollment.person
    seasons = [enrollment.season] + [EnrollmentFactory(person=person).season for _ in range(count - 1)]
    for season in seasons:
        module = RoadmapModuleFactory(season=season)
        for i in range(count):
            activity = ActivityFactory(season=season, module=module)
            session = _session(activity, -i - 1)
            AttendanceFactory(session=session, enrollment=Enrollment.objects.get(person=person, season=season))
            VideoAssignmentFactory(activity__season=season, activity__module=module)
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())

    # Modules, activities with video assignments, my submissions and extensions; sessions with my marks.
    with django_assert_num_queries(3):
        context = roadmap_context(ctx)

    assert len(context["roadmaps"]) == count
    assert all(len(r.modules[0].activities) == 2 * count for r in context["roadmaps"])


def test_only_the_current_module_is_unfolded_and_counts_what_is_done():
    enrollment = EnrollmentFactory()
    season = enrollment.season
    today = timezone.localdate(timezone.now(), season.tz)
    past = RoadmapModuleFactory(
        season=season, order=1, starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=31)
    )
    current = RoadmapModuleFactory(
        season=season, order=2, starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=10)
    )
    future = RoadmapModuleFactory(
        season=season, order=3, starts_on=today + timedelta(days=40), ends_on=today + timedelta(days=70)
    )
    attended = ActivityFactory(season=season, module=past)
    AttendanceFactory(session=_session(attended, -50), enrollment=enrollment, status=Attendance.Status.PRESENT)
    ActivityFactory(season=season, module=past)

    (roadmap,) = enrollment_roadmaps([enrollment], now=timezone.now())

    assert [(row.module, row.is_open) for row in roadmap.modules] == [(past, False), (current, True), (future, False)]
    assert (roadmap.modules[0].done, len(roadmap.modules[0].activities)) == (1, 2)


def test_between_modules_the_next_one_is_unfolded():
    enrollment = EnrollmentFactory()
    season = enrollment.season
    today = timezone.localdate(timezone.now(), season.tz)
    RoadmapModuleFactory(
        season=season, order=1, starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=31)
    )
    nxt = RoadmapModuleFactory(
        season=season, order=2, starts_on=today + timedelta(days=5), ends_on=today + timedelta(days=30)
    )
    RoadmapModuleFactory(
        season=season, order=3, starts_on=today + timedelta(days=40), ends_on=today + timedelta(days=70)
    )

    (roadmap,) = enrollment_roadmaps([enrollment], now=timezone.now())

    assert [row.module for row in roadmap.modules if row.is_open] == [nxt]
