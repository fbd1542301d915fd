"""kpi_report runs the same number of queries with 1 and with 3 of everything; targets and status."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import Certificate, MissedVideo
from experts.models import LessonVisit, MentoringPair
from participants.models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    ManagementTeamMember,
    ManagementTeamProgramme,
    ProfessionalDevelopment,
    StaffHeadcount,
)
from programs.models import MunicipalEvent, OrganisationYearFacts, Season
from programs.program_templates import TEMPLATES
from ratings.models import Achievement, Review, ReviewScore
from reports.kpi import KPI_DEFINITIONS, KpiScope, KpiStatus, Target, kpi_report, kpi_status, kpi_target
from reports.models import KpiTarget
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ReviewFactory,
    RubricCriterionFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
    roster_of,
)

pytestmark = pytest.mark.django_db


def _everything(n: int):
    """n schools with a teacher, a PD record, a team, facts, an event, and n participants with every kind of
    program record."""
    now = timezone.now()
    m = MunicipalityFactory(name="Район")
    season = SeasonFactory(program__municipality=m)
    question = FeedbackQuestion.objects.create(season=season, text="Нагрузка", is_pulse=True)
    curator = ExpertAssignmentFactory(season=season)
    criterion = RubricCriterionFactory(rubric__program=season.program)
    year, quarter = now.year, (now.month - 1) // 3 + 1
    for i in range(n):
        school = OrganisationFactory(municipality=m)
        teacher = PersonFactory(organisation=school, experience_years=i)
        roster_of(teacher, now.year)
        StaffHeadcount.objects.create(
            organisation=OrganisationFactory(municipality=m),
            year=now.year,
            pedagogical_total=20,
            teachers=15,
            higher_education=18,
            teachers_under_5_years=3,
        )
        ProfessionalDevelopment.objects.create(
            person=teacher, course_title="Курс", provider="Академия", hours=72, ends_on=now.date(), is_remote=True
        )
        director = ManagementTeamMember.objects.create(organisation=school, person=teacher, role="Директор")
        ManagementTeamProgramme.objects.create(organisation=school, title="Программа", ends_on=now.date()).members.add(
            director
        )
        OrganisationYearFacts.objects.create(organisation=school, year=now.year, runs_mentoring_model=True)
        MunicipalEvent.objects.create(municipality=m, title="Событие", held_on=now.date())
        enrollment = EnrollmentFactory(season=season, person=teacher)
        MentoringPair.objects.create(season=season, mentor=curator, mentee=enrollment, started_on=now.date())
        AttendanceFactory(session=SessionFactory(activity__season=season), enrollment=enrollment)
        LessonVisit.objects.create(enrollment=enrollment, expert=curator, visited_on=now.date(), lesson="Урок")
        response = FeedbackResponse.objects.create(enrollment=enrollment, year=year, quarter=quarter)
        FeedbackAnswer.objects.create(response=response, question=question, scale_value=3)
        assignment = VideoAssignmentFactory(activity__season=season, due_at=now - timedelta(days=1))
        submission = SubmissionFactory(
            assignment=assignment, enrollment=enrollment, submitted_at=now - timedelta(hours=5)
        )
        review = ReviewFactory(
            submission=submission, rubric=criterion.rubric, status=Review.Status.RELEASED, released_at=now
        )
        ReviewScore.objects.create(review=review, criterion=criterion, points=2)
        MissedVideo.objects.create(
            assignment=VideoAssignmentFactory(activity__season=season), enrollment=enrollment, cutoff_at=now
        )
        Certificate.objects.create(number=f"К-{i}", code=f"c{i}", enrollment=enrollment, kind=Certificate.Kind.SEASON)
        Achievement.objects.create(
            enrollment=enrollment,
            title="Конкурс",
            kind=Achievement.Kind.CONTEST,
            happened_on=now.date(),
            level=Achievement.Level.REGIONAL,
            status=Achievement.Status.CONFIRMED,
            proof_url="https://example.ru/d",
        )
    return KpiScope(year=now.year, municipality_id=m.pk), now


@pytest.mark.parametrize("n", [1, 3])
def test_report_query_count_does_not_grow_with_data(django_assert_num_queries, n):
    scope, now = _everything(n)
    # seasons, targets (with their base-year values), then one grouped query per aggregate: 3 for the 11 order KPIs
    # (the year's roster counts of the five roster KPIs; the organisations of the team and mentoring KPIs with their
    # headcounts and facts summed; the events of both categories) and 4 program aggregates (the enrollments by
    # status with each one's certificates, videos, feedback, pulse, lesson visits and achievements, shared by 17 KPIs;
    # attendance; the turnaround, shared by 2; the criterion scores), and one for «Школа – Школе» (сид 001): the
    # assessment results of the pairs' ШНОР schools, which no shared query joins (the schools of low results of the
    # year and the year before are counted in the organisations' query), and one for the pairs' ШНОР schools with
    # their teachers' courses under ИОМ of the year and the year before.
    with django_assert_num_queries(11):
        results = kpi_report(scope=scope, now=now)
    got = {r.code: r for r in results}
    assert len(results) == len(KPI_DEFINITIONS)
    assert got["participants_active"].value == n and got["remote-pd-share"].value == 100.0
    assert got["mentoring-model-schools"].numerator == n and got["prestige-burnout-events"].value == 0
    assert got["attendance_rate"].denominator == n and got["achievements_regional"].value == 100.0
    assert got["review_turnaround_avg"].value == 5.0


def test_status_compares_by_the_targets_condition():
    at_least, at_most = Target(Decimal("20"), "gte", "%"), Target(Decimal("48"), "lte", "ч")
    assert kpi_status(20.0, at_least) == KpiStatus.MET
    assert kpi_status(19.9, at_least) == KpiStatus.MISSED
    assert kpi_status(36.0, at_most) == KpiStatus.MET
    assert kpi_status(48.1, at_most) == KpiStatus.MISSED
    assert kpi_status(5, None) == KpiStatus.NO_TARGET
    assert kpi_status(None, at_least) == KpiStatus.NO_DATA
    assert at_most.label == "не более 48 ч"


def test_kpi_target_per_municipality_and_year_and_region_wide_when_all_agree():
    a, b = MunicipalityFactory(name="А"), MunicipalityFactory(name="Б")
    for place, value in [(a, "10"), (b, "10")]:
        KpiTarget.objects.create(municipality=place, code="remote-pd-share", title="t", year=2025, value=Decimal(value))
    KpiTarget.objects.create(municipality=a, code="young-teachers-share", title="t", year=2025, value=Decimal("15.5"))
    KpiTarget.objects.create(municipality=b, code="young-teachers-share", title="t", year=2025, value=Decimal("16"))
    assert kpi_target(code="remote-pd-share", municipality=a, year=2025).value == Decimal("10")
    assert kpi_target(code="remote-pd-share", municipality=a, year=2024) is None
    assert kpi_target(code="young-teachers-share", municipality=b.pk, year=2025).value == Decimal("16")
    # The whole region: a target all municipalities share, none where they differ.
    assert kpi_target(code="remote-pd-share", municipality=None, year=2025).value == Decimal("10")
    assert kpi_target(code="young-teachers-share", municipality=None, year=2025) is None


def test_every_definition_is_described_in_russian():
    codes = [d.code for d in KPI_DEFINITIONS]
    assert len(codes) == len(set(codes))
    for definition in KPI_DEFINITIONS:
        assert str(definition.name) and str(definition.formula) and str(definition.numerator), definition.code
        if definition.kind == "share":
            assert str(definition.denominator), definition.code
    # Every target the program templates load has a KPI computing it.
    template_codes = {item["code"] for template in TEMPLATES for item in template.get("kpi_targets", [])}
    assert template_codes and template_codes <= set(codes)


def test_the_seasons_a_caller_has_read_give_the_same_report_one_query_fewer(django_assert_num_queries):
    scope, now = _everything(2)
    computed = kpi_report(scope=scope, now=now)
    overlapping = Season.objects.filter(starts_on__lte=scope.year_end, ends_on__gte=scope.year_start)
    seasons = list(overlapping.select_related("program").order_by("-pk"))  # any order: the engine sorts them
    with django_assert_num_queries(10):
        given = kpi_report(scope=scope, now=now, seasons=seasons)
    assert given == computed
