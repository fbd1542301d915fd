"""Attendance from a video meeting's export: attendance_import and the reading of the CSV behind it."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities.models import Attendance
from activities.services import attendance_import
from tests.factories import AttendanceFactory, EnrollmentFactory, UserFactory

from .attendance_fixtures import coordinator_of, session_with_participants

pytestmark = pytest.mark.django_db

NAMES = [("Петрова", "Анна", "Ивановна"), ("Сидоров", "Олег", "Николаевич"), ("Королёва", "Алёна", "Сергеевна")]


@pytest.fixture
def setup():
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=40)
    session, enrollments = session_with_participants(3, names=NAMES, starts_at=start)
    return session, enrollments, coordinator_of(session)


def _at(session, minutes: int, fmt: str = "%d.%m.%Y %H:%M:%S") -> str:
    """The session's start plus `minutes`, as the export writes it: local time of the season."""
    local = timezone.localtime(session.starts_at, session.activity.season.tz) + timedelta(minutes=minutes)
    return local.strftime(fmt)


def _csv(text: str, encoding: str = "utf-8-sig") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def _marks(session):
    return {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}


def test_zoom_english_export_matches_by_email_then_by_name_in_either_order(setup):
    session, (anna, oleg, alena), coordinator = setup
    zoom_at = "%m/%d/%Y %I:%M:%S %p"
    text = (
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        f"812 3456 7890,Вебинар,{_at(session, 0, zoom_at)},{_at(session, 90, zoom_at)},host@school.ru,90,4\n"
        "\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        f"Аня,{anna.person.email.upper()},{_at(session, 2, zoom_at)},{_at(session, 80, zoom_at)},78,No\n"
        f"олег   сидоров,,{_at(session, 15, zoom_at)},{_at(session, 80, zoom_at)},65,Yes\n"
        f"iPhone (Королева Алена),,{_at(session, 1, zoom_at)},{_at(session, 80, zoom_at)},79,Yes\n"
    )

    report = attendance_import(session=session, file=_csv(text), by=coordinator)

    marks = _marks(session)
    assert {pk: m.status for pk, m in marks.items()} == {anna.pk: "present", oleg.pk: "late", alena.pk: "present"}
    assert {m.source for m in marks.values()} == {"import"}
    assert [item.enrollment for item in report.marked] == [alena, anna, oleg]  # by surname
    assert report.unmatched == [] and report.not_found == []


def test_late_is_decided_by_the_first_join_of_someone_who_rejoined(setup):
    session, (anna, oleg, alena), coordinator = setup
    text = (
        "Имя (настоящее имя),Электронная почта,Время входа,Время выхода,Продолжительность (минуты)\n"
        f"Петрова Анна Ивановна,,{_at(session, 25)},{_at(session, 60)},35\n"
        f"Петрова Анна Ивановна,,{_at(session, 9)},{_at(session, 20)},11\n"
        f"Сидоров Олег,,{_at(session, 11)},{_at(session, 60)},49\n"
        f"Королева Алена,,{_at(session, 10)},{_at(session, 60)},50\n"
    )

    report = attendance_import(session=session, file=_csv(text), by=coordinator)

    marks = _marks(session)
    assert marks[anna.pk].status == "present"  # 9 minutes after the start, the second row
    assert marks[oleg.pk].status == "late"  # 11 minutes
    assert marks[alena.pk].status == "present"  # exactly 10 minutes is not late
    assert len(report.marked) == 3


def test_report_lists_unmatched_rows_and_participants_not_in_the_file(setup):
    session, (anna, oleg, alena), coordinator = setup
    text = (
        "Name (Original Name),User Email,Join Time\n"
        f"Анна Петрова,,{_at(session, 0)}\n"
        f"Гость,guest@mail.ru,{_at(session, 0)}\n"
        f"Иванов Иван,,{_at(session, 0)}\n"
    )

    report = attendance_import(session=session, file=_csv(text), by=coordinator)

    assert [item.enrollment for item in report.marked] == [anna]
    assert [(row.row, row.name, row.email) for row in report.unmatched] == [
        (3, "Гость", "guest@mail.ru"),
        (4, "Иванов Иван", ""),
    ]
    assert all(row.why == "Нет среди участников сезона." for row in report.unmatched)
    assert report.not_found == [alena, oleg]  # the expected participants by ФИО
    assert set(_marks(session)) == {anna.pk}


def test_telemost_cp1251_with_semicolons_and_time_only_join(setup):
    session, (anna, oleg, alena), coordinator = setup
    text = (
        "Имя;Электронная почта;Время входа;Продолжительность (минуты)\r\n"
        f"КОРОЛЁВА  Алёна;;{_at(session, 3, '%H:%M')};80\r\n"
        f"Олег Сидоров;—;{_at(session, 30, '%H:%M')};50\r\n"
    )

    report = attendance_import(session=session, file=_csv(text, "cp1251"), by=coordinator)

    marks = _marks(session)
    assert {pk: m.status for pk, m in marks.items()} == {alena.pk: "present", oleg.pk: "late"}
    assert report.not_found == [anna]


def test_export_without_join_times_marks_present(setup):
    session, (anna, oleg, alena), coordinator = setup
    text = f"User Email\n{oleg.person.email}\n"

    attendance_import(session=session, file=_csv(text), by=coordinator)

    assert {pk: m.status for pk, m in _marks(session).items()} == {oleg.pk: "present"}


def test_manual_marks_are_kept_unless_overwrite_is_chosen(setup):
    session, (anna, oleg, alena), coordinator = setup
    AttendanceFactory(session=session, enrollment=anna, status="excused", reason="Болезнь", source="manual")
    AttendanceFactory(session=session, enrollment=oleg, status="absent", source="default", is_default=True)
    AttendanceFactory(session=session, enrollment=alena, status="late", source="import")
    text = (
        "Имя,Время входа\n"
        f"Петрова Анна,{_at(session, 0)}\nСидоров Олег,{_at(session, 0)}\nКоролёва Алёна,{_at(session, 0)}\n"
    )

    report = attendance_import(session=session, file=_csv(text), by=coordinator)

    marks = _marks(session)
    assert (marks[anna.pk].status, marks[anna.pk].reason) == ("excused", "Болезнь")
    assert marks[oleg.pk].status == "present" and not marks[oleg.pk].is_default
    assert marks[alena.pk].status == "present"  # an earlier import is replaced
    assert [item.enrollment for item in report.kept] == [anna]

    attendance_import(session=session, file=_csv(text), by=coordinator, overwrite=True)

    assert (_marks(session)[anna.pk].status, _marks(session)[anna.pk].source) == ("present", "import")


def test_two_participants_of_the_same_name_are_not_guessed(setup):
    session, (anna, oleg, alena), coordinator = setup
    EnrollmentFactory(season=session.activity.season, person__last_name="Сидоров", person__first_name="Олег")
    text = f"Имя,Время входа\nСидоров Олег,{_at(session, 0)}\n"

    report = attendance_import(session=session, file=_csv(text), by=coordinator)

    assert report.marked == []
    assert "нескольких участников" in report.unmatched[0].why


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Файл пуст"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "не текстовый файл CSV"),
        ("Тема,Начало\nВебинар,10:00\n".encode(), "не найден столбец"),
        ("Имя,Время входа\n".encode(), "нет ни одного участника"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(setup, content, message):
    session, _, coordinator = setup
    with pytest.raises(ValidationError) as error:
        attendance_import(session=session, file=io.BytesIO(content), by=coordinator)
    assert message in " ".join(error.value.messages)


def test_a_bad_row_saves_nothing_and_names_the_rows(setup):
    session, (anna, oleg, alena), coordinator = setup
    text = (
        "Имя,Электронная почта,Время входа,Продолжительность (минуты)\n"
        f"Петрова Анна,,{_at(session, 0)},40\n"
        "Сидоров Олег,,вчера вечером,40\n"
        ",,,\n"
        ",,10:00,15\n"
        f"Королёва Алёна,,{_at(session, 0)},сорок\n"
    )

    with pytest.raises(ValidationError) as error:
        attendance_import(session=session, file=_csv(text), by=coordinator)

    assert error.value.messages == [
        "Строка 3: время входа «вчера вечером» не распознано.",
        "Строка 5: нет ни имени, ни электронной почты.",
        "Строка 6: продолжительность «сорок» не распознана.",
    ]
    assert not Attendance.objects.exists()


def test_someone_who_may_not_mark_cannot_import(setup):
    session, (anna, *_), _coordinator = setup
    for user in (anna.person.user, UserFactory()):
        with pytest.raises(PermissionDenied):
            attendance_import(session=session, file=_csv("Имя\nПетрова Анна\n"), by=user)
    assert not Attendance.objects.exists()


def test_join_time_is_read_in_the_seasons_zone_not_the_servers(setup, settings):
    session, (anna, oleg, _alena), coordinator = setup
    settings.TIME_ZONE = "Europe/Moscow"
    assert session.activity.season.time_zone == "Asia/Yekaterinburg"
    # Five minutes after the start by the season's clock; read as Moscow time it would be two hours late.
    text = f"Имя,Время входа\nПетрова Анна,{_at(session, 5, '%Y-%m-%d %H:%M')}\n"

    attendance_import(session=session, file=_csv(text), by=coordinator)

    assert _marks(session)[anna.pk].status == "present"


def test_a_time_only_join_after_midnight_belongs_to_the_next_day():
    """A meeting that began at 23:45 (season time) and was joined at 00:15 was joined 30 minutes late."""
    tz = ZoneInfo("Asia/Yekaterinburg")
    session, (anna, oleg, alena) = session_with_participants(
        3, names=NAMES, starts_at=datetime(2026, 3, 10, 23, 45, tzinfo=tz)
    )
    season = session.activity.season
    season.time_zone = "Asia/Yekaterinburg"
    season.save(update_fields=["time_zone"])
    text = "Имя;Время входа\r\nКоролёва Алёна;23:46\r\nОлег Сидоров;00:15\r\nАнна Петрова;23:40\r\n"

    attendance_import(session=session, file=_csv(text), by=coordinator_of(session))

    assert {pk: m.status for pk, m in _marks(session).items()} == {
        alena.pk: "present",
        oleg.pk: "late",
        anna.pk: "present",
    }
