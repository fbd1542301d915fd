"""The reserve's services: status steps with dates, decisions and reasons; the yearly update's window; the
trajectory and the member's report; the yearly analysis and the confidential diagnostics (сид 001)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from core.models import Notification
from experts.models import ExpertRole
from participants.models import User
from projects.dates import municipality_today
from projects.models.reserve import (
    ReserveMember,
    ReserveReviewEntry,
    ReserveSource,
    ReserveStatus,
    TrajectoryItem,
    TrajectoryKind,
    YoungDirectorParticipation,
)
from projects.services_reserve import (
    last_closed_review_year,
    reserve_analysis_record,
    reserve_diagnostic_record,
    reserve_member_add,
    reserve_member_set_status,
    reserve_review_record,
    review_year_of,
    trajectory_item_add,
    trajectory_item_report,
    young_director_record,
)
from tests.factories import ExpertAssignmentFactory, PersonFactory, UserFactory
from tests.projects.reserve_world import coordinator_of, member_in, reserve_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return reserve_world()


def codes(exc: ValidationError, field: str) -> set[str]:
    return {e.code for e in exc.error_dict[field]}


def test_a_candidate_is_listed_with_the_first_step_of_the_history(w):
    member = member_in(w, status=ReserveStatus.CANDIDATE, source=ReserveSource.RECOMMENDATION)
    assert (member.status, member.included_on, member.organisation) == (ReserveStatus.CANDIDATE, None, w.school)
    (step,) = member.status_changes.all()
    assert (step.from_status, step.to_status, step.changed_on) == ("", ReserveStatus.CANDIDATE, date(2025, 3, 1))


def test_a_member_included_straight_away_needs_the_decision(w):
    with pytest.raises(ValidationError) as exc:
        reserve_member_add(
            municipality=w.municipality,
            person=PersonFactory(organisation=w.school),
            source=ReserveSource.CONTEST,
            listed_on=date(2025, 3, 1),
            status=ReserveStatus.IN_RESERVE,
        )
    assert codes(exc.value, "decision") == {"required"}
    assert not ReserveMember.objects.exists()


def test_a_person_is_listed_once_and_only_in_their_own_municipality(w):
    member = member_in(w)
    with pytest.raises(ValidationError) as exc:
        reserve_member_add(
            municipality=w.municipality, person=member.person, source="contest", listed_on=date(2025, 3, 2)
        )
    assert codes(exc.value, "person") == {"duplicate"}
    other = reserve_world("Чужой район")
    with pytest.raises(ValidationError) as exc:
        reserve_member_add(
            municipality=w.municipality,
            person=PersonFactory(organisation=other.school),
            source="contest",
            listed_on=date(2025, 3, 2),
        )
    assert codes(exc.value, "person") == {"other_municipality"}
    with pytest.raises(ValidationError) as exc:
        reserve_member_add(
            municipality=w.municipality,
            person=PersonFactory(organisation=w.school),
            source="contest",
            listed_on=date(2025, 3, 2),
            by=other.coordinator,
        )
    assert exc.value.code == "other_municipality"


def test_status_steps_carry_their_date_decision_and_reason(w):
    member = member_in(w, status=ReserveStatus.CANDIDATE)
    member = reserve_member_set_status(
        member=member, to_status=ReserveStatus.IN_RESERVE, on=date(2025, 4, 1), decision="Распоряжение № 5"
    )
    assert (member.status, member.included_on, member.decision) == (
        ReserveStatus.IN_RESERVE,
        date(2025, 4, 1),
        "Распоряжение № 5",
    )
    member = reserve_member_set_status(
        member=member, to_status=ReserveStatus.APPOINTED, on=date(2025, 9, 1), decision="Приказ о назначении № 7"
    )
    assert member.status == ReserveStatus.APPOINTED
    steps = list(member.status_changes.values_list("from_status", "to_status", "changed_on"))
    assert steps == [
        ("", ReserveStatus.CANDIDATE, date(2025, 3, 1)),
        (ReserveStatus.CANDIDATE, ReserveStatus.IN_RESERVE, date(2025, 4, 1)),
        (ReserveStatus.IN_RESERVE, ReserveStatus.APPOINTED, date(2025, 9, 1)),
    ]


def test_wrong_status_steps_are_refused_with_a_reason_per_field(w):
    member = member_in(w)
    with pytest.raises(ValidationError) as exc:
        reserve_member_set_status(member=member, to_status=ReserveStatus.EXCLUDED, on=date(2025, 5, 1))
    assert codes(exc.value, "reason") == {"required"}
    with pytest.raises(ValidationError) as exc:
        reserve_member_set_status(
            member=member, to_status=ReserveStatus.EXCLUDED, on=date(2025, 2, 1), reason="Переезд"
        )
    assert codes(exc.value, "on") == {"before_previous"}
    with pytest.raises(ValidationError) as exc:
        reserve_member_set_status(member=member, to_status=ReserveStatus.CANDIDATE, on=date(2025, 5, 1))
    assert codes(exc.value, "to_status") == {"transition"}
    appointed = reserve_member_set_status(
        member=member, to_status=ReserveStatus.APPOINTED, on=date(2025, 5, 1), decision="Приказ № 1"
    )
    with pytest.raises(ValidationError) as exc:
        reserve_member_set_status(member=appointed, to_status=ReserveStatus.EXCLUDED, on=date(2025, 6, 1), reason="x")
    assert codes(exc.value, "to_status") == {"transition"}
    member.refresh_from_db()
    assert member.status == ReserveStatus.APPOINTED


def test_exclusion_keeps_the_reason(w):
    member = reserve_member_set_status(
        member=member_in(w), to_status=ReserveStatus.EXCLUDED, on=date(2025, 5, 1), reason="Личное заявление"
    )
    assert (member.status, member.status_reason) == (ReserveStatus.EXCLUDED, "Личное заявление")


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2025, 11, 30), None),
        (date(2025, 12, 1), 2025),
        (date(2026, 1, 15), 2025),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), None),
    ],
)
def test_the_update_window_is_december_to_march(day, year):
    assert review_year_of(day) == year


@pytest.mark.parametrize(
    "today, closed",
    [(date(2026, 3, 31), 2024), (date(2026, 4, 1), 2025), (date(2026, 12, 31), 2025), (date(2027, 1, 1), 2025)],
)
def test_the_last_closed_window(today, closed):
    assert last_closed_review_year(today) == closed


def test_today_is_the_municipalitys_day():
    from tests.factories import MunicipalityFactory

    vladivostok = MunicipalityFactory(name="Верхнебуреинский", time_zone="Asia/Vladivostok")
    moscow = MunicipalityFactory(name="Московский", time_zone="Europe/Moscow")
    # 31 March, 23:30 in Moscow is already 1 April in Vladivostok: the window there has closed.
    now = datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    assert municipality_today(moscow, now=now) == date(2026, 3, 31)
    assert municipality_today(vladivostok, now=now) == date(2026, 4, 1)


def test_the_yearly_update_keeps_adds_and_removes_in_one_decision(w):
    kept = member_in(w, last_name="Остаётся")
    candidate = member_in(w, status=ReserveStatus.CANDIDATE, last_name="Включается")
    leaving = member_in(w, last_name="Исключается")
    review = reserve_review_record(
        municipality=w.municipality,
        held_on=date(2026, 2, 10),
        decision="Распоряжение от 10.02.2026 № 20",
        kept=[kept],
        added=[candidate],
        removed={leaving: "Не подтвердил готовность"},
        by=w.coordinator,
    )
    assert review.year == 2025
    outcomes = dict(review.entries.values_list("member__person__last_name", "outcome"))
    assert outcomes == {
        "Остаётся": ReserveReviewEntry.Outcome.KEPT,
        "Включается": ReserveReviewEntry.Outcome.ADDED,
        "Исключается": ReserveReviewEntry.Outcome.REMOVED,
    }
    candidate.refresh_from_db()
    leaving.refresh_from_db()
    assert (candidate.status, candidate.included_on) == (ReserveStatus.IN_RESERVE, date(2026, 2, 10))
    assert (leaving.status, leaving.status_reason) == (ReserveStatus.EXCLUDED, "Не подтвердил готовность")


def test_the_yearly_update_is_refused_outside_its_window_twice_or_without_reasons(w):
    member = member_in(w)
    with pytest.raises(ValidationError) as exc:
        reserve_review_record(municipality=w.municipality, held_on=date(2026, 5, 1), decision="Р", kept=[member])
    assert codes(exc.value, "held_on") == {"outside_window"}
    with pytest.raises(ValidationError) as exc:
        reserve_review_record(
            municipality=w.municipality, held_on=date(2026, 1, 10), decision="Р", removed={member: " "}
        )
    assert codes(exc.value, "reasons") == {"required"}
    reserve_review_record(municipality=w.municipality, held_on=date(2025, 12, 20), decision="Р", kept=[member])
    with pytest.raises(ValidationError) as exc:
        reserve_review_record(municipality=w.municipality, held_on=date(2026, 3, 1), decision="Р", kept=[member])
    assert codes(exc.value, "held_on") == {"duplicate"}
    member.refresh_from_db()
    assert member.status == ReserveStatus.IN_RESERVE


def test_the_yearly_update_refuses_a_decision_the_status_does_not_allow(w):
    candidate = member_in(w, status=ReserveStatus.CANDIDATE)
    with pytest.raises(ValidationError) as exc:
        reserve_review_record(municipality=w.municipality, held_on=date(2026, 1, 10), decision="Р", kept=[candidate])
    assert codes(exc.value, "members") == {"status"}


def test_a_trajectory_item_tells_the_member_and_takes_their_report(w):
    member = member_in(w)
    item = trajectory_item_add(
        member=member, kind=TrajectoryKind.INTERNSHIP, title="Стажировка в школе № 376", due_on=date(2026, 4, 30)
    )
    notification = Notification.objects.get(user=member.person.user)
    assert "Стажировка в школе № 376" in notification.title
    item = trajectory_item_report(item=item, person=member.person, report="Провела два управленческих совещания")
    assert (item.state, item.report) == (TrajectoryItem.State.IN_PROGRESS, "Провела два управленческих совещания")
    assert item.reported_at is not None
    with pytest.raises(ValidationError) as exc:
        trajectory_item_report(item=item, person=PersonFactory(), report="Чужой отчёт")
    assert exc.value.code == "not_owner"
    item.refresh_from_db()
    assert item.report == "Провела два управленческих совещания"


def test_a_trajectory_item_needs_a_kind_of_the_toolkit_and_a_current_member(w):
    with pytest.raises(ValidationError) as exc:
        trajectory_item_add(member=member_in(w), kind="lecture", title="", due_on=date(2026, 4, 30))
    assert set(exc.value.error_dict) == {"kind", "title"}
    appointed = reserve_member_set_status(
        member=member_in(w), to_status=ReserveStatus.APPOINTED, on=date(2025, 6, 1), decision="Приказ"
    )
    with pytest.raises(ValidationError) as exc:
        trajectory_item_add(member=appointed, kind="coaching", title="Коучинг", due_on=date(2026, 4, 30))
    assert codes(exc.value, "member") == {"not_current"}


def test_the_analysis_falls_in_november_or_december_once_a_year(w):
    member = member_in(w)
    with pytest.raises(ValidationError) as exc:
        reserve_analysis_record(member=member, year=2025, analysis="Анализ", consulted_on=date(2025, 10, 31))
    assert codes(exc.value, "consulted_on") == {"outside_window"}
    reserve_analysis_record(member=member, year=2025, analysis="Анализ", consulted_on=date(2025, 11, 20))
    with pytest.raises(ValidationError) as exc:
        reserve_analysis_record(member=member, year=2025, analysis="Ещё", consulted_on=date(2025, 12, 1))
    assert codes(exc.value, "year") == {"duplicate"}


def test_the_diagnostic_is_the_leaders_schools_psychologists_in_october_or_november(w):
    member = member_in(w)
    curator = ExpertAssignmentFactory(season=w.season, role=ExpertRole.CURATOR)
    with pytest.raises(ValidationError) as exc:
        reserve_diagnostic_record(
            member=member, psychologist=curator, year=2025, held_on=date(2025, 10, 15), strengths="С", deficits="Д"
        )
    assert exc.value.code == "not_psychologist"
    foreign = reserve_world("Чужой район").psychologist
    with pytest.raises(ValidationError):
        reserve_diagnostic_record(
            member=member, psychologist=foreign, year=2025, held_on=date(2025, 10, 15), strengths="С", deficits="Д"
        )
    with pytest.raises(ValidationError) as exc:
        reserve_diagnostic_record(
            member=member, psychologist=w.psychologist, year=2025, held_on=date(2025, 12, 1), strengths="С", deficits=""
        )
    assert set(exc.value.error_dict) == {"held_on", "deficits"}
    diagnostic = reserve_diagnostic_record(
        member=member, psychologist=w.psychologist, year=2025, held_on=date(2025, 11, 5), strengths="С", deficits="Д"
    )
    assert diagnostic.psychologist == w.psychologist


def test_young_director_participation_is_one_per_year(w):
    member = member_in(w)
    young_director_record(member=member, year=2025, state=YoungDirectorParticipation.State.STUDYING)
    young_director_record(member=member, year=2025, state=YoungDirectorParticipation.State.COMPLETED)
    assert list(member.young_director_participations.values_list("year", "state")) == [(2025, "completed")]
    with pytest.raises(ValidationError) as exc:
        young_director_record(
            member=member, year=2025, state="graduated", by=coordinator_of(reserve_world("Другой").municipality)
        )
    assert exc.value.code == "other_municipality"


@pytest.mark.parametrize("role", [User.Role.MANAGEMENT, User.Role.TEACHER, User.Role.DIRECTOR])
def test_only_the_coordinator_keeps_the_reserve_even_through_the_services(w, role):
    """The reserve is kept by the municipality's coordinator (сид 001, «Школа Лидеров образования»): management
    reads it, and nobody else bound to the municipality lists a person or moves a status by calling a service."""
    reader = UserFactory(role=role, municipality=w.municipality)
    with pytest.raises(ValidationError) as exc:
        reserve_member_add(
            municipality=w.municipality,
            person=PersonFactory(organisation=w.school),
            source="contest",
            listed_on=date(2025, 3, 2),
            by=reader,
        )
    assert exc.value.code == "not_coordinator"
    member = member_in(w)
    with pytest.raises(ValidationError) as exc:
        young_director_record(member=member, year=2025, state=YoungDirectorParticipation.State.STUDYING, by=reader)
    assert exc.value.code == "not_coordinator"
    assert ReserveMember.objects.count() == 1
    assert not member.young_director_participations.exists()
