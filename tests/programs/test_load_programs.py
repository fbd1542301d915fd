"""`manage.py load_programs`: the three ready programs (and the cascade's six, tests/programs/test_cascade_templates.py),
loaded idempotently."""

import copy
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from activities.models import FEEDBACK_KINDS, SUBSCRIPTION_FORMS, Activity, ActivityKind, Session, VideoAssignment
from experts.models import SeasonExpertRole
from programs.models import Municipality, Organisation, Program, RoadmapModule, Season, Subject
from programs.program_templates import PROGRESSIVE_TEACHER
from programs.templates_service import CREATED, UPDATED, program_template_apply
from ratings.models import Rubric, RubricCriterion
from reports.models import KpiTarget

pytestmark = pytest.mark.django_db

# The cascade of ИМЦ Московского района (сид 001), loaded by the same command.
CASCADE_CODES = {"ПРК", "ШЛО", "ТР", "ШШ", "ЛПК", "ТД"}

YEKT = ZoneInfo("Asia/Yekaterinburg")
LOADED_MODELS = [
    Municipality,
    Organisation,
    Subject,
    Program,
    Season,
    RoadmapModule,
    Activity,
    Session,
    VideoAssignment,
    SeasonExpertRole,
    Rubric,
    RubricCriterion,
    KpiTarget,
]


def load() -> str:
    out = StringIO()
    call_command("load_programs", stdout=out)
    return out.getvalue()


def dump() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in LOADED_MODELS}


@pytest.fixture
def progressive():
    load()
    return Season.objects.get(program__slug="progressive-teacher", title="2024–2025")


def test_creates_the_three_programs_with_roadmaps():
    output = load()

    assert set(Program.objects.values_list("code", flat=True)) == {"ПП", "МА", "ПК27"} | CASCADE_CODES
    for program in Program.objects.exclude(code__in=CASCADE_CODES):
        season = program.seasons.get()
        assert season.modules.exists()
        assert season.activities.exists()
    assert "создана" in output


def test_progressive_teacher_roadmap_keeps_the_orders_numbers(progressive):
    modules = list(progressive.modules.order_by("order"))

    assert [m.number for m in modules] == ["1", "2", "3", "4", "6", "7", "9", "10"]
    assert [m.order for m in modules] == list(range(1, 9))
    assert modules[0].title == "Знакомство. Цифровой профиль педагога"
    assert modules[2].title == "Обратная связь"
    assert modules[5].title.startswith("Нейросеть – помощник педагога")
    assert modules[7].title == "Первый выпуск! Итоги Программы"
    assert (modules[0].starts_on, modules[-1].ends_on) == (date(2024, 9, 1), date(2025, 6, 30))
    assert modules[1].learning_formats == [
        "Мультимодальное обучение",
        "Обучение на основе вызовов",
        "Социально-эмоциональное обучение",
        "Глобальное и совместное обучение",
    ]


def test_progressive_teacher_season_settings(progressive):
    assert progressive.time_zone == "Asia/Yekaterinburg"
    assert progressive.registration_opens_at == datetime(2024, 9, 10, tzinfo=YEKT)
    # Open through the whole of 23 September in the season's zone.
    assert progressive.registration_closes_at == datetime(2024, 9, 24, tzinfo=YEKT)
    assert progressive.registration_is_open(datetime(2024, 9, 23, 23, 59, tzinfo=YEKT))
    assert not progressive.registration_is_open(datetime(2024, 9, 9, 23, 59, tzinfo=YEKT))
    assert progressive.eligible_education_levels == ["higher", "secondary_vocational"]
    assert progressive.program.municipality.name == "Октябрьский район"
    assert progressive.program.order_reference.endswith("№ 643-од от 09.09.2024")


def test_progressive_teacher_activities(progressive):
    activities = progressive.activities.all()
    psychologist = [a.title for a in activities if a.kind == ActivityKind.PSYCHOLOGIST_MEETING]

    assert psychologist == [
        "Встреча с психологом «Современные формы психологической поддержки через приложения и цифровые устройства»",
        "Встреча с психологом «Меня слышно? О чем молчит педагог»",
        "Встреча с психологом «Что делать, если у меня «невыносимая» нагрузка»",
        "Встреча с психологом «Море волнуется раз, море волнуется два… Пересечения в волнениях педагогов, "
        "обучающихся и родителей»",
    ]
    for intensive in activities.filter(kind=ActivityKind.INTENSIVE):
        assert intensive.required_sessions >= 3
        assert intensive.sessions.count() >= 3
    videos = activities.filter(kind=ActivityKind.VIDEO_LESSON)
    assert [(v.title, v.module.number) for v in videos] == [("Практическая часть", "2"), ("Практическая часть", "6")]
    for video in videos:
        assignment = video.video_assignment
        assert assignment.opens_at < assignment.due_at <= assignment.cutoff_at
    first = Session.objects.filter(activity__season=progressive).order_by("starts_at").first()
    assert first.starts_at.astimezone(YEKT).hour == 15


def test_feedback_activities_give_no_certificate():
    load()
    feedback = Activity.objects.filter(kind__in=[k.value for k in FEEDBACK_KINDS])

    assert feedback.filter(kind=ActivityKind.LESSON_VISIT).count() == 2
    assert feedback.exists()
    assert not feedback.filter(gives_certificate=True).exists()


def test_progressive_teacher_expert_team(progressive):
    roles = dict(progressive.expert_roles.values_list("role", "planned_count"))

    assert roles == {"tech_specialist": 1, "curator": 3, "methodist": 3, "psychologist": 1}
    assert progressive.expert_roles.get(role="curator").functions.startswith("Оказывает поддерживающую помощь")


def test_seed_002_kpi_targets_for_oktyabrsky_district():
    load()
    targets = KpiTarget.objects.filter(municipality__name="Октябрьский район")

    registry = dict(targets.filter(code="dpo-federal-registry-diagnostics").values_list("year", "value"))
    teams = dict(targets.filter(code="management-teams-trained").values_list("year", "value"))
    assert registry == {2023: 5, 2024: 10, 2025: 20, 2026: 30}
    assert teams == {2023: 10, 2024: 20, 2025: 30, 2026: 40}
    assert targets.get(code="dpo-federal-registry-diagnostics", year=2023).title.startswith(
        "Доля педагогических работников, освоивших программы ДПО, вошедшие в Федеральный реестр"
    )
    assert not targets.filter(program__isnull=False).exists()


def test_seed_003_kpi_targets_for_verkhnebureinsky_district():
    load()
    targets = KpiTarget.objects.filter(municipality__name="Верхнебуреинский муниципальный район")

    def values(code):
        return dict(targets.filter(code=code).values_list("year", "value"))

    assert values("continuous-formats-diagnostics") == {2021: 9, 2022: 20, 2023: 30}
    assert values("young-teachers-share") == {2021: Decimal("15.5"), 2022: Decimal("15.5"), 2023: Decimal("15.5")}
    assert values("higher-education-staffing") == {2021: Decimal("86.5"), 2022: Decimal("86.5"), 2023: 87}
    # «не менее двух в год» (result 4) and «не менее двух мероприятий» (result 10).
    assert values("prestige-burnout-events") == {2021: 2, 2022: 2, 2023: 2}
    assert values("pre-professional-events") == {2021: 2, 2022: 2, 2023: 2}
    assert set(targets.values_list("program__slug", flat=True)) == {"pedcluster-27"}


def test_methodical_subscription():
    load()
    season = Season.objects.get(program__slug="methodical-subscription")
    schools = Organisation.objects.filter(municipality__name="город Армавир", kind=Organisation.Kind.SCHOOL)

    assert set(schools.with_low_results().filter(low_results=True).values_list("short_name", flat=True)) == {
        "МБОУ-СОШ № 2",
        "МАОУ-СОШ № 25",
        "МБОУ ООШИ № 1 «Казачья»",
    }
    assert season.time_zone == "Europe/Moscow"
    assert set(season.activities.values_list("kind", flat=True)) >= {k.value for k in SUBSCRIPTION_FORMS}
    seminar = season.activities.get(kind=ActivityKind.SEMINAR)
    assert seminar.format == "remote"
    assert seminar.sessions.get().starts_at.astimezone(ZoneInfo("Europe/Moscow")).date() == date(2021, 2, 18)
    assert set(season.expert_roles.values_list("role", flat=True)) >= {"tutor", "methodist"}


def test_pedcluster_roles_and_zone():
    load()
    season = Season.objects.get(program__slug="pedcluster-27")

    assert season.time_zone == "Asia/Vladivostok"
    assert set(season.expert_roles.values_list("role", flat=True)) >= {"curator", "project_head", "tutor", "mentor"}


def test_every_program_has_a_current_rubric():
    load()

    # The cascade's seed asks for no video lessons, so its programs have no rubric.
    assert not Program.objects.filter(code__in=CASCADE_CODES, rubrics__isnull=False).exists()
    for program in Program.objects.exclude(code__in=CASCADE_CODES):
        rubric = program.rubrics.get(is_current=True)
        criteria = list(rubric.criteria.all())
        assert len(criteria) >= 4
        assert sum(c.comment_required for c in criteria) == 1
        assert all(len(c.levels) == c.max_points + 1 for c in criteria)


def test_running_twice_changes_nothing():
    load()
    before = dump()

    output = load()

    assert dump() == before
    assert output.count("без изменений (") == 3 + len(CASCADE_CODES)
    assert "создано 0, обновлено 0" in output


def test_a_changed_template_updates_rows_in_place():
    load()
    template = copy.deepcopy(PROGRESSIVE_TEACHER)
    template["season"]["chat_join_days"] = 5
    template["expert_roles"][1]["planned_count"] = 4
    rows = {model.__name__: model.objects.count() for model in LOADED_MODELS}
    changes = Counter()

    season = program_template_apply(template=template, changes=changes)

    assert changes[UPDATED] == 2
    assert changes[CREATED] == 0
    assert {model.__name__: model.objects.count() for model in LOADED_MODELS} == rows
    season.refresh_from_db()
    assert season.chat_join_days == 5
    assert season.expert_roles.get(role="curator").planned_count == 4
