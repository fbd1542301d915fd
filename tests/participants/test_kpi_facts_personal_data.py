"""ДПО records, competence diagnostics, management roles and team programmes in the person's export (152-FZ art. 14) and on
erasure (art. 21): the rows the KPIs count stay, certificate numbers and deficit areas go."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import personal_data
from participants.models import (
    CompetenceDiagnostic,
    ManagementTeamMember,
    ManagementTeamProgramme,
    PersonalDataRequest,
    ProfessionalDevelopment,
)
from participants.services import person_erase
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
KEYS = ("professional_development", "competence_diagnostics", "management_roles", "management_programmes")


def fill_facts(person, n: int) -> None:
    for i in range(n):
        ProfessionalDevelopment.objects.create(
            person=person,
            course_title=f"Функциональная грамотность {i}",
            provider="ИРО ХМАО-Югры",
            hours=72,
            starts_on=date(2025, 2, 1),
            ends_on=date(2025, 2, 28),
            in_federal_registry=True,
            based_on_diagnostics=True,
            document_number=f"8600-{person.pk}-{i}",
        )
        CompetenceDiagnostic.objects.create(
            person=person,
            taken_on=date(2024, 10, 1 + i),
            platform="ЦНППМ",
            score="61.5",
            deficit_areas=["Оценивание результатов", f"Дефицит {i}"],
        )
        member = ManagementTeamMember.objects.create(
            organisation=person.organisation,
            person=person,
            role=f"Заместитель директора {i}",
            until=date(2025, 1, i + 1),
        )
        ManagementTeamProgramme.objects.create(
            organisation=person.organisation, title=f"Команда {i}", provider="ИРО", ends_on=date(2024, 12, 1)
        ).members.add(member)


@pytest.fixture
def person():
    person = PersonFactory(last_name="Смирнова")
    fill_facts(person, 1)
    return person


def test_export_holds_the_new_records(client, person):
    client.force_login(person.user)
    response = client.post(reverse("my_data_download"), {"format": "json"})
    assert response.status_code == 200
    sections = {s["key"]: s for s in json.loads(response.content)["sections"]}
    pd = sections["professional_development"]
    assert pd["title"] == "Повышение квалификации"
    assert pd["rows"] == [
        {
            "Программа (курс)": "Функциональная грамотность 0",
            "Организация, проводившая обучение": "ИРО ХМАО-Югры",
            "Объём, часов": 72,
            "Начало обучения": "2025-02-01",
            "Окончание обучения": "2025-02-28",
            "Федеральный реестр": True,
            "Дистанционно": False,
            "По итогам диагностики": True,
            "Непрерывный формат": False,
            "По ИОМ": False,
            "Номер удостоверения": f"8600-{person.pk}-0",
            "Источник": "Внесено вручную",
            "Внесено": pd["rows"][0]["Внесено"],
        }
    ]
    diagnostic = sections["competence_diagnostics"]["rows"][0]
    assert diagnostic["Области с дефицитами"] == "Оценивание результатов; Дефицит 0"
    assert diagnostic["Результат, %"] == "61.5"
    assert sections["management_roles"]["rows"] == [
        {
            "Организация": person.organisation.name,
            "Должность в команде": "Заместитель директора 0",
            "С": None,
            "По": "2025-01-01",
        }
    ]
    assert sections["management_programmes"]["title"] == "Программы управленческих команд"
    assert sections["management_programmes"]["rows"] == [
        {
            "Организация": person.organisation.name,
            "Программа": "Команда 0",
            "Организация, проводившая обучение": "ИРО",
            "Начало обучения": None,
            "Окончание обучения": "2024-12-01",
        }
    ]


def test_another_teacher_does_not_get_them(client, person):
    other = PersonFactory()
    client.force_login(other.user)
    content = client.post(reverse("my_data_download"), {"format": "json"}).content.decode()
    assert "Функциональная грамотность" not in content and "8600-" not in content


def test_exporters_run_the_same_queries_for_one_and_three_rows():
    one, three = PersonFactory(), PersonFactory()
    fill_facts(one, 1)
    fill_facts(three, 3)
    exporters = {e.key: e for e in personal_data.registered_exporters()}
    for key in KEYS:
        counts = []
        for who, expected_rows in ((one, 1), (three, 3)):
            with CaptureQueriesContext(connection) as ctx:
                rows = exporters[key].fn(who)
            assert len(rows) == expected_rows, key
            counts.append(len(ctx.captured_queries))
        assert counts == [1, 1], key


def test_erasure_keeps_the_counted_rows_and_drops_what_points_at_the_person(person):
    request = person_erase(person=person, by=None)
    pd = ProfessionalDevelopment.objects.get(person=person)
    assert (pd.course_title, pd.hours, pd.ends_on, pd.in_federal_registry, pd.based_on_diagnostics) == (
        "Функциональная грамотность 0",
        72,
        date(2025, 2, 28),
        True,
        True,
    )
    assert pd.document_number == ""
    diagnostic = CompetenceDiagnostic.objects.get(person=person)
    assert diagnostic.deficit_areas == [] and str(diagnostic.score) == "61.5"
    assert ManagementTeamMember.objects.get(person=person).role == "Заместитель директора 0"
    # The team's programme is the organisation's fact the KPI counts: it stays with its member.
    assert ManagementTeamProgramme.objects.get(members__person=person).title == "Команда 0"
    request.refresh_from_db()
    assert request.status == PersonalDataRequest.Status.DONE
    assert "Удалены номера удостоверений о повышении квалификации: 1" in request.result
    assert "Удалены области с дефицитами из результатов диагностики: 1" in request.result
