"""Сид 001, «Лаборатория профессиональных компетенций», мероприятие 3: «Экспресс-опрос ДОУ о потенциале участия
педагогов в деятельности лаборатории (наставники, ученики) — 2020-2024 ежегодно». The organising committee opens
the survey once a year; each kindergarten answers once for its teachers (who can mentor on which themes, who wants
to learn); the answers prefill the mentors' offers and the learners' requests; the summary shows who has not
answered yet."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from projects.models import LabSurveyLine, LearnerRequest, MentorOffer
from projects.selectors_competence_lab import survey_summary
from projects.services_competence_lab import SurveyLine, lab_survey_answer, lab_survey_open, mentor_offer_decide
from tests.projects.lab_world import coordinator, kindergarten, lab_municipality, teacher, theme

pytestmark = pytest.mark.django_db

OPENED = datetime(2024, 9, 2, 7, 0, tzinfo=UTC)
ANSWERED = datetime(2024, 9, 20, 9, 0, tzinfo=UTC)


def test_the_yearly_survey_prefills_offers_and_requests_and_shows_who_answered():
    town = lab_municipality(season=False)
    committee = coordinator(town)
    first, second = kindergarten(town, "ГБДОУ детский сад № 1"), kindergarten(town, "ГБДОУ детский сад № 2")
    environment = theme(town, "Развивающая предметно-пространственная среда")
    survey = lab_survey_open(municipality=town, year=2024, by=committee, now=OPENED)
    mentor, learner = teacher(first, "Наставникова"), teacher(first, "Ученикова")
    lab_survey_answer(
        survey=survey,
        organisation=first,
        lines=[
            SurveyLine(LabSurveyLine.Kind.MENTOR, mentor, environment, "consultation_practicum", 2),
            SurveyLine(LabSurveyLine.Kind.LEARNER, learner, environment),
        ],
        comment="",
        by=None,
        now=ANSWERED,
    )
    offer = MentorOffer.objects.get(person=mentor)
    assert (offer.format, offer.capacity, offer.status) == ("consultation_practicum", 2, MentorOffer.Status.PROPOSED)
    assert LearnerRequest.objects.get(person=learner).status == LearnerRequest.Status.OPEN
    # The committee approves the mentor: now on the map.
    assert mentor_offer_decide(offer=offer, approve=True, by=committee, now=ANSWERED).status == "approved"
    rows = {row.organisation.short_name: row.answer for row in survey_summary(survey)}
    assert rows["ГБДОУ детский сад № 1"].answered_at == ANSWERED
    assert rows["ГБДОУ детский сад № 2"] is None
    # Once per organisation and year: a second answer of the same kindergarten is refused.
    with pytest.raises(ValidationError):
        lab_survey_answer(survey=survey, organisation=first, lines=[], comment="", by=None, now=ANSWERED)
    # Once a year: the year's survey cannot be opened twice; next year's is a new survey.
    with pytest.raises(ValidationError):
        lab_survey_open(municipality=town, year=2024, by=committee, now=OPENED)
    assert lab_survey_open(municipality=town, year=2025, by=committee, now=OPENED).year == 2025
    assert second.lab_survey_answers.count() == 0
