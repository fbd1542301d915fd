from datetime import date

import pytest
from django.core.exceptions import ValidationError

from projects.models.office import ProjectStage, StageKind, WorkingGroupMember

from .office_world import office_municipality, project_in

pytestmark = pytest.mark.django_db


def test_stage_ending_before_it_starts_is_refused_in_russian():
    stage = ProjectStage(
        project=project_in(office_municipality()),
        order=5,
        kind=StageKind.FINAL,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 10, 31),
    )
    with pytest.raises(ValidationError) as error:
        stage.full_clean()
    assert error.value.message_dict["ends_on"] == ["Окончание не может быть раньше начала."]


def test_date_outside_the_portals_bounds_is_refused():
    stage = ProjectStage(
        project=project_in(office_municipality()),
        order=5,
        kind=StageKind.FINAL,
        starts_on=date(1812, 1, 1),
        ends_on=date(2026, 10, 31),
    )
    with pytest.raises(ValidationError) as error:
        stage.full_clean()
    assert "Укажите дату между" in error.value.message_dict["starts_on"][0]


def test_working_group_member_needs_a_person_or_a_name():
    member = WorkingGroupMember(project=project_in(office_municipality()), order=7)
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "Выберите человека или укажите ФИО." in str(error.value)
