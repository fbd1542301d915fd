"""The cascade's program templates (сид 001, programs/program_templates/imc_cascade.py): six programs of ИМЦ
Московского района dated in the academic year of the day they are loaded, idempotent, clonable, linked to the
project office's registry."""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from activities.models import Activity, ActivityAudience, Session
from experts.models import SeasonExpertRole
from programs.models import Organisation, Program, RoadmapModule, Season
from programs.program_templates import TEMPLATES, cascade_templates, templates_for
from programs.program_templates import _imc_moskovsky as place
from programs.services import season_clone
from programs.templates_service import CREATED, UPDATED, program_template_apply
from projects.models.office import Project
from projects.office_templates import office_templates_apply

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
JUNE_15, DEC_7, AUG_31 = date(2026, 6, 15), date(2026, 12, 7), date(2026, 8, 31)
# The academic year each day belongs to: it begins on 1 September.
ACADEMIC_YEAR = {JUNE_15: 2025, DEC_7: 2026, AUG_31: 2025}


def apply_all(today: date) -> dict[str, Season]:
    changes = Counter()
    seasons = {
        t["program"]["slug"]: program_template_apply(template=t, changes=changes) for t in cascade_templates(today)
    }
    return seasons


def test_one_template_per_program_of_the_place():
    templates = cascade_templates(DEC_7)

    assert [t["program"]["slug"] for t in templates] == list(place.PROGRAMS)
    assert templates_for(DEC_7)[: len(TEMPLATES)] == TEMPLATES
    for template in templates:
        program = template["program"]
        assert program["organiser"] == place.IMC
        assert program["title"] == place.PROGRAMS[program["slug"]]["title"]
        assert program["kind"] in Program.Kind.values
        assert program["summary"] and program["description"] and program["goals"] and program["eligibility"]


@pytest.mark.parametrize("today", [JUNE_15, DEC_7, AUG_31], ids=str)
def test_seasons_fall_in_the_current_academic_year_and_a_second_run_changes_nothing(today):
    seasons = apply_all(today)
    year = ACADEMIC_YEAR[today]

    for slug, season in seasons.items():
        assert season.title == f"{year}–{year + 1}"
        assert season.starts_on == date(year, 9, 1)
        assert season.ends_on == (date(year, 11, 30) if slug == "tyutor-demografiya" else date(year + 1, 8, 31))
        modules = list(season.modules.all())
        assert modules and all(season.starts_on <= m.starts_on <= m.ends_on <= season.ends_on for m in modules)
        for starts_at in Session.objects.filter(activity__season=season).values_list("starts_at", flat=True):
            assert season.starts_on <= starts_at.astimezone(MSK).date() <= season.ends_on

    again = Counter()
    for template in cascade_templates(today):
        program_template_apply(template=template, changes=again)
    assert again[CREATED] == again[UPDATED] == 0


def test_a_run_on_another_day_of_the_same_academic_year_changes_nothing():
    apply_all(date(2026, 9, 1))
    again = Counter()
    for template in cascade_templates(date(2027, 8, 31)):
        program_template_apply(template=template, changes=again)

    assert again[CREATED] == again[UPDATED] == 0


def test_the_seeds_dated_events_keep_month_and_day_in_the_current_year():
    seasons = apply_all(DEC_7)

    trajectory = Session.objects.filter(activity__season=seasons["traektoriya-razvitiya"], activity__module__order=1)
    assert sorted(s.starts_at.astimezone(MSK).date() for s in trajectory) == [date(2026, 9, 30), date(2026, 10, 18)]
    credit = Session.objects.get(activity__season=seasons["tyutor-demografiya"], activity__module__order=4)
    assert credit.starts_at.astimezone(MSK).date() == date(2026, 11, 22)
    assert "22.11.2021" in credit.activity.description


def test_yearly_months_take_the_current_academic_year():
    seasons = apply_all(JUNE_15)

    modules = {m.order: (m.starts_on, m.ends_on) for m in RoadmapModule.objects.filter(season=seasons["shkola-shkole"])}
    assert modules[2] == (date(2025, 10, 1), date(2025, 11, 30))  # «Октябрь-ноябрь»
    assert modules[4] == (date(2026, 1, 1), date(2026, 3, 31))  # «январь – март»
    assert modules[6] == (date(2026, 6, 1), date(2026, 8, 31))  # «июнь – сентябрь», cut at the season's end


def test_only_the_certifying_courses_give_certificates():
    apply_all(DEC_7)

    certifying = set(
        Activity.objects.filter(season__program__code__in=[p["code"] for p in place.PROGRAMS.values()])
        .filter(gives_certificate=True)
        .values_list("season__program__slug", "hours")
    )
    assert certifying == {("tyutor-demografiya", 144), ("shkola-shkole", 36)}


def test_only_the_tutor_course_is_mandatory_and_expects_everyone():
    seasons = apply_all(DEC_7)

    mandatory = Activity.objects.filter(season__in=seasons.values(), is_mandatory=True)
    assert set(mandatory.values_list("season__program__slug", flat=True)) == {"tyutor-demografiya"}
    expected_by_all = set(
        Activity.objects.filter(season__in=seasons.values(), audience=ActivityAudience.ALL).values_list(
            "season__program__slug", "title"
        )
    )
    assert expected_by_all == {
        (
            "tyutor-demografiya",
            "Дистанционный модуль программы «Современная педагогика как пространство для самореализации»",
        ),
        ("tyutor-demografiya", "Технологический модуль: основы тьюторского сопровождения"),
        ("tyutor-demografiya", "Зачет по программе «Современная педагогика как пространство для самореализации»"),
        ("laboratoriya-kompetentsiy", "Организационное собрание для участников проекта"),
    }
    internship = Activity.objects.get(season=seasons["tyutor-demografiya"], title="Стажировка в ОУ района")
    assert internship.audience == ActivityAudience.INVITED  # an individual route: only the route's teachers


def test_expert_roles_named_by_the_seed():
    seasons = apply_all(DEC_7)

    def roles(slug):
        return set(SeasonExpertRole.objects.filter(season=seasons[slug]).values_list("role", flat=True))

    assert roles("shkola-liderov") == {"methodist", "psychologist", "mentor"}
    assert roles("tyutor-demografiya") == {"tutor", "methodist"}
    assert roles("traektoriya-razvitiya") == {"mentor", "methodist"}
    assert roles("laboratoriya-kompetentsiy") == {"mentor", "methodist"}


def test_the_district_has_schools_kindergartens_and_two_schools_with_low_results():
    apply_all(DEC_7)

    organisations = Organisation.objects.filter(municipality__name=place.MUNICIPALITY["name"])
    assert set(organisations.with_low_results().filter(low_results=True).values_list("short_name", flat=True)) == {
        "ГБОУ школа № 362",
        "ГБОУ школа № 594",
    }
    assert {"ГБОУ школа № 358", "ГБОУ школа № 376", "ГБОУ школа № 544", "ГБОУ школа № 643"} <= set(
        organisations.values_list("short_name", flat=True)
    )
    assert organisations.filter(kind=Organisation.Kind.KINDERGARTEN).count() == len(place.KINDERGARTENS)


def test_the_project_office_links_each_project_to_its_program():
    apply_all(DEC_7)
    office_templates_apply(today=DEC_7, changes=Counter())

    links = dict(Project.objects.values_list("slug", "program__slug"))
    assert links == {slug: slug for slug in place.PROGRAMS}


@pytest.mark.parametrize("slug", list(place.PROGRAMS))
def test_every_cascade_season_can_be_cloned(slug):
    season = apply_all(DEC_7)[slug]

    target = season_clone(source=season)

    assert target.title == "2027–2028"
    assert (target.starts_on.year, target.ends_on.year) == (season.starts_on.year + 1, season.ends_on.year + 1)
    assert target.modules.count() == season.modules.count()
    assert target.activities.count() == season.activities.count()
    assert (
        Session.objects.filter(activity__season=target).count()
        == Session.objects.filter(activity__season=season).count()
    )
    assert target.expert_roles.count() == season.expert_roles.count()
