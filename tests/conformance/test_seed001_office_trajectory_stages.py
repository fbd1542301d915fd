"""Сид 001, «Траектория развития», «Этапы реализации проекта»: проектировочный — 2020-2021 учебный год; основной —
сентябрь 2021 г. – октябрь 2024 г.; итоговый — ноябрь-декабрь 2024 г. Moved so that the seed's 2021–2022 is the
current academic year (docs/decisions/0010), months and lengths kept, the seed's dates in the description."""

from collections import Counter
from datetime import date

import pytest

from projects.models.office import Project, ProjectEvent, ProjectStage, StageKind
from projects.office_templates import office_templates_apply
from projects.selectors_office import office_project_get, project_tally

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def test_trajectory_stages_moved_into_the_current_years():
    office_templates_apply(today=TODAY, changes=Counter())
    stages = list(
        ProjectStage.objects.filter(project__slug="traektoriya-razvitiya")
        .order_by("order")
        .values_list("kind", "starts_on", "ends_on", "schedule")
    )
    assert stages == [
        (StageKind.DESIGN, date(2025, 9, 1), date(2026, 8, 31), "2020-2021 учебный год"),
        (StageKind.MAIN, date(2026, 9, 1), date(2029, 10, 31), "сентябрь 2021 г. – октябрь 2024 г."),
        (StageKind.FINAL, date(2029, 11, 1), date(2029, 12, 31), "ноябрь-декабрь 2024 г."),
    ]
    main = ProjectStage.objects.get(project__slug="traektoriya-razvitiya", kind=StageKind.MAIN)
    assert "по сиду: 09.2021 – 10.2024" in main.description


def test_trajectory_seminar_of_30_september_is_overdue_until_marked():
    office_templates_apply(today=TODAY, changes=Counter())
    seminar = ProjectEvent.objects.get(project__slug="traektoriya-razvitiya", number="2")
    assert (seminar.starts_on, seminar.schedule, seminar.stage.kind) == (
        date(2026, 9, 30),
        "30.09.2021",
        StageKind.MAIN,
    )
    project = office_project_get(Project.objects.get(slug="traektoriya-razvitiya").pk)
    tally = project_tally(project, TODAY)
    # Seminars of 30.09 and 18.10 and the design stage's monitoring (ended 31.08) are past and still planned.
    assert tally.overdue == 3
    assert [s.kind for s in tally.current_stages] == [StageKind.MAIN]
