"""The programs' own KPIs on a hand-made season (answers worked out next to the data): lesson-visit and
feedback coverage per quarter, the burnout pulse, review turnaround, scores per rubric criterion, attendance
per activity and the share of participants active at each level; scope by school, no data, quarters."""

from datetime import UTC, date, datetime, timedelta

import pytest

from activities.models import Attendance
from experts.models import LessonVisit
from participants.models import Enrollment, FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from ratings.models import Achievement, Review, ReviewScore
from reports.kpi import KpiScope, kpi_breakdown, kpi_quarters, kpi_report
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ReviewFactory,
    RubricCriterionFactory,
    RubricFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db
S = Enrollment.Status
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)  # the 4th quarter of 2025 (the 3rd is the last one)


def _at(month, day, hour=12):
    return datetime(2025, month, day, hour, tzinfo=UTC)


@pytest.fixture
def world():
    m = MunicipalityFactory(name="Район программы")
    x, y = (
        OrganisationFactory(municipality=m, short_name="Школа X"),
        OrganisationFactory(municipality=m, short_name="Школа Y"),
    )
    season = SeasonFactory(
        program__municipality=m, program__organiser=x, starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31)
    )
    # Cohort (active or completed): p1 (X), p2, p3 (Y) = 3; p4 (Y) withdrew.
    p = {
        "p1": EnrollmentFactory(season=season, person=PersonFactory(organisation=x), status=S.ACTIVE),
        "p2": EnrollmentFactory(season=season, person=PersonFactory(organisation=y), status=S.ACTIVE),
        "p3": EnrollmentFactory(season=season, person=PersonFactory(organisation=y), status=S.COMPLETED),
        "p4": EnrollmentFactory(season=season, person=PersonFactory(organisation=y), status=S.WITHDRAWN),
    }
    curator = ExpertAssignmentFactory(season=season)
    for who, day in [
        ("p1", date(2025, 10, 2)),
        ("p1", date(2025, 11, 3)),
        ("p3", date(2025, 12, 1)),
        ("p4", date(2025, 10, 5)),
        ("p2", date(2025, 9, 20)),
    ]:
        LessonVisit.objects.create(enrollment=p[who], expert=curator, visited_on=day, lesson="Урок")

    pulse = FeedbackQuestion.objects.create(season=season, text="Нагрузка", is_pulse=True)
    other = FeedbackQuestion.objects.create(season=season, text="Полезность")
    for who, year, quarter, score in [("p1", 2025, 4, 4), ("p2", 2025, 4, 2), ("p3", 2025, 3, 5), ("p4", 2025, 4, 1)]:
        response = FeedbackResponse.objects.create(enrollment=p[who], year=year, quarter=quarter)
        FeedbackAnswer.objects.create(response=response, question=pulse, scale_value=score)
        if who == "p1":
            FeedbackAnswer.objects.create(response=response, question=other, scale_value=1)  # not a pulse

    a1 = ActivityFactory(season=season, title="Вебинар 1")
    a2 = ActivityFactory(season=season, title="Вебинар 2")
    s1 = SessionFactory(activity=a1, starts_at=_at(10, 15))
    s2 = SessionFactory(activity=a2, starts_at=_at(9, 10))
    AttendanceFactory(session=s1, enrollment=p["p1"], status=Attendance.Status.PRESENT)
    AttendanceFactory(session=s1, enrollment=p["p2"], status=Attendance.Status.ABSENT)
    AttendanceFactory(session=s2, enrollment=p["p1"], status=Attendance.Status.LATE)
    AttendanceFactory(session=s2, enrollment=p["p2"], status=Attendance.Status.PRESENT)

    rubric = RubricFactory(program=season.program)
    c1 = RubricCriterionFactory(rubric=rubric, title="Цель урока", max_points=3, order=1)
    c2 = RubricCriterionFactory(rubric=rubric, title="Обратная связь", max_points=5, order=2)
    R = Review.Status

    def review(who, hours, status, scores):
        submission = SubmissionFactory(
            assignment=VideoAssignmentFactory(activity__season=season),
            enrollment=p[who],
            submitted_at=NOW - timedelta(hours=100),
        )
        released = submission.submitted_at + timedelta(hours=hours) if status == R.RELEASED else None
        obj = ReviewFactory(submission=submission, rubric=rubric, status=status, released_at=released)
        for criterion, points in scores:
            ReviewScore.objects.create(review=obj, criterion=criterion, points=points)

    review("p1", 48, R.RELEASED, [(c1, 3), (c2, 4)])
    review("p2", 24, R.RELEASED, [(c1, 1), (c2, 4)])
    review("p3", 12, R.RELEASED, [])
    review("p1", 0, R.SUBMITTED, [(c1, 2)])  # scored, not yet released: counts for scores, not turnaround
    review("p2", 0, R.IN_PROGRESS, [(c1, 0)])  # still being checked: counts nowhere

    for who, level, status in [
        ("p1", Achievement.Level.MUNICIPAL, Achievement.Status.CONFIRMED),
        ("p1", Achievement.Level.MUNICIPAL, Achievement.Status.CONFIRMED),
        ("p2", Achievement.Level.REGIONAL, Achievement.Status.PENDING),
        ("p3", Achievement.Level.FEDERAL, Achievement.Status.CONFIRMED),
        ("p4", Achievement.Level.REGIONAL, Achievement.Status.CONFIRMED),
    ]:
        Achievement.objects.create(
            enrollment=p[who],
            title="Конкурс",
            kind=Achievement.Kind.CONTEST,
            level=level,
            status=status,
            happened_on=date(2025, 10, 1),
            proof_url="https://example.ru/diploma",
        )
    return {"m": m, "x": x, "y": y, "season": season, "c1": c1, "c2": c2, "a1": a1, "a2": a2}


def _scope(world, **kwargs):
    return KpiScope(year=2025, season_ids=(world["season"].pk,), **kwargs)


def _v(result):
    return result.value, result.numerator, result.denominator


def test_the_new_program_kpis(world):
    got = {r.code: r for r in kpi_report(scope=_scope(world), now=NOW)}
    # Visited this quarter (Q4 2025): p1 (twice, once counted), p3; p4 left, p2's visit was in Q3 → 2 / 3.
    assert _v(got["lesson_visit_coverage"]) == (66.7, 2, 3)
    # Pulse answers of Q4: p1 4, p2 2, p4 1 → (4 + 2 + 1) / 3 = 2.3; the «Полезность» 1 is no pulse.
    assert _v(got["burnout_pulse"]) == (2.3, 7, 3)
    # Released reviews: 48, 24 and 12 hours → 84 / 3 = 28 h on average; the median is 24 h.
    assert _v(got["review_turnaround_avg"]) == (28.0, 84.0, 3)
    assert _v(got["review_turnaround_median"]) == (24.0, 24.0, None)
    # Scores of submitted or released reviews: 3, 4, 1, 4, 2 → 14 / 5 = 2.8 (the in-progress 0 is left out).
    assert _v(got["criterion_score_avg"]) == (2.8, 14, 5)
    # Marks: present, absent, late, present → 3 / 4.
    assert _v(got["attendance_rate"]) == (75.0, 3, 4)
    # Confirmed, by distinct participant of the cohort: municipal p1, federal p3; p2's is pending, p4 left.
    assert _v(got["achievements_municipal"]) == (33.3, 1, 3)
    assert _v(got["achievements_regional"]) == (0.0, 0, 3)
    assert _v(got["achievements_federal"]) == (33.3, 1, 3)
    # This quarter's feedback from active participants: p1, p2 of 2 active.
    assert _v(got["feedback_coverage"]) == (100.0, 2, 2)
    assert got["burnout_pulse"].unit == "из 5" and got["review_turnaround_avg"].unit == "ч"


def test_scope_by_school(world):
    got = {r.code: r for r in kpi_report(scope=_scope(world, organisation_id=world["y"].pk), now=NOW)}
    # School Y: cohort p2, p3 = 2; visited this quarter: p3 only.
    assert _v(got["lesson_visit_coverage"]) == (50.0, 1, 2)
    assert _v(got["participants_active"]) == (1, 1, None)  # p2
    assert _v(got["review_turnaround_avg"]) == (18.0, 36.0, 2)  # p2's 24 h and p3's 12 h


def test_breakdowns_per_activity_criterion_and_school(world):
    scope = _scope(world)
    activities = kpi_breakdown(code="attendance_rate", scope=scope, by="activity", now=NOW)
    # Вебинар 1: present, absent → 1 / 2; Вебинар 2: late, present → 2 / 2.
    assert [(r.label, r.value, r.numerator, r.denominator) for r in activities] == [
        ("Вебинар 1", 50.0, 1, 2),
        ("Вебинар 2", 100.0, 2, 2),
    ]
    criteria = kpi_breakdown(code="criterion_score_avg", scope=scope, by="criterion", now=NOW)
    # Цель урока: 3, 1, 2 → 2.0 of 3; Обратная связь: 4, 4 → 4.0 of 5.
    assert [(r.label, r.value) for r in criteria] == [("Цель урока (из 3)", 2.0), ("Обратная связь (из 5)", 4.0)]
    schools = kpi_breakdown(
        code="lesson_visit_coverage", scope=_scope(world, municipality_id=world["m"].pk), by="organisation", now=NOW
    )
    assert [(r.label, r.value, r.numerator, r.denominator) for r in schools] == [
        ("Школа X", 100.0, 1, 1),  # p1
        ("Школа Y", 50.0, 1, 2),  # p3 of p2, p3
    ]
    with pytest.raises(ValueError):
        kpi_breakdown(code="retention", scope=scope, by="activity", now=NOW)


def test_quarters(world):
    scope = _scope(world)
    labels = ["3 кв. 2025", "4 кв. 2025", "1 кв. 2026", "2 кв. 2026"]  # the season: September–May

    def trend(code):
        rows = kpi_quarters(code=code, scope=scope, now=NOW)
        assert [r.label for r in rows] == labels
        return [(r.value, r.numerator, r.denominator) for r in rows]

    # Visits by distinct cohort participant: Q3 p2; Q4 p1, p3 — of the cohort of 3.
    assert trend("lesson_visit_coverage") == [(33.3, 1, 3), (66.7, 2, 3), (None, 0, 0), (None, 0, 0)]
    # Cohort answers: Q3 p3; Q4 p1, p2 (p4 left).
    assert trend("feedback_coverage") == [(33.3, 1, 3), (66.7, 2, 3), (None, 0, 0), (None, 0, 0)]
    # Pulse per quarter over the cohort and beyond (every answer to the pulse): Q3 5; Q4 (4 + 2 + 1) / 3.
    assert trend("burnout_pulse") == [(5.0, 5, 1), (2.3, 7, 3), (None, 0, 0), (None, 0, 0)]
    # Attendance by the session's quarter: Q3 Вебинар 2 (2 of 2), Q4 Вебинар 1 (1 of 2).
    assert trend("attendance_rate") == [(100.0, 2, 2), (50.0, 1, 2), (None, 0, 0), (None, 0, 0)]
    with pytest.raises(ValueError):
        kpi_quarters(code="retention", scope=scope, now=NOW)


def test_nothing_to_measure_is_no_data(world):
    empty = SeasonFactory(starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31))
    got = {r.code: r for r in kpi_report(scope=KpiScope(year=2025, season_ids=(empty.pk,)), now=NOW)}
    for code in [
        "lesson_visit_coverage",
        "burnout_pulse",
        "review_turnaround_avg",
        "criterion_score_avg",
        "achievements_federal",
        "retention",
        "review_turnaround_median",
    ]:
        assert got[code].value is None and got[code].status == "no_data", code
    assert got["participants_active"].value == 0  # a count: zero is a value


def test_per_season_lists_the_municipalitys_seasons_and_foreign_ones_only_with_its_people(world):
    m = world["m"]
    own_quiet = SeasonFactory(program__municipality=m, starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31))
    foreign_quiet = SeasonFactory(starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31))
    foreign_joined = SeasonFactory(starts_on=date(2025, 9, 1), ends_on=date(2026, 5, 31))
    EnrollmentFactory(season=foreign_joined, person=PersonFactory(organisation__municipality=m), status=S.ACTIVE)
    rows = kpi_breakdown(
        code="participants_active", scope=KpiScope(year=2025, municipality_id=m.pk), by="season", now=NOW
    )
    listed = {row.key: row.value for row in rows}
    # The program's season (p1, p2 active), the municipality's quiet season (0), the neighbour's season one of
    # the municipality's teachers joined (1); the neighbour's season without them is not listed at all.
    assert listed == {world["season"].pk: 2, own_quiet.pk: 0, foreign_joined.pk: 1}
    assert foreign_quiet.pk not in listed
