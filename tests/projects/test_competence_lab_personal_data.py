"""The lab's part of a person's data: exported in «my data», its free text cleared by the erasure (152-FZ)."""

import pytest

from participants import personal_data
from projects.models import LabSurveyLine, LearnerRequest, MentorOffer
from projects.services_competence_lab import (
    SurveyLine,
    lab_survey_answer,
    lab_survey_open,
    learner_request_create,
    mentor_offer_create,
)
from tests.projects.lab_world import coordinator, kindergarten, lab_municipality, now, teacher, theme

pytestmark = pytest.mark.django_db


def test_export_and_erasure_of_the_lab_records():
    town = lab_municipality()
    garden = kindergarten(town, "ГБДОУ детский сад № 7")
    topic, other_topic = theme(town), theme(town, "Игровые технологии")
    person = teacher(garden, "Смирнова")
    mentor_offer_create(person=person, theme=topic, format="master_class", capacity=2, note="Веду кружок")
    learner_request_create(person=person, theme=other_topic, note="Хочу освоить игры")
    survey = lab_survey_open(municipality=town, year=2025, by=coordinator(town), now=now())
    lab_survey_answer(
        survey=survey,
        organisation=garden,
        lines=[SurveyLine(kind=LabSurveyLine.Kind.LEARNER, person=person, theme=other_topic)],
        comment="",
        by=None,
        now=now(),
    )
    sections = {s.key: s.rows for s in personal_data.personal_data_collect(person)}
    assert sections["lab_offers"][0]["Опыт по теме"] == "Веду кружок"
    assert sections["lab_requests"][0]["Что хочется освоить"] == "Хочу освоить игры"
    assert sections["lab_survey_lines"][0]["Год опроса"] == 2025
    done = personal_data.run_erasers(person)
    assert any("лаборатории" in line for line in done)
    assert MentorOffer.objects.get(person=person).note == ""
    assert LearnerRequest.objects.get(person=person).note == ""
