from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from programs.academic_dates import moved, seed_note
from programs.templates_service import CREATED, UNCHANGED, UPDATED
from projects.models.office import Project, ProjectEvent, ProjectStage, WorkState
from projects.office_templates import dates_of, office_templates_apply
from projects.services_office import project_item_state_set
from tests.factories import MunicipalityFactory, ProgramFactory

JUNE_15, DEC_7, AUG_31 = date(2026, 6, 15), date(2026, 12, 7), date(2026, 8, 31)


@pytest.mark.parametrize(
    ("today", "seminar", "nov_dec", "oct_feb", "whole_year"),
    [
        # 15 June 2026 is in the academic year 2025–2026: the seed's 2021–2022 becomes it.
        (
            JUNE_15,
            date(2025, 9, 30),
            (date(2025, 11, 1), date(2025, 12, 31)),
            (date(2025, 10, 1), date(2026, 2, 28)),
            (date(2025, 9, 1), date(2026, 8, 31)),
        ),
        (
            DEC_7,
            date(2026, 9, 30),
            (date(2026, 11, 1), date(2026, 12, 31)),
            (date(2026, 10, 1), date(2027, 2, 28)),
            (date(2026, 9, 1), date(2027, 8, 31)),
        ),
        # The academic year's last day is still 2025–2026.
        (
            AUG_31,
            date(2025, 9, 30),
            (date(2025, 11, 1), date(2025, 12, 31)),
            (date(2025, 10, 1), date(2026, 2, 28)),
            (date(2025, 9, 1), date(2026, 8, 31)),
        ),
    ],
)
def test_dates_moved_into_the_current_academic_year(today, seminar, nov_dec, oct_feb, whole_year):
    assert dates_of(("dates", date(2021, 9, 30), date(2021, 9, 30)), today) == (seminar, seminar)
    assert dates_of(("months", 11, 12), today) == nov_dec  # «ежегодно, ноябрь-декабрь»
    assert dates_of(("months", 10, 2), today) == oct_feb  # «ежегодно, октябрь-февраль»
    assert dates_of(("year",), today) == whole_year  # «в течение года»


def test_months_after_new_year_and_leap_day():
    assert dates_of(("months", 6, 9), DEC_7) == (date(2027, 6, 1), date(2027, 9, 30))  # «июнь – сентябрь»
    assert dates_of(("months", 12, 3), DEC_7) == (date(2026, 12, 1), date(2027, 3, 31))  # «декабрь – март»
    assert moved(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert dates_of(("months", 10, 2), date(2027, 12, 1)) == (date(2027, 10, 1), date(2028, 2, 29))


def test_seed_note_words_the_seeds_dates():
    assert seed_note(("dates", date(2021, 8, 1), date(2022, 1, 31))) == "по сиду: 08.2021 – 01.2022"
    assert seed_note(("dates", date(2021, 9, 30), date(2021, 9, 30))) == "по сиду: 30.09.2021"
    assert seed_note(("year",)) == ""


@pytest.mark.django_db
def test_apply_twice_the_same_day_changes_nothing_and_keeps_states():
    first = Counter()
    municipality = office_templates_apply(today=DEC_7, changes=first)
    assert Project.objects.filter(municipality=municipality).count() == 6
    assert first[CREATED] > 0
    event = ProjectEvent.objects.get(project__slug="traektoriya-razvitiya", number="2")
    project_item_state_set(item=event, state=WorkState.DONE, note="Проведён")
    second = Counter()
    office_templates_apply(today=DEC_7, changes=second)
    assert second[CREATED] == second[UPDATED] == 0
    assert second[UNCHANGED] == first[CREATED]
    event.refresh_from_db()
    assert (event.state, event.result_note) == (WorkState.DONE, "Проведён")
    # A year later the dates move on; the recorded state stays.
    later = Counter()
    office_templates_apply(today=date(2027, 9, 1), changes=later)
    event.refresh_from_db()
    assert event.starts_on == date(2027, 9, 30)
    assert event.state == WorkState.DONE


@pytest.mark.django_db
def test_project_links_its_program_by_slug():
    municipality = MunicipalityFactory(name="Московский район", time_zone="Europe/Moscow")
    program = ProgramFactory(slug="traektoriya-razvitiya", municipality=municipality)
    office_templates_apply(today=DEC_7, changes=Counter())
    assert Project.objects.get(slug="traektoriya-razvitiya").program == program
    assert Project.objects.get(slug="shkola-shkole").program is None


@pytest.mark.django_db
def test_load_programs_runs_the_office_step_idempotently():
    out = StringIO()
    call_command("load_programs", stdout=out)
    assert "Проектный офис ИМЦ Московского района: 6 проектов" in out.getvalue()
    stages = list(ProjectStage.objects.values_list("pk", "starts_on", "ends_on"))
    again = StringIO()
    call_command("load_programs", stdout=again)
    office_line = next(line for line in again.getvalue().splitlines() if line.startswith("Проектный офис"))
    assert "создано: 0, обновлено: 0" in office_line
    assert list(ProjectStage.objects.values_list("pk", "starts_on", "ends_on")) == stages
