"""The attendance pages with expected participants: who is listed, confirming default marks, the sessions filter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityAudience, Attendance
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    PersonFactory,
    SessionFactory,
)

from .attendance_fixtures import coordinator_of, expert_of

pytestmark = pytest.mark.django_db

FORMAT = "Мультимодальное обучение"
OTHER = "Обучение на основе вызовов"


def _intensive_session(*, ended=True):
    starts = timezone.now() - timedelta(days=3 if ended else 0, minutes=30)
    return SessionFactory(
        activity=ActivityFactory(is_mandatory=False, audience=ActivityAudience.FORMAT, learning_format=FORMAT),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


def _teacher(session, fmt=FORMAT, **extra):
    return EnrollmentFactory(
        season=session.activity.season,
        preferred_format=fmt,
        status_changed_at=session.starts_at - timedelta(days=10),
        **extra,
    )


def _with_defaults(session, count):
    teachers = [_teacher(session) for _ in range(count)]
    for teacher in teachers:
        AttendanceFactory(session=session, enrollment=teacher, status="absent", is_default=True, source="default")
    return teachers


def _confirm_url(session):
    return reverse("session_attendance_confirm_defaults", args=[session.pk])


def test_the_page_lists_only_the_participants_of_the_format(client):
    session = _intensive_session()
    mine = _teacher(session, person__last_name="Форматова")
    _teacher(session, OTHER, person__last_name="Чужеформатова")
    client.force_login(coordinator_of(session))

    page = client.get(reverse("session_attendance", args=[session.pk])).content.decode()

    assert mine.person.last_name in page and "Чужеформатова" not in page
    assert page.count('class="list-group-item attendance-row') == 1
    assert "Выбравшие формат обучения" in page


def test_a_default_mark_reads_unmarked_and_the_coordinator_sees_the_button_with_the_count(client):
    session = _intensive_session()
    _with_defaults(session, 2)
    client.force_login(coordinator_of(session))

    page = client.get(reverse("session_attendance", args=[session.pk])).content.decode()

    assert "Сейчас: не отмечено (по умолчанию)" in page
    assert "Подтвердить отметки по умолчанию (2)" in page
    assert _confirm_url(session) in page


def test_the_coordinator_confirms_the_defaults(client):
    session = _intensive_session()
    teachers = _with_defaults(session, 2)
    coordinator = PersonFactory(user=coordinator_of(session)).user
    client.force_login(coordinator)

    response = client.post(_confirm_url(session))

    assert response.status_code == 302
    marks = Attendance.objects.filter(session=session, enrollment__in=teachers)
    assert set(marks.values_list("is_default", "source", "marked_by__user_id")) == {
        (False, "confirmed_default", coordinator.pk)
    }


def test_confirming_before_the_end_is_refused_with_a_message(client):
    session = _intensive_session(ended=False)
    _with_defaults(session, 1)
    client.force_login(coordinator_of(session))

    response = client.post(_confirm_url(session), follow=True)

    assert "Занятие ещё не закончилось" in response.content.decode()
    assert Attendance.objects.get(session=session).is_default


def test_a_coordinator_of_another_municipality_gets_404(client):
    session = _intensive_session()
    _with_defaults(session, 1)
    stranger = coordinator_of(session)
    stranger.municipality = MunicipalityFactory()
    stranger.save(update_fields=["municipality"])
    client.force_login(stranger)

    assert client.post(_confirm_url(session)).status_code == 404
    assert Attendance.objects.get(session=session).is_default


def test_an_expert_who_marks_the_session_may_not_confirm(client):
    session = _intensive_session()
    _with_defaults(session, 1)
    client.force_login(expert_of(session.activity.season))

    page = client.get(reverse("session_attendance", args=[session.pk])).content.decode()
    assert "Подтвердить отметки по умолчанию" not in page
    assert client.post(_confirm_url(session)).status_code == 403
    assert Attendance.objects.get(session=session).is_default


def test_anonymous_is_sent_to_login(client):
    session = _intensive_session()
    assert client.post(_confirm_url(session)).status_code == 302
    assert not Attendance.objects.exists()


def test_the_sessions_list_filters_sessions_with_unconfirmed_defaults(client):
    with_defaults = _intensive_session()
    _with_defaults(with_defaults, 2)
    without = SessionFactory(
        activity=ActivityFactory(season=with_defaults.activity.season, title="Без отметок по умолчанию"),
        starts_at=with_defaults.starts_at,
        ends_at=with_defaults.ends_at,
    )
    client.force_login(coordinator_of(with_defaults))

    everything = client.get(reverse("attendance_sessions")).content.decode()
    filtered = client.get(reverse("attendance_sessions") + "?defaults=1").content.decode()

    assert without.activity.title in everything and without.activity.title not in filtered
    assert with_defaults.activity.title in filtered
    assert "Неподтверждённые отметки по умолчанию на 1 занятии: 2" in everything


# --- Query counts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_page_of_a_format_session_query_count_does_not_grow(client, django_assert_num_queries, count):
    session = _intensive_session()
    _with_defaults(session, count)
    for _ in range(count):
        _teacher(session, OTHER)
    client.force_login(coordinator_of(session))

    # Session and user; the session; participants with groups; marks with who set them; the header's person.
    with django_assert_num_queries(5):
        response = client.get(reverse("session_attendance", args=[session.pk]))

    assert response.content.decode().count('class="list-group-item attendance-row') == count


@pytest.mark.parametrize("count", [1, 3])
def test_sessions_list_with_defaults_query_count_does_not_grow(client, django_assert_num_queries, count):
    first = _intensive_session()
    for n in range(count):
        session = (
            SessionFactory(
                activity=first.activity, starts_at=first.starts_at - timedelta(days=n), ends_at=first.ends_at
            )
            if n
            else first
        )
        _with_defaults(session, count)
    client.force_login(coordinator_of(first))

    # Session and user (with the header's person); the page's count; the page; the overdue and defaults summary.
    with django_assert_num_queries(5):
        response = client.get(reverse("attendance_sessions") + "?defaults=1")

    assert response.content.decode().count("attendance-session--") == count
