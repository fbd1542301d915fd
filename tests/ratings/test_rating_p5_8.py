"""Seed 000 §5.8: the participants' rating, formed by the expert group — one score per video lesson.

Each current lesson counts once: the mean of its released reviews, each as a share of its rubric's maximum
(Σ max points × weight), times the season's points for a lesson scored at the maximum; or, when the season
says so, the lead reviewer's (the methodist's) score. §5.8 names no weights: they are portal defaults.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole
from programs.models import VideoScoreRule
from ratings.models import ParticipantRating, Review, ReviewScore
from ratings.services import rating_recompute
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    RubricCriterionFactory,
    RubricFactory,
    SeasonFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    return SeasonFactory(weight_attendance=Decimal("1"), weight_video_score=Decimal("10"))


def _rubric(season, *maxima, version=1):
    rubric = RubricFactory(program=season.program, version=version, is_current=version == 1)
    for order, max_points in enumerate(maxima):
        RubricCriterionFactory(rubric=rubric, order=order, max_points=max_points)
    return rubric


def _lesson(season, enrollment, assignment=None):
    assignment = assignment or VideoAssignmentFactory(activity__season=season)
    return SubmissionFactory(assignment=assignment, enrollment=enrollment, status="reviewed")


def _review(submission, rubric, score, *, role=ExpertRole.METHODIST, status=Review.Status.RELEASED):
    expert = ExpertAssignmentFactory(season=submission.enrollment.season, role=role)
    return Review.objects.create(
        submission=submission,
        expert=expert,
        rubric=rubric,
        status=status,
        total_score=None if status == Review.Status.IN_PROGRESS else Decimal(score),
        released_at=timezone.now() if status == Review.Status.RELEASED else None,
    )


def _video_points(enrollment):
    return ParticipantRating.objects.get(enrollment=enrollment).video_points


def test_p5_8_two_reviewers_with_identical_marks_give_the_points_of_one(season):
    rubric = _rubric(season, 5, 5, 3)  # maximum 13
    assignment = VideoAssignmentFactory(activity__season=season)
    twice, once = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    lesson = _lesson(season, twice, assignment)
    _review(lesson, rubric, "13", role=ExpertRole.METHODIST)
    _review(lesson, rubric, "13", role=ExpertRole.CURATOR)
    _review(_lesson(season, once, assignment), rubric, "13")

    rating_recompute(season=season)

    assert _video_points(twice) == _video_points(once) == Decimal("10.00")


def test_p5_8_each_lesson_counts_once_and_lessons_add_up(season):
    rubric = _rubric(season, 10)
    teacher = EnrollmentFactory(season=season)
    first, second = _lesson(season, teacher), _lesson(season, teacher)
    _review(first, rubric, "8", role=ExpertRole.METHODIST)
    _review(first, rubric, "6", role=ExpertRole.CURATOR)
    _review(second, rubric, "5")

    rating_recompute(season=season)

    # (8/10 + 6/10) / 2 × 10 = 7, plus 5/10 × 10 = 5.
    assert _video_points(teacher) == Decimal("12.00")


def test_p5_8_different_rubric_maxima_are_normalised(season):
    small, large = _rubric(season, 5, 5), _rubric(season, 10, 10, version=2)
    weighted = RubricFactory(program=season.program, version=3, is_current=False)
    RubricCriterionFactory(rubric=weighted, max_points=4, weight=Decimal("2.5"))  # maximum 4 × 2.5 = 10
    a, b, c, mixed = (EnrollmentFactory(season=season) for _ in range(4))
    _review(_lesson(season, a), small, "5")
    _review(_lesson(season, b), large, "10")
    _review(_lesson(season, c), weighted, "5")
    lesson = _lesson(season, mixed)
    _review(lesson, small, "5", role=ExpertRole.METHODIST)  # half
    _review(lesson, large, "20", role=ExpertRole.CURATOR)  # all

    rating_recompute(season=season)

    assert _video_points(a) == _video_points(b) == _video_points(c) == Decimal("5.00")
    assert _video_points(mixed) == Decimal("7.50")


def test_p5_8_unreleased_reviews_are_not_counted(season):
    rubric = _rubric(season, 10)
    teacher, waiting = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    lesson = _lesson(season, teacher)
    _review(lesson, rubric, "6", role=ExpertRole.METHODIST)
    _review(lesson, rubric, "10", role=ExpertRole.CURATOR, status=Review.Status.SUBMITTED)
    _review(lesson, rubric, "0", role=ExpertRole.TUTOR, status=Review.Status.IN_PROGRESS)
    _review(lesson, rubric, "0", role=ExpertRole.MENTOR, status=Review.Status.RETURNED)
    _review(_lesson(season, waiting), rubric, "10", status=Review.Status.SUBMITTED)

    rating_recompute(season=season)

    assert _video_points(teacher) == Decimal("6.00")
    assert _video_points(waiting) == Decimal("0.00")


def test_p5_8_lead_reviewer_setting_takes_the_methodists_score(season):
    rubric = _rubric(season, 10)
    both, curator_only = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    lesson = _lesson(season, both)
    _review(lesson, rubric, "6", role=ExpertRole.METHODIST)
    _review(lesson, rubric, "10", role=ExpertRole.CURATOR)
    _review(_lesson(season, curator_only), rubric, "9", role=ExpertRole.CURATOR)

    rating_recompute(season=season)
    assert _video_points(both) == Decimal("8.00")  # the portal default: the mean

    season.video_score_rule = VideoScoreRule.LEAD
    season.save(update_fields=["video_score_rule"])
    rating_recompute(season=season)

    assert _video_points(both) == Decimal("6.00")
    # No released review of a methodist yet: the lesson is not lost, the mean of what is released counts.
    assert _video_points(curator_only) == Decimal("9.00")


def test_p5_8_a_rubric_without_criteria_scores_nothing_instead_of_failing(season):
    teacher = EnrollmentFactory(season=season)
    _review(_lesson(season, teacher), RubricFactory(program=season.program, version=5, is_current=False), "4")

    rating_recompute(season=season)

    assert _video_points(teacher) == Decimal("0.00")


# --- What the teacher sees ------------------------------------------------------------------------------


def test_p5_8_the_rating_shows_each_component_with_its_weight_and_source(client, season):
    season.weight_video_score = Decimal("20")
    season.save(update_fields=["weight_video_score"])
    teacher = EnrollmentFactory(season=season)
    _review(_lesson(season, teacher), _rubric(season, 10), "8")
    rating_recompute(season=season)
    client.force_login(teacher.person.user)

    html = client.get(reverse("cabinet")).content.decode()

    assert "За посещаемость" in html and "За видеоуроки" in html and "За достижения" in html
    assert '<dd class="col-4 text-end mb-1">16</dd>' in html  # 8 of 10 × 20
    assert "1 за каждое посещённое занятие" in html
    assert "до 20 за видеоурок" in html
    assert "среднее опубликованных рецензий" in html
    assert "муниципальное — 1, региональное — 2, федеральное — 3, международное — 4" in html
    # Attendance and achievement weights are the portal's; the video weight was set for the season.
    start = html.index('aria-labelledby="cabinet-rating"')
    rating = html[start : html.index("</section>", start)]
    assert rating.count("значение портала по умолчанию, можно изменить") == 3  # incl. the averaging rule
    assert rating.count("установлено для сезона") == 1


def test_p5_8_review_pages_show_the_score_out_of_the_rubric_maximum(client, season):
    rubric = _rubric(season, 5, 5, 3)
    teacher = EnrollmentFactory(season=season)
    lesson = _lesson(season, teacher)
    review = _review(lesson, rubric, "11")
    for criterion, points in zip(rubric.criteria.all(), [5, 4, 2], strict=True):
        ReviewScore.objects.create(review=review, criterion=criterion, points=points)
    client.force_login(teacher.person.user)

    html = client.get(reverse("video_assignment", args=[lesson.assignment_id])).content.decode()

    assert "Итого: 11 из 13 баллов" in html
