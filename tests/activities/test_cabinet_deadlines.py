from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from activities.cabinet import deadlines_context
from activities.models import SubmissionExtension
from activities.selectors import DeadlineKind, enrollment_deadlines
from activities.timetext import time_left
from participants.cabinet import CabinetContext
from participants.selectors import person_enrollments
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")  # UTC+5
NOW = datetime(2025, 2, 10, 9, 0, tzinfo=YEKATERINBURG)


def _nbsp(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2025, 2, 10, 18, 0, tzinfo=YEKATERINBURG), "сегодня в 18:00"),
        (datetime(2025, 2, 11, 9, 30, tzinfo=YEKATERINBURG), "завтра в 09:30"),
        (datetime(2025, 2, 12, 14, 0, tzinfo=YEKATERINBURG), "через 2 дня 5 часов"),
        (datetime(2025, 2, 15, 9, 0, tzinfo=YEKATERINBURG), "через 5 дней"),
        (datetime(2025, 2, 15, 10, 0, tzinfo=YEKATERINBURG), "через 5 дней 1 час"),
        (datetime(2025, 3, 3, 12, 0, tzinfo=YEKATERINBURG), "через 21 день 3 часа"),
        (datetime(2025, 2, 7, 8, 0, tzinfo=YEKATERINBURG), "просрочено на 3 дня"),
        (datetime(2025, 2, 9, 8, 0, tzinfo=YEKATERINBURG), "просрочено на 1 день"),
        (datetime(2025, 2, 10, 7, 0, tzinfo=YEKATERINBURG), "просрочено на 2 часа"),
        (datetime(2025, 2, 10, 8, 49, tzinfo=YEKATERINBURG), "просрочено на 11 минут"),
        (datetime(2025, 1, 16, 9, 0, tzinfo=YEKATERINBURG), "просрочено на 25 дней"),
    ],
)
def test_time_left_in_russian(at, expected):
    with translation.override("ru"):
        assert _nbsp(time_left(at, NOW, YEKATERINBURG)) == expected


def test_today_and_tomorrow_are_days_of_the_season_zone():
    # 23:30 in Yekaterinburg on the 10th is 18:30 UTC; 00:30 next day there is tomorrow, not today.
    now = datetime(2025, 2, 10, 23, 30, tzinfo=YEKATERINBURG)
    at = datetime(2025, 2, 11, 0, 30, tzinfo=YEKATERINBURG).astimezone(ZoneInfo("UTC"))
    with translation.override("ru"):
        assert time_left(at, now, YEKATERINBURG) == "завтра в 00:30"
        assert time_left(at, now, ZoneInfo("Europe/Moscow")) == "сегодня в 22:30"


def test_time_left_in_english():
    with translation.override("en"):
        text = time_left(datetime(2025, 2, 12, 14, 0, tzinfo=YEKATERINBURG), NOW, YEKATERINBURG)
    assert "2 days" in _nbsp(text) and "5 hours" in _nbsp(text)


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


def test_deadlines_list_upcoming_sessions_and_open_video_dates(enrollment):
    now = timezone.now()
    season = enrollment.season
    activity = ActivityFactory(season=season, title="Вебинар")
    SessionFactory(activity=activity, starts_at=now - timedelta(days=1))
    upcoming = SessionFactory(activity=activity, starts_at=now + timedelta(days=2))
    video = VideoAssignmentFactory(
        activity__season=season,
        activity__title="Видеоурок 1",
        due_at=now + timedelta(days=5),
        cutoff_at=now + timedelta(days=9),
    )
    submitted = VideoAssignmentFactory(activity__season=season, activity__title="Видеоурок 2")
    SubmissionFactory(assignment=submitted, enrollment=enrollment)

    deadlines = enrollment_deadlines([enrollment], now=now)

    assert [(d.kind, d.at) for d in deadlines] == [
        (DeadlineKind.SESSION, upcoming.starts_at),
        (DeadlineKind.VIDEO_DUE, video.due_at),
        (DeadlineKind.VIDEO_CUTOFF, video.cutoff_at),
    ]
    assert not any(d.overdue for d in deadlines)


def test_overdue_due_date_stays_until_the_cutoff_and_extension_moves_the_cutoff(enrollment):
    now = timezone.now()
    video = VideoAssignmentFactory(
        activity__season=enrollment.season,
        opens_at=now - timedelta(days=20),
        due_at=now - timedelta(days=3),
        cutoff_at=now - timedelta(days=1),
    )
    assert enrollment_deadlines([enrollment], now=now) == []

    until = now + timedelta(days=4)
    SubmissionExtension.objects.create(assignment=video, enrollment=enrollment, until=until, reason="Болезнь")
    deadlines = enrollment_deadlines([enrollment], now=now)

    assert [(d.kind, d.overdue, d.extended) for d in deadlines] == [
        (DeadlineKind.VIDEO_DUE, True, False),
        (DeadlineKind.VIDEO_CUTOFF, False, True),
    ]
    assert deadlines[1].at == until


def test_owner_sees_dates_in_the_season_zone_and_time_left(client, enrollment):
    season = enrollment.season
    season.time_zone = "Asia/Vladivostok"  # UTC+10
    season.save()
    starts = (
        (timezone.now() + timedelta(days=3))
        .astimezone(ZoneInfo("UTC"))
        .replace(hour=2, minute=0, second=0, microsecond=0)
    )
    SessionFactory(activity=ActivityFactory(season=season, title="Командная игра"), starts_at=starts)
    client.force_login(enrollment.person.user)

    html = _nbsp(client.get(reverse("cabinet")).content.decode())
    section = html[html.index('id="cabinet-deadlines"') : html.index('id="cabinet-roadmap"')]

    assert "Командная игра" in section
    assert ", 12:00</time>" in section  # 02:00 UTC is noon in Vladivostok
    assert "+10:00" in section
    assert "(время Владивостока, МСК+7)" in section
    assert "через " in html or "завтра в" in html
    assert reverse("cabinet_calendar") in html


def test_another_teacher_and_anonymous_see_no_deadlines(client, enrollment):
    SessionFactory(activity=ActivityFactory(season=enrollment.season, title="Секретный вебинар"))
    other = EnrollmentFactory()
    client.force_login(other.person.user)
    assert "Секретный вебинар" not in client.get(reverse("cabinet")).content.decode()

    client.logout()
    assert client.get(reverse("cabinet")).status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow(django_assert_num_queries, count):
    first = EnrollmentFactory()
    person = first.person
    enrollments = [first] + [EnrollmentFactory(person=person) for _ in range(count - 1)]
    for enrollment in enrollments:
        for _ in range(count):
            SessionFactory(activity=ActivityFactory(season=enrollment.season))
            assignment = VideoAssignmentFactory(activity__season=enrollment.season)
            SubmissionExtension.objects.create(
                assignment=assignment, enrollment=enrollment, until=assignment.cutoff_at + timedelta(days=2), reason="—"
            )
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())

    # Modules, activities with video assignments, my submissions and extensions; sessions with my marks.
    with django_assert_num_queries(3):
        context = deadlines_context(ctx)

    assert len(context["items"]) == min(3 * count * count, 8)
    assert context["show_program"] is (count > 1)
