from decimal import Decimal

import pytest

from participants.models import Enrollment
from ratings.models import Achievement, ParticipantRating
from ratings.services import rating_recompute
from tests.factories import ActivityFactory, AttendanceFactory, EnrollmentFactory, SeasonFactory, SessionFactory

from .achievement_helpers import AchievementFactory

pytestmark = pytest.mark.django_db
C, P, R = Achievement.Status.CONFIRMED, Achievement.Status.PENDING, Achievement.Status.REJECTED
MUN, REG, FED, INT = (
    Achievement.Level.MUNICIPAL,
    Achievement.Level.REGIONAL,
    Achievement.Level.FEDERAL,
    Achievement.Level.INTERNATIONAL,
)


@pytest.fixture
def season():
    return SeasonFactory(
        weight_attendance=Decimal("1"),
        weight_video_score=Decimal("1"),
        weight_achievement_municipal=Decimal("1"),
        weight_achievement_regional=Decimal("2.5"),
        weight_achievement_federal=Decimal("3"),
        weight_achievement_international=Decimal("4"),
    )


def _give(enrollment, *items):
    for level, status in items:
        AchievementFactory(enrollment=enrollment, level=level, status=status, comment="" if status != R else "Нет")


def _row(enrollment):
    return ParticipantRating.objects.get(enrollment=enrollment)


def test_points_and_competition_ranks_worked_by_hand(season):
    anna, boris, vera, galina = (EnrollmentFactory(season=season) for _ in range(4))
    withdrawn = EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    # Анна: 2 regional confirmed = 2 × 2.5 = 5.00; pending and rejected ones count nothing.
    _give(anna, (REG, C), (REG, C), (INT, P), (FED, R))
    # Борис: federal 3 + municipal 1 = 4.00 for achievements, + 1 session attended × 1 = 5.00 in all.
    _give(boris, (FED, C), (MUN, C))
    AttendanceFactory(session=SessionFactory(activity=ActivityFactory(season=season)), enrollment=boris)
    # Вера: international 4 = 4.00.
    _give(vera, (INT, C))
    # Галина: nothing. The withdrawn participant keeps points but takes no place.
    _give(withdrawn, (INT, C), (INT, C))
    # Another season's confirmed achievement of Анна's person does not count here.
    _give(EnrollmentFactory(person=anna.person), (INT, C))

    assert rating_recompute(season=season) == 5

    assert (_row(anna).achievement_points, _row(anna).total, _row(anna).rank) == (Decimal("5.00"), Decimal("5.00"), 1)
    assert (_row(boris).achievement_points, _row(boris).attendance_points) == (Decimal("4.00"), Decimal("1.00"))
    assert (_row(boris).total, _row(boris).rank) == (Decimal("5.00"), 1)
    assert (_row(vera).total, _row(vera).rank) == (Decimal("4.00"), 3)
    assert (_row(galina).total, _row(galina).rank) == (Decimal("0.00"), 4)
    assert (_row(withdrawn).achievement_points, _row(withdrawn).rank) == (Decimal("8.00"), None)


def test_changed_weights_and_decisions_are_picked_up_on_the_next_recompute(season):
    enrollment = EnrollmentFactory(season=season)
    item = AchievementFactory(enrollment=enrollment, level=REG, status=P)
    rating_recompute(season=season)
    assert _row(enrollment).achievement_points == Decimal("0.00")

    Achievement.objects.filter(pk=item.pk).update(status=C)
    season.weight_achievement_regional = Decimal("1.25")
    season.save()
    rating_recompute(season=season)
    assert _row(enrollment).achievement_points == Decimal("1.25")
    assert _row(enrollment).total == Decimal("1.25")
