"""«Школа – Школе» (сид 001): pairs, their plan and the held plan items as invited sessions."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import ActivityAudience, Attendance
from participants.models import Enrollment
from projects.models import PairPlanItem, SchoolPair
from projects.services_school_pairs import plan_item_add, plan_item_hold, school_pair_close, school_pair_create
from tests.factories import OrganisationFactory
from tests.projects.school_pairs_world import build_world, teachers

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def _pair(w, **over):
    fields = {"season": w["season"], "leader": w["leader"], "partner": w["weak"], "starts_on": date(2025, 9, 1)}
    return school_pair_create(**(fields | over))


def _messages(exc) -> dict:
    return exc.value.message_dict


def test_a_leader_and_a_school_of_low_results_make_a_pair(w):
    pair = _pair(w, leader_role="mentor")
    assert pair.leader == w["leader"] and pair.partner == w["weak"]
    assert pair.get_leader_role_display() == "Школа-наставник"
    assert str(pair) == "ГБОУ школа № 358 – ГБОУ школа № 500"


def test_the_partner_must_be_marked_as_a_school_of_low_results(w):
    with pytest.raises(ValidationError) as exc:
        _pair(w, partner=OrganisationFactory(municipality=w["home"]))
    assert "не отмечена как школа с низкими образовательными результатами" in _messages(exc)["partner"][0]


def test_the_leader_may_not_itself_be_of_low_results(w):
    with pytest.raises(ValidationError) as exc:
        _pair(w, leader=w["weak2"])
    assert "сама отмечена как школа с низкими результатами" in _messages(exc)["leader"][0]


def test_both_schools_belong_to_the_seasons_municipality(w):
    with pytest.raises(ValidationError) as exc:
        _pair(w, partner=w["far"])
    assert "не из муниципалитета сезона" in _messages(exc)["partner"][0]
    assert not SchoolPair.objects.exists()


def test_a_school_is_no_pair_with_itself(w):
    with pytest.raises(ValidationError) as exc:
        _pair(w, leader=w["weak"])
    assert "сама с собой" in _messages(exc)["partner"][0]


def test_one_open_pair_per_partner_school_and_no_overlapping_periods(w):
    _pair(w, ends_on=date(2026, 6, 30))
    other_leader = OrganisationFactory(municipality=w["home"])
    with pytest.raises(ValidationError) as exc:
        _pair(w, leader=other_leader, starts_on=date(2026, 1, 1))
    assert "периоды пересекаются" in _messages(exc)["partner"][0]
    later = _pair(w, leader=other_leader, starts_on=date(2026, 7, 1))
    assert later.ends_on is None
    with pytest.raises(ValidationError):
        _pair(w, leader=OrganisationFactory(municipality=w["home"]), starts_on=date(2027, 1, 1))


def test_a_pair_ends_after_it_starts(w):
    with pytest.raises(ValidationError) as exc:
        _pair(w, ends_on=date(2025, 8, 1))
    assert "раньше, чем начала" in _messages(exc)["ends_on"][0]
    pair = _pair(w)
    with pytest.raises(ValidationError):
        school_pair_close(pair=pair, ends_on=date(2025, 8, 1))
    assert school_pair_close(pair=pair, ends_on=date(2026, 6, 30)).ends_on == date(2026, 6, 30)


def test_plan_items_lie_within_the_pairs_period(w):
    pair = _pair(w, ends_on=date(2026, 6, 30))
    item = plan_item_add(
        pair=pair, kind="master_class", title="  Подготовка к написанию  изложения ", planned_on=date(2026, 2, 10)
    )
    assert item.title == "Подготовка к написанию изложения" and not item.is_held
    with pytest.raises(ValidationError) as exc:
        plan_item_add(pair=pair, kind="seminar", title="Семинар", planned_on=date(2026, 7, 1))
    assert "вне периода работы пары" in _messages(exc)["planned_on"][0]
    with pytest.raises(ValidationError) as exc:
        plan_item_add(pair=pair, kind="lecture", title="", planned_on=date(2026, 2, 1))
    assert set(_messages(exc)) == {"kind", "title"}


def test_holding_an_item_invites_the_active_teachers_of_both_schools_only(w):
    pair = _pair(w)
    leaders, weak = teachers(w["season"], w["leader"], 2), teachers(w["season"], w["weak"], 3)
    teachers(w["season"], w["weak2"], 2)  # another school of the same season is not invited
    withdrawn = teachers(w["season"], w["weak"], 1)[0]
    Enrollment.objects.filter(pk=withdrawn.pk).update(status=Enrollment.Status.WITHDRAWN)
    item = plan_item_add(
        pair=pair, kind="round_table", title="Круглый стол по подготовке учащихся к ВПР", planned_on=date(2026, 3, 1)
    )
    session = plan_item_hold(
        item=item, starts_at=datetime(2026, 3, 1, 12, tzinfo=UTC), ends_at=datetime(2026, 3, 1, 14, tzinfo=UTC)
    )
    assert set(session.invited.values_list("pk", flat=True)) == {e.pk for e in leaders + weak}
    assert session.activity.audience == ActivityAudience.INVITED
    assert session.activity.season == w["season"] and not session.activity.is_mandatory
    assert session.activity.title == "Круглый стол: Круглый стол по подготовке учащихся к ВПР"
    assert PairPlanItem.objects.get(pk=item.pk).session == session
    Attendance.objects.create(session=session, enrollment=weak[0], status=Attendance.Status.PRESENT)
    with pytest.raises(ValidationError):
        plan_item_hold(
            item=PairPlanItem.objects.get(pk=item.pk),
            starts_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 14, tzinfo=UTC),
        )


def test_a_session_ends_after_it_starts(w):
    item = plan_item_add(pair=_pair(w), kind="seminar", title="Семинар", planned_on=date(2025, 11, 10))
    moment = datetime(2025, 11, 10, 12, tzinfo=UTC)
    with pytest.raises(ValidationError) as exc:
        plan_item_hold(item=item, starts_at=moment, ends_at=moment)
    assert "ends_at" in _messages(exc)
    assert not PairPlanItem.objects.get(pk=item.pk).is_held
