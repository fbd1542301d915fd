"""The expert team's records in a teacher's export and erasure (152-FZ): group, entry results, visited
lessons, consultations and mentoring. Notes written for the team and a psychologist's consultation are never
exported; the erasure clears the texts about the teacher while every row the KPIs count stays."""

import io
import json

import pytest
from django.core import serializers
from django.urls import reverse
from openpyxl import load_workbook

from experts import personal_data as experts_personal_data
from experts.models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    GroupMember,
    LessonVisit,
    MentoringPair,
)
from participants.services import person_erase
from tests.factories import EnrollmentFactory, PersonFactory
from tests.participants.test_personal_data_export import HIDDEN, fill_expert_work

pytestmark = pytest.mark.django_db

EXPORTERS = [
    experts_personal_data.export_group,
    experts_personal_data.export_competence_tests,
    experts_personal_data.export_entry_interviews,
    experts_personal_data.export_lesson_visits,
    experts_personal_data.export_consultations,
    experts_personal_data.export_mentoring_pairs,
]


def teacher(n: int = 1):
    person = PersonFactory(last_name="Смирнова")
    for i in range(n):
        fill_expert_work(EnrollmentFactory(person=person), i)
    return person


def test_sections_hold_the_group_entry_results_visits_consultations_and_pairs():
    person = teacher()
    group = experts_personal_data.export_group(person)[0]
    assert (group["Группа"], group["Формат обучения"]) == ("Группа 0", "очно")
    assert group["Куратор"].startswith("Кураторова ")
    test = experts_personal_data.export_competence_tests(person)[0]
    assert (test["Платформа"], test["Уровень"], str(test["Балл"]), test["Ссылка на результат"]) == (
        "Цифровой профиль",
        "базовый",
        "72.50",
        "https://test.example/profile/0",
    )
    interview = experts_personal_data.export_entry_interviews(person)[0]
    assert interview["Кто проводил"].startswith("Куратор Кураторова ")
    assert interview["Заметки"] == "Заметки собеседования выдаются по письменному запросу координатору"
    visit = experts_personal_data.export_lesson_visits(person)[0]
    assert (visit["Как"], visit["Урок"], visit["Класс"], visit["Рекомендации"]) == (
        "По записи",
        "Сложение дробей",
        "5А",
        "Добавить рефлексию в конце урока",
    )
    assert visit["Заметки эксперта"] == "Заметки эксперта выдаются по письменному запросу координатору"
    consultations = experts_personal_data.export_consultations(person)
    assert [(c["Вид"], c["Специалист"], c["Тема"]) for c in consultations] == [
        ("Индивидуальная", "Педагог-психолог", "Конфиденциально"),
        ("Индивидуальная", "Куратор", "План самообразования"),
        ("Групповая", "Методист", "Групповой разбор уроков"),
    ]
    assert "координатор их не видит" in consultations[0]["Содержание"]
    assert consultations[1]["Содержание"] == "Записи специалиста выдаются по письменному запросу координатору"
    pair = experts_personal_data.export_mentoring_pairs(person)[0]
    assert pair["Наставник"].startswith("Наставникова ") and pair["Цели и задачи"] == "Освоить проектную методику"


def test_no_notes_means_nothing_to_request():
    person = teacher()
    EntryInterview.objects.filter(enrollment__person=person).update(notes="")
    LessonVisit.objects.filter(enrollment__person=person).update(notes="")
    assert experts_personal_data.export_entry_interviews(person)[0]["Заметки"] == "нет"
    assert experts_personal_data.export_lesson_visits(person)[0]["Заметки эксперта"] == "нет"
    Consultation.objects.filter(participants__person=person).update(content="")
    contents = [c["Содержание"] for c in experts_personal_data.export_consultations(person)]
    assert contents[1:] == ["нет", "нет"] and "конфиденциальны" in contents[0]


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_confidential_content_and_notes_never_reach_the_download(client, fmt):
    person = teacher()
    client.force_login(person.user)
    response = client.post(reverse("my_data_download"), {"format": fmt})
    assert response.status_code == 200
    if fmt == "json":
        text = json.dumps(json.loads(response.content), ensure_ascii=False)
    else:
        workbook = load_workbook(io.BytesIO(response.content))
        text = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value)
    assert "План самообразования" in text and "Сложение дробей" in text
    for hidden in HIDDEN:
        assert hidden not in text, hidden


def test_another_teachers_consultations_stay_out():
    person, other = teacher(), teacher()
    topics = {c["Тема"] for c in experts_personal_data.export_consultations(other)}
    assert len(topics) == 3
    assert len(experts_personal_data.export_consultations(person)) == 3  # not the other's three


@pytest.mark.parametrize("exporter", EXPORTERS, ids=lambda f: f.__name__)
def test_each_exporter_runs_one_query_for_one_and_three_rows(exporter, django_assert_num_queries):
    one, three = teacher(1), teacher(3)
    with django_assert_num_queries(1):
        rows_one = exporter(one)
    with django_assert_num_queries(1):
        rows_three = exporter(three)
    assert len(rows_three) == 3 * len(rows_one) > 0


def _rows(person) -> str:
    querysets = [
        GroupMember.objects.filter(enrollment__person=person),
        CompetenceTest.objects.filter(enrollment__person=person),
        EntryInterview.objects.filter(enrollment__person=person),
        LessonVisit.objects.filter(enrollment__person=person),
        Consultation.objects.filter(participants__person=person, kind="individual"),
        MentoringPair.objects.filter(mentee__person=person),
    ]
    return "".join(serializers.serialize("json", qs) for qs in querysets)


def _counts(person) -> dict:
    return {
        "members": GroupMember.objects.filter(enrollment__person=person).count(),
        "tests": CompetenceTest.objects.filter(enrollment__person=person, score="72.50").count(),
        "interviews": EntryInterview.objects.filter(enrollment__person=person).count(),
        "visits": LessonVisit.objects.filter(enrollment__person=person).count(),
        "consultations": Consultation.objects.filter(participants__person=person).count(),
        "participations": Consultation.participants.through.objects.filter(enrollment__person=person).count(),
        "pairs": MentoringPair.objects.filter(mentee__person=person).count(),
    }


def test_erasure_keeps_every_counted_row_and_no_text_about_the_person():
    person, other = teacher(2), teacher(1)
    before, other_before = _counts(person), _rows(other)
    text = _rows(person)
    for original in ["Тревожится", "Внутренняя заметка", "рефлексию", "Выгорание", "Тайна психолога", "План само"]:
        assert original in text  # what the erasure must remove is really there

    request = person_erase(person=person, by=None)

    assert _counts(person) == before
    text = _rows(person)
    for original in [
        "Тревожится из-за аттестации",
        "Внутренняя заметка куратора",
        "Добавить рефлексию в конце урока",
        "Выгорание и семья",
        "Тайна психолога",
        "План самообразования",
        "Договорились о плане",
        "Освоить проектную методику",
        "https://test.example/profile/",
    ]:
        assert original not in text, original
    individual = Consultation.objects.filter(participants__person=person, kind="individual")
    assert set(individual.values_list("topic", "content")) == {("Консультация", "")}
    # The group's consultation is about the others too: its record stays whole, the participation too.
    groups = Consultation.objects.filter(participants__person=person, kind="group")
    assert [(g.content, g.participants.count()) for g in groups] == [("Разбор кейса коллеги", 2)] * 2
    assert set(LessonVisit.objects.filter(enrollment__person=person).values_list("lesson", flat=True)) == {
        "Сложение дробей"
    }
    assert "Удалены заметки собеседований (2)" in request.result
    assert "Индивидуальные консультации: удалены темы и содержание (4)" in request.result
    assert _rows(other) == other_before  # another teacher's records are untouched
