from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from participants.cabinet import CabinetContext
from participants.models import Enrollment
from participants.selectors import cabinet_person_enrollments
from ratings.cabinet import rating_context
from ratings.models import ParticipantRating, Review
from ratings.services import rating_recompute
from ratings.tasks import rating_recompute_task
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ReviewFactory,
    RubricCriterionFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    # A lesson at the maximum of the 10-point rubric below earns 5: one point of a review is worth 0.5.
    return SeasonFactory(weight_attendance=Decimal("2"), weight_video_score=Decimal("5"))


def _attend(enrollment, sessions, statuses):
    for session, status in zip(sessions, statuses, strict=False):
        AttendanceFactory(
            session=session, enrollment=enrollment, status=status, reason="Болезнь" if status == E else ""
        )


def _review(enrollment, assignment, score, status=Review.Status.RELEASED, *, current=True, version=1):
    submission = SubmissionFactory(assignment=assignment, enrollment=enrollment, is_current=current, version=version)
    program = assignment.activity.season.program
    rubric = program.rubrics.first() or RubricCriterionFactory(rubric__program=program, max_points=10).rubric
    return ReviewFactory(submission=submission, rubric=rubric, total_score=Decimal(score), status=status)


def _rating(enrollment):
    return ParticipantRating.objects.get(enrollment=enrollment)


P, L, A, E = (Attendance.Status.PRESENT, Attendance.Status.LATE, Attendance.Status.ABSENT, Attendance.Status.EXCUSED)


def test_points_and_competition_ranks_worked_by_hand(season):
    sessions = [SessionFactory(activity=ActivityFactory(season=season)) for _ in range(4)]
    video1 = VideoAssignmentFactory(activity__season=season)
    video2 = VideoAssignmentFactory(activity__season=season)
    anna, boris, vera, galina = (EnrollmentFactory(season=season) for _ in range(4))
    withdrawn = EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    applied = EnrollmentFactory(season=season, status=Enrollment.Status.APPLIED)
    completed = EnrollmentFactory(season=season, status=Enrollment.Status.COMPLETED)

    # Anna: present, late, absent, excused → 2 sessions × 2 = 4; video (10/10 + 6/10) × 5 = 8 → 12.
    _attend(anna, sessions, [P, L, A, E])
    _review(anna, video1, "10")
    _review(anna, video2, "6")
    # Boris: 4 sessions × 2 = 8; video 8/10 × 5 = 4 → 12 (ties with Anna).
    _attend(boris, sessions, [P, P, P, P])
    _review(boris, video1, "8")
    # Vera: 1 session × 2 = 2; an unreleased review and an old version count nothing; current 4/10 × 5 = 2 → 4.
    _attend(vera, sessions, [L])
    _review(vera, video1, "9", status=Review.Status.SUBMITTED)
    _review(vera, video2, "20", current=False, version=1)
    _review(vera, video2, "4", version=2)
    # Galina: nothing → 0. Completed: 3 sessions → 6. Withdrawn: 5 sessions would be 10, but has no rank.
    _attend(completed, sessions, [P, P, P])
    _attend(withdrawn, sessions, [P, P, P, P])
    # A session of another season does not count.
    _attend(anna, [SessionFactory()], [P])

    assert rating_recompute(season=season) == 6

    expected = {
        anna: ("4.00", "8.00", "12.00", 1),
        boris: ("8.00", "4.00", "12.00", 1),
        completed: ("6.00", "0.00", "6.00", 3),
        vera: ("2.00", "2.00", "4.00", 4),
        galina: ("0.00", "0.00", "0.00", 5),
        withdrawn: ("8.00", "0.00", "8.00", None),
    }
    for enrollment, (attendance, video, total, rank) in expected.items():
        row = _rating(enrollment)
        assert (row.attendance_points, row.video_points, row.total, row.rank) == (
            Decimal(attendance),
            Decimal(video),
            Decimal(total),
            rank,
        ), enrollment
        assert row.achievement_points == 0
        assert row.season == season
    assert not ParticipantRating.objects.filter(enrollment=applied).exists()


def test_three_way_tie_then_next_rank_skips(season):
    session = SessionFactory(activity=ActivityFactory(season=season))
    tied = [EnrollmentFactory(season=season) for _ in range(3)]
    for enrollment in tied:
        _attend(enrollment, [session], [P])
    last = EnrollmentFactory(season=season)

    rating_recompute(season=season)

    assert [_rating(e).rank for e in tied] == [1, 1, 1]
    assert _rating(last).rank == 4


def test_recompute_twice_updates_in_place_and_drops_stale_rows(season):
    session = SessionFactory(activity=ActivityFactory(season=season))
    first, second = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    _attend(first, [session], [P])
    rating_recompute(season=season)
    assert (_rating(first).rank, _rating(second).rank) == (1, 2)

    AttendanceFactory(session=SessionFactory(activity=session.activity), enrollment=second, status=P)
    AttendanceFactory(session=SessionFactory(activity=session.activity), enrollment=second, status=L)
    Enrollment.objects.filter(pk=first.pk).update(status=Enrollment.Status.REJECTED)
    rating_recompute(season=season)

    assert ParticipantRating.objects.filter(season=season).count() == 1
    assert (_rating(second).total, _rating(second).rank) == (Decimal("4.00"), 1)


@pytest.mark.parametrize("count", [1, 3])
def test_query_count_does_not_grow_with_participants(django_assert_num_queries, season, count):
    session = SessionFactory(activity=ActivityFactory(season=season))
    video = VideoAssignmentFactory(activity__season=season)
    for _ in range(count):
        enrollment = EnrollmentFactory(season=season)
        _attend(enrollment, [session], [P])
        _review(enrollment, video, "5")

    # Savepoint, enrollments, attendance sums, review sums, achievement counts, stale delete, upsert, release.
    with django_assert_num_queries(8):
        assert rating_recompute(season=season) == count


def test_task_recomputes_and_is_quiet_for_a_deleted_season(season):
    enrollment = EnrollmentFactory(season=season)

    rating_recompute_task(season.pk)
    assert _rating(enrollment).rank == 1

    assert rating_recompute_task(season.pk + 1000) is None


def test_command_for_one_season_and_for_all(season, capsys):
    enrollment = EnrollmentFactory(season=season)
    other = EnrollmentFactory()

    call_command("recompute_ratings", "--season", str(season.pk))
    assert ParticipantRating.objects.filter(enrollment=enrollment).exists()
    assert not ParticipantRating.objects.filter(enrollment=other).exists()
    assert "пересчитан" in capsys.readouterr().out

    call_command("recompute_ratings")
    assert ParticipantRating.objects.filter(enrollment=other).exists()

    with pytest.raises(CommandError):
        call_command("recompute_ratings", "--season", str(season.pk + 1000))


# --- The cabinet section --------------------------------------------------------------------------


def test_owner_sees_points_rank_and_breakdown(client, season):
    session = SessionFactory(activity=ActivityFactory(season=season))
    me, rival = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    _attend(rival, [session], [P])
    _review(me, VideoAssignmentFactory(activity__season=season), "3")
    rating_recompute(season=season)
    client.force_login(me.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "Мой рейтинг" in html
    assert "<strong>2 из 2</strong>" in html
    assert "За посещаемость" in html and "За видеоуроки" in html and "За достижения" in html
    assert "1,5" in html or "1.5" in html


def test_not_yet_computed_says_so(client, season):
    me = EnrollmentFactory(season=season)
    client.force_login(me.person.user)

    assert "Рейтинг сезона ещё не рассчитан" in client.get(reverse("cabinet")).content.decode()


def test_another_teacher_and_anonymous(client, season):
    me = EnrollmentFactory(season=season)
    rating_recompute(season=season)
    other = EnrollmentFactory()
    client.force_login(other.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Рейтинг сезона ещё не рассчитан" in html
    assert "из 1</strong>" not in html

    client.logout()
    assert client.get(reverse("cabinet")).status_code == 302
    assert _rating(me).rank == 1


@pytest.mark.parametrize("count", [1, 3])
def test_section_query_count(django_assert_num_queries, count):
    first = EnrollmentFactory()
    person = first.person
    enrollments = [first] + [EnrollmentFactory(person=person) for _ in range(count - 1)]
    for enrollment in enrollments:
        rating_recompute(season=enrollment.season)
    person, enrollments = cabinet_person_enrollments(person.user)  # the publication consent comes with them
    ctx = CabinetContext(request=None, person=person, enrollments=enrollments, now=timezone.now())

    # My rating rows, each with the ranked count of its season.
    with django_assert_num_queries(1):
        context = rating_context(ctx)

    assert [row["rating"].rank for row in context["rows"]] == [1] * count
    assert [row["ranked"] for row in context["rows"]] == [1] * count
