import pytest

from participants import personal_data
from projects.models.office import WorkingGroupMember
from tests.factories import PersonFactory

from .office_world import office_municipality, project_in

pytestmark = pytest.mark.django_db


def test_working_group_in_the_export_and_cleared_by_erasure():
    project = project_in(office_municipality())
    person = PersonFactory(last_name="Быкова", first_name="Ольга", middle_name="Владимировна")
    member = WorkingGroupMember.objects.create(
        project=project, person=person, order=2, full_name="Быкова Ольга Владимировна", position="методист ИМЦ"
    )
    sections = {s.key: s for s in personal_data.personal_data_collect(person)}
    assert sections["project_groups"].rows == [
        {"Проект": project.title, "Должность в рабочей группе": "методист ИМЦ", "Руководитель рабочей группы": False}
    ]
    done = personal_data.run_erasers(person)
    assert "Рабочие группы проектов: удалены ФИО и должность (1)" in done
    member.refresh_from_db()
    assert (member.full_name, member.position, member.person_id) == ("", "", person.pk)
    # The seed's head without an account is nobody's personal data request: untouched.
    assert WorkingGroupMember.objects.filter(project=project, full_name="Лужецкая Ирина Геннадьевна").exists()
