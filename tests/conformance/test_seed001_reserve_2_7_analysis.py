"""Сид 001, «Школа Лидеров образования», мероприятие 2.7: «Анализ отчетов о реализации индивидуальных планов
подготовки лиц, состоящих в кадровом резерве и кандидатов, консультирование по формированию их индивидуальных
траекторий профессионального роста — ежегодно, ноябрь-декабрь» (и 1.1), with 2.6, «Психолого-педагогическая
диагностика … ежегодно, октябрь-ноябрь».

Walked through on the real services with explicit dates: the member reports on their plan, the coordinator
records the year's analysis with a consultation in November or December; a candidate or member listed by the
end of the year without one is flagged from 1 January in the municipality's zone.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from projects.dates import municipality_today
from projects.models.reserve import ReserveStatus, TrajectoryItem
from projects.selectors_reserve import members_missing_analysis, reserve_members
from projects.services_reserve import (
    reserve_analysis_record,
    reserve_diagnostic_record,
    reserve_member_set_status,
    trajectory_item_add,
    trajectory_item_report,
)
from tests.projects.reserve_world import member_in, reserve_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return reserve_world()


def missing(w, today: date) -> set[str]:
    return {m.person.last_name for m in reserve_members(w.municipality, today=today, missing_analysis=True)}


def test_the_plan_the_report_and_the_analysis_of_a_year(w):
    member = member_in(w, listed_on=date(2025, 2, 1), last_name="Лидерова")
    item = trajectory_item_add(
        member=member, kind="internship", title="Стажировка на базе ОУ № 376", due_on=date(2025, 10, 31)
    )
    trajectory_item_report(
        item=item,
        person=member.person,
        report="Стажировка пройдена, разработан проект",
        now=datetime(2025, 10, 30, 12, tzinfo=ZoneInfo("Europe/Moscow")),
    )
    analysis = reserve_analysis_record(
        member=member,
        year=2025,
        analysis="План выполнен; рекомендован менторинг",
        consulted_on=date(2025, 12, 10),
        by=w.coordinator,
    )
    assert (analysis.consultant, TrajectoryItem.objects.get().state) == (w.coordinator, "in_progress")
    assert missing(w, date(2026, 1, 1)) == set()


def test_a_consultation_outside_november_december_is_refused(w):
    member = member_in(w)
    for day in (date(2025, 10, 31), date(2026, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            reserve_analysis_record(member=member, year=2025, analysis="Анализ", consulted_on=day)
        assert exc.value.error_dict["consulted_on"][0].code == "outside_window"


def test_members_without_an_analysis_are_flagged_after_december(w):
    member_in(w, listed_on=date(2025, 3, 1), last_name="Безанализова")
    member_in(w, status=ReserveStatus.CANDIDATE, listed_on=date(2025, 9, 1), last_name="Кандидатова")
    member_in(w, listed_on=date(2026, 1, 10), last_name="Новенькая")  # listed after the year: not due
    appointed = member_in(w, listed_on=date(2025, 3, 1), last_name="Назначенная")
    reserve_member_set_status(member=appointed, to_status="appointed", on=date(2025, 6, 1), decision="Приказ № 9")
    assert missing(w, date(2025, 12, 31)) == set()  # the window is still open
    assert missing(w, date(2026, 1, 1)) == {"Безанализова", "Кандидатова"}
    assert members_missing_analysis(w.municipality, today=date(2026, 1, 1)) == 2


def test_the_first_of_january_is_the_municipalitys(w):
    member_in(w, listed_on=date(2025, 3, 1), last_name="Безанализова")
    far = reserve_world("Верхнебуреинский район")
    far.municipality.time_zone = "Asia/Vladivostok"
    far.municipality.save()
    member_in(far, listed_on=date(2025, 3, 1), last_name="Дальневосточная")
    now = datetime(2025, 12, 31, 20, tzinfo=ZoneInfo("Europe/Moscow"))  # 1 January, 03:00 in Vladivostok
    assert missing(w, municipality_today(w.municipality, now=now)) == set()
    assert missing(far, municipality_today(far.municipality, now=now)) == {"Дальневосточная"}


def test_2_6_the_diagnostic_is_held_in_october_or_november(w):
    member = member_in(w)
    for day in (date(2025, 9, 30), date(2025, 12, 1)):
        with pytest.raises(ValidationError):
            reserve_diagnostic_record(
                member=member, psychologist=w.psychologist, year=2025, held_on=day, strengths="С", deficits="Д"
            )
    diagnostic = reserve_diagnostic_record(
        member=member, psychologist=w.psychologist, year=2025, held_on=date(2025, 10, 1), strengths="С", deficits="Д"
    )
    assert diagnostic.year == 2025
