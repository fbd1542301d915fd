"""Сид 001, «Школа Лидеров образования», мероприятие 2.8: «Обновление состава кадрового резерва — ежегодно,
декабрь – март», «формирование пула претендентов на должность руководителя ОУ района».

Walked through on the real services with explicit dates: the update is recorded once per window with who was
kept, included and excluded (with the reason); a window that closes without one is flagged from the next day in
the municipality's own zone; a reserve started after a window is not flagged for it.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from projects.dates import municipality_today
from projects.models.reserve import ReserveReviewEntry, ReserveStatus
from projects.selectors_reserve import review_state
from projects.services_reserve import reserve_review_record
from tests.projects.reserve_world import member_in, reserve_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return reserve_world()


def test_an_update_in_its_window_keeps_includes_and_excludes(w):
    kept = member_in(w, listed_on=date(2024, 9, 1), last_name="Остаётся")
    candidate = member_in(w, status=ReserveStatus.CANDIDATE, listed_on=date(2025, 10, 1), last_name="Конкурсант")
    leaving = member_in(w, listed_on=date(2024, 9, 1), last_name="Уходит")
    review = reserve_review_record(
        municipality=w.municipality,
        held_on=date(2026, 3, 31),  # the window's last day
        decision="Распоряжение администрации района от 31.03.2026 № 44",
        kept=[kept],
        added=[candidate],
        removed={leaving: "Назначен руководителем ОУ другого района"},
    )
    assert (review.year, str(review)) == (2025, "Обновление состава резерва 2025/2026")
    assert review.entries.filter(outcome=ReserveReviewEntry.Outcome.ADDED).get().member == candidate
    candidate.refresh_from_db()
    assert (candidate.status, candidate.included_on) == (ReserveStatus.IN_RESERVE, date(2026, 3, 31))


def test_an_update_after_march_is_refused(w):
    member = member_in(w, listed_on=date(2024, 9, 1))
    with pytest.raises(ValidationError) as exc:
        reserve_review_record(municipality=w.municipality, held_on=date(2026, 4, 1), decision="Р", kept=[member])
    assert exc.value.error_dict["held_on"][0].code == "outside_window"


def test_a_window_passing_without_an_update_is_flagged_from_the_next_day(w):
    member = member_in(w, listed_on=date(2024, 9, 1))
    during = review_state(w.municipality, today=date(2026, 3, 31))
    assert (during.open_year, during.open_done) == (2025, False)
    assert during.closed_year == 2024 and during.overdue  # the 2024/2025 window passed without an update
    reserve_review_record(municipality=w.municipality, held_on=date(2024, 12, 20), decision="Р", kept=[member])
    assert not review_state(w.municipality, today=date(2026, 3, 31)).overdue
    after = review_state(w.municipality, today=date(2026, 4, 1))
    assert (after.closed_year, after.overdue, after.open_year) == (2025, True, None)


def test_the_flag_follows_the_municipalitys_zone(w):
    far = reserve_world("Верхнебуреинский район")
    far.municipality.time_zone = "Asia/Vladivostok"
    far.municipality.save()
    member_in(w, listed_on=date(2025, 9, 1))
    member_in(far, listed_on=date(2025, 9, 1))
    now = datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("Europe/Moscow"))  # 1 April, 06:30 in Vladivostok
    moscow = review_state(w.municipality, today=municipality_today(w.municipality, now=now))
    vladivostok = review_state(far.municipality, today=municipality_today(far.municipality, now=now))
    assert (moscow.closed_year, moscow.overdue) == (2024, False)  # nobody was listed by the 2024/2025 window
    assert (vladivostok.closed_year, vladivostok.overdue) == (2025, True)


def test_a_reserve_started_after_a_window_is_not_flagged_for_it(w):
    member_in(w, listed_on=date(2025, 4, 15))
    assert not review_state(w.municipality, today=date(2025, 11, 1)).overdue  # window 2024/2025 closed on 31.03
