"""Marking a session's attendance: attendance_mark and attendance_mark_all_present."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Attendance
from activities.services import attendance_mark, attendance_mark_all_present
from participants.models import Enrollment
from tests.factories import AttendanceFactory, EnrollmentFactory, UserFactory

from .attendance_fixtures import coordinator_of, expert_of, session_with_participants

pytestmark = pytest.mark.django_db


def _marks(session):
    return {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}


def test_marks_every_status_with_source_and_marker():
    session, (a, b, c, d) = session_with_participants(4)
    user = expert_of(session.activity.season)

    changed = attendance_mark(
        session=session,
        marks={
            a.pk: ("present", ""),
            b.pk: ("late", ""),
            c.pk: ("excused", "  Больничный лист  "),
            d.pk: ("absent", ""),
        },
        by=user,
    )

    marks = _marks(session)
    assert changed == 4
    assert {pk: m.status for pk, m in marks.items()} == {a.pk: "present", b.pk: "late", c.pk: "excused", d.pk: "absent"}
    assert marks[c.pk].reason == "Больничный лист"
    assert {m.source for m in marks.values()} == {"manual"}
    assert {m.marked_by_id for m in marks.values()} == {user.person.pk}
    assert not any(m.is_default for m in marks.values())


def test_updates_a_mark_and_leaves_an_unchanged_one_alone():
    session, (a, b) = session_with_participants(2)
    coordinator = coordinator_of(session)
    earlier = AttendanceFactory(session=session, enrollment=a, status="present", source="self", marked_by=a.person)
    AttendanceFactory(session=session, enrollment=b, status="absent", is_default=True, source="default")

    changed = attendance_mark(
        session=session, marks={a.pk: ("present", ""), b.pk: ("excused", "Курсы")}, by=coordinator
    )

    marks = _marks(session)
    assert changed == 1
    assert marks[a.pk].source == "self" and marks[a.pk].marked_at == earlier.marked_at  # the same mark stays
    assert (marks[b.pk].status, marks[b.pk].reason, marks[b.pk].is_default) == ("excused", "Курсы", False)
    assert marks[b.pk].source == "manual"
    assert marks[b.pk].marked_by is None  # the coordinator has no person record
    assert Attendance.objects.filter(session=session).count() == 2


def test_excused_without_reason_is_refused_naming_the_person_and_nothing_is_saved():
    session, (a, b) = session_with_participants(2, names=[("Петрова", "Анна", "Ивановна"), ("Сидоров", "Олег", "")])

    with pytest.raises(ValidationError) as error:
        attendance_mark(
            session=session,
            marks={a.pk: ("present", ""), b.pk: ("excused", "   ")},
            by=coordinator_of(session),
        )

    assert list(error.value.error_dict) == [str(b.pk)]
    assert "Сидоров Олег" in error.value.error_dict[str(b.pk)][0].messages[0]
    assert "уважительную причину" in error.value.error_dict[str(b.pk)][0].messages[0]
    assert not Attendance.objects.exists()


def test_only_expected_participants_can_be_marked():
    session, (a,) = session_with_participants(1)
    applied = EnrollmentFactory(season=session.activity.season, status=Enrollment.Status.APPLIED)
    stranger = EnrollmentFactory()

    with pytest.raises(ValidationError) as error:
        attendance_mark(
            session=session,
            marks={a.pk: ("present", ""), applied.pk: ("present", ""), stranger.pk: ("present", "")},
            by=coordinator_of(session),
        )

    assert set(error.value.error_dict) == {str(applied.pk), str(stranger.pk)}
    assert not Attendance.objects.exists()


def test_unknown_status_is_refused():
    session, (a,) = session_with_participants(1)
    with pytest.raises(ValidationError):
        attendance_mark(session=session, marks={a.pk: ("sleeping", "")}, by=coordinator_of(session))


def test_someone_who_may_not_mark_is_refused():
    session, (a,) = session_with_participants(1)
    for user in (a.person.user, UserFactory(), expert_of(session_with_participants(0)[0].activity.season), None):
        with pytest.raises(PermissionDenied):
            attendance_mark(session=session, marks={a.pk: ("present", "")}, by=user)
    assert not Attendance.objects.exists()


def test_all_present_marks_the_unmarked_and_default_ones_and_keeps_the_rest():
    session, (a, b, c, d) = session_with_participants(4)
    AttendanceFactory(session=session, enrollment=b, status="absent", is_default=True, source="default")
    AttendanceFactory(session=session, enrollment=c, status="excused", reason="Командировка", source="manual")
    withdrawn = EnrollmentFactory(season=session.activity.season, status=Enrollment.Status.WITHDRAWN)
    user = expert_of(session.activity.season, role="tech_specialist")

    marked, kept = attendance_mark_all_present(session=session, by=user)

    marks = _marks(session)
    assert (marked, kept) == (3, 1)
    assert {pk: m.status for pk, m in marks.items()} == {
        a.pk: "present",
        b.pk: "present",
        c.pk: "excused",
        d.pk: "present",
    }
    assert marks[c.pk].reason == "Командировка"
    assert withdrawn.pk not in marks
    assert marks[b.pk].is_default is False and marks[b.pk].marked_by_id == user.person.pk


def test_all_present_twice_changes_nothing_the_second_time():
    session, _ = session_with_participants(2)
    coordinator = coordinator_of(session)
    attendance_mark_all_present(session=session, by=coordinator)

    assert attendance_mark_all_present(session=session, by=coordinator) == (0, 2)
