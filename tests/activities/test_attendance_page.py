"""The attendance pages: /expert/sessions/ and /expert/sessions/<id>/attendance/ with its forms; the workspace
link and the admin's link and filters."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance, Session
from experts.models import ExpertGroup, GroupMember
from participants.models import User
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

from .attendance_fixtures import coordinator_of, expert_of, session_with_participants

pytestmark = pytest.mark.django_db


def _url(session, name="session_attendance"):
    return reverse(name, args=[session.pk])


@pytest.fixture
def setup():
    session, enrollments = session_with_participants(
        2, names=[("Яковлева", "Ирина", "Олеговна"), ("Антонов", "Пётр", "Ильич")]
    )
    return session, enrollments


# --- Who may open it ---------------------------------------------------------------------------------------


def _users(session):
    season = session.activity.season
    return {
        "coordinator": (coordinator_of(session), True),
        "tech_specialist": (expert_of(season, role="tech_specialist"), True),
        "curator": (expert_of(season, role="curator"), True),
        "methodist": (expert_of(season, role="methodist"), True),
        "other_coordinator": (
            UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=MunicipalityFactory()),
            False,
        ),
        "other_season_expert": (expert_of(SeasonFactory()), False),
        "teacher": (session.activity.season.enrollments.first().person.user, False),
    }


def test_access_matrix_of_the_session_page_and_its_forms(client, setup):
    session, _ = setup
    for who, (user, allowed) in _users(session).items():
        client.force_login(user)
        assert client.get(_url(session)).status_code == (200 if allowed else 404), who
        if not allowed:
            for name in ("session_attendance_all_present", "session_checkin_open", "session_attendance_import"):
                assert client.post(_url(session, name)).status_code == 404, (who, name)
            assert client.post(_url(session), {}).status_code == 404, who
    assert not Attendance.objects.exists()
    assert Session.objects.get(pk=session.pk).checkin_code == ""


def test_anonymous_is_sent_to_log_in(client, setup):
    session, _ = setup
    for url in (_url(session), reverse("attendance_sessions"), _url(session, "session_attendance_all_present")):
        response = client.get(url) if url != _url(session, "session_attendance_all_present") else client.post(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Attendance.objects.exists()


def test_unknown_session_is_404(client, setup):
    session, _ = setup
    client.force_login(coordinator_of(session))
    assert client.get(reverse("session_attendance", args=[session.pk + 1000])).status_code == 404


def test_sessions_list_shows_only_the_sessions_the_user_may_mark(client, setup):
    session, _ = setup
    elsewhere = SessionFactory(starts_at=timezone.now() - timedelta(days=1))
    long_ago = SessionFactory(activity=session.activity, starts_at=timezone.now() - timedelta(days=100))
    for user in (coordinator_of(session), expert_of(session.activity.season, role="mentor")):
        client.force_login(user)
        html = client.get(reverse("attendance_sessions")).content.decode()
        assert _url(session) in html
        assert _url(elsewhere) not in html
        assert _url(long_ago) not in html

    client.force_login(expert_of(SeasonFactory(), role="project_head"))
    html = client.get(reverse("attendance_sessions")).content.decode()
    assert _url(session) not in html
    assert "Недавних и ближайших занятий" in html

    client.force_login(session.activity.season.enrollments.first().person.user)
    assert client.get(reverse("attendance_sessions")).status_code == 404


# --- The page -----------------------------------------------------------------------------------------------


def test_page_lists_participants_by_name_with_group_current_mark_and_who_set_it(client, setup):
    session, (irina, petr) = setup
    group = ExpertGroup.objects.create(season=session.activity.season, name="Группа А")
    GroupMember.objects.create(group=group, enrollment=petr)
    curator = expert_of(session.activity.season)
    AttendanceFactory(session=session, enrollment=irina, status="late", marked_by=curator.person)
    EnrollmentFactory(season=session.activity.season, status="withdrawn", person__last_name="Выбывшая")
    client.force_login(coordinator_of(session))

    html = client.get(_url(session)).content.decode()

    assert html.index("Антонов Пётр Ильич") < html.index("Яковлева Ирина Олеговна")
    assert "Группа А" in html
    assert "Сейчас: Опоздал" in html and curator.person.short_name in html
    assert "Выбывшая" not in html
    assert f'name="status_{irina.pk}" id="id_status_{irina.pk}_1" value="late" autocomplete="off" checked' in html
    assert "Все присутствуют" in html


def test_default_marks_are_highlighted(client, setup):
    session, (irina, _petr) = setup
    AttendanceFactory(session=session, enrollment=irina, status="absent", is_default=True, source="default")
    client.force_login(coordinator_of(session))

    html = client.get(_url(session)).content.decode()

    assert "attendance-row--default" in html
    assert "по умолчанию стоит «отсутствовал», проверьте" in html
    assert "Не отмечено (по умолчанию): 1" in html


def test_saving_marks(client, setup):
    session, (irina, petr) = setup
    user = expert_of(session.activity.season, role="psychologist")
    client.force_login(user)

    response = client.post(
        _url(session),
        {f"status_{irina.pk}": "excused", f"reason_{irina.pk}": "Болезнь", f"status_{petr.pk}": "present"},
    )

    assert response.status_code == 302 and response["Location"] == _url(session)
    marks = {a.enrollment_id: a for a in Attendance.objects.all()}
    assert (marks[irina.pk].status, marks[irina.pk].reason) == ("excused", "Болезнь")
    assert marks[petr.pk].status == "present" and marks[petr.pk].marked_by_id == user.person.pk


def test_excused_without_reason_is_shown_at_the_field_and_keeps_what_was_chosen(client, setup):
    session, (irina, petr) = setup
    client.force_login(coordinator_of(session))

    response = client.post(
        _url(session), {f"status_{irina.pk}": "excused", f"reason_{irina.pk}": " ", f"status_{petr.pk}": "late"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Укажите уважительную причину отсутствия." in html
    assert f'id="id_reason_{irina.pk}-errors"' in html
    assert html.count('autocomplete="off" checked') == 2  # both choices survive
    assert not Attendance.objects.exists()


def test_all_present_in_one_click(client, setup):
    session, (irina, petr) = setup
    client.force_login(coordinator_of(session))

    response = client.post(_url(session, "session_attendance_all_present"), follow=True)

    assert "Отмечены присутствующими: 2." in response.content.decode()
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}


def test_checkin_code_is_opened_and_shown_big(client, setup):
    session, _ = setup
    client.force_login(expert_of(session.activity.season, role="tech_specialist"))

    response = client.post(_url(session, "session_checkin_open"), follow=True)

    code = Session.objects.get(pk=session.pk).checkin_code
    html = response.content.decode()
    assert len(code) == 6
    assert f">{code}</p>" in html and "checkin-code" in html
    assert "Выдать новый код" in html


def test_import_shows_its_report(client, setup):
    session, (irina, petr) = setup
    client.force_login(coordinator_of(session))
    csv = "Имя,Электронная почта\nИрина Яковлева,\nНезнакомец,someone@example.org\n".encode("utf-8-sig")
    upload = io.BytesIO(csv)
    upload.name = "participants.csv"

    response = client.post(_url(session, "session_attendance_import"), {"file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Итоги загрузки" in html
    assert "Незнакомец, someone@example.org — Нет среди участников сезона." in html
    assert "Участники, которых нет в отчёте" in html and "Антонов Пётр Ильич</li>" in html
    assert Attendance.objects.get().enrollment_id == irina.pk


def test_broken_import_file_is_refused_at_the_field(client, setup):
    session, _ = setup
    client.force_login(coordinator_of(session))
    upload = io.BytesIO(b"\x00\x01binary\x00" * 100)
    upload.name = "export.csv"

    response = client.post(_url(session, "session_attendance_import"), {"file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Это не текстовый файл CSV" in html and "is-invalid" in html
    assert not Attendance.objects.exists()


# --- Query counts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_session_page_query_count_does_not_grow(client, django_assert_num_queries, count):
    session, enrollments = session_with_participants(count)
    group = ExpertGroup.objects.create(season=session.activity.season, name="Группа 1")
    curator = expert_of(session.activity.season)
    for enrollment in enrollments:
        GroupMember.objects.create(group=group, enrollment=enrollment)
        AttendanceFactory(session=session, enrollment=enrollment, marked_by=curator.person)
    client.force_login(curator)

    # Session and user; the session; the expert check; participants with groups; marks with who set them;
    # the header's person comes with the user.
    with django_assert_num_queries(6):
        response = client.get(_url(session))

    assert response.content.decode().count('class="list-group-item attendance-row') == count


@pytest.mark.parametrize("count", [1, 3])
def test_sessions_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    season = SeasonFactory()
    for n in range(count):
        session = SessionFactory(activity__season=season, starts_at=timezone.now() - timedelta(days=n + 2))
        enrollment = EnrollmentFactory(season=season)
        AttendanceFactory(session=session, enrollment=enrollment)
    client.force_login(coordinator_of(session))

    # Session and user (with the header's person); the page's count; the page; the overdue summary.
    with django_assert_num_queries(5):
        response = client.get(reverse("attendance_sessions"))

    assert response.content.decode().count("attendance-session--") == count


def test_sessions_list_counts_unmarked_and_overdue(client):
    season = SeasonFactory()
    ended = SessionFactory(activity__season=season, starts_at=timezone.now() - timedelta(days=3))
    upcoming = SessionFactory(activity__season=season, starts_at=timezone.now() + timedelta(days=2))
    admitted = timezone.now() - timedelta(days=30)  # before the ended session: expected there
    first, _second, _third = (EnrollmentFactory(season=season, status_changed_at=admitted) for _ in range(3))
    AttendanceFactory(session=ended, enrollment=first)
    client.force_login(coordinator_of(ended))

    html = client.get(reverse("attendance_sessions")).content.decode()

    assert "Не отмечено: 2 из 3" in html and "Отметка просрочена" in html
    assert "Не отмечено: 3 из 3" in html and "Предстоит" in html
    assert "Просрочена отметка на 1 занятии: не отмечено участников — 2." in html
    assert html.index(_url(upcoming)) < html.index(_url(ended))


def test_sessions_list_is_paginated(client):
    season = SeasonFactory()
    for n in range(22):
        SessionFactory(activity__season=season, starts_at=timezone.now() - timedelta(hours=n + 1))
    client.force_login(expert_of(season))

    first = client.get(reverse("attendance_sessions")).content.decode()
    second = client.get(reverse("attendance_sessions"), {"page": 2}).content.decode()

    assert first.count("attendance-session--") == 20 and second.count("attendance-session--") == 2
    assert "Страница 1 из 2" in first


# --- Links ----------------------------------------------------------------------------------------------------


def test_workspace_links_to_the_sessions(client, setup):
    session, _ = setup
    client.force_login(expert_of(session.activity.season))
    assert reverse("attendance_sessions") in client.get(reverse("expert_workspace")).content.decode()


def test_admin_session_page_links_to_attendance_and_attendance_filters_by_source(client, setup):
    session, (irina, petr) = setup
    AttendanceFactory(session=session, enrollment=irina, source="self")
    AttendanceFactory(session=session, enrollment=petr, source="import")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    change = client.get(reverse("admin:activities_session_change", args=[session.pk])).content.decode()
    assert _url(session) in change

    listing = client.get(reverse("admin:activities_attendance_changelist"), {"source": "self"}).content.decode()
    assert "Самоотметка по коду" in listing
    assert str(irina.person) in listing and str(petr.person) not in listing
    assert client.get(reverse("admin:activities_attendance_changelist"), {"is_default__exact": "1"}).status_code == 200
