"""The lab's services: offers and requests, matching (same theme, capacity, own organisation ranked last), the
express survey once per organisation and year (seed 001, «Лаборатория профессиональных компетенций»)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from experts.models import ExpertAssignment, ExpertRole, MentoringPair
from participants.models import Enrollment, User
from projects.models import LabSurvey, LabSurveyAnswer, LabSurveyLine, LearnerRequest, MentorOffer
from projects.selectors_competence_lab import lab_theme_map, match_suggestions
from projects.services_competence_lab import (
    SurveyLine,
    lab_survey_answer,
    lab_survey_open,
    learner_request_create,
    learner_request_match,
    mentor_offer_create,
    mentor_offer_decide,
)
from tests.factories import UserFactory
from tests.projects.lab_world import coordinator, kindergarten, lab_municipality, now, teacher, theme

pytestmark = pytest.mark.django_db

DAY = date(2025, 10, 1)


@pytest.fixture
def lab():
    town = lab_municipality()
    return {
        "town": town,
        "coord": coordinator(town),
        "a": kindergarten(town, "ГБДОУ детский сад № 1"),
        "b": kindergarten(town, "ГБДОУ детский сад № 2"),
        "c": kindergarten(town, "ГБДОУ детский сад № 3"),
        "theme": theme(town),
    }


def _mentor(lab, org, name, capacity=1, approve=True):
    offer = mentor_offer_create(
        person=teacher(lab[org], name), theme=lab["theme"], format="consultation", capacity=capacity
    )
    if approve:
        mentor_offer_decide(offer=offer, approve=True, by=lab["coord"], now=now())
    return offer


def _request(lab, org, name):
    return learner_request_create(person=teacher(lab[org], name), theme=lab["theme"])


def test_a_match_creates_a_mentoring_pair_in_the_lab_season(lab):
    offer = _mentor(lab, "a", "Наставникова")
    request = _request(lab, "b", "Ученикова")
    matched = learner_request_match(request=request, offer=offer, started_on=DAY, by=lab["coord"], now=now())
    assert matched.status == LearnerRequest.Status.MATCHED
    pair = MentoringPair.objects.get(pk=matched.pair_id)
    assert pair.season.program.slug == "laboratoriya-kompetentsiy"
    assert pair.mentor.person_id == offer.person_id and pair.mentor.role == ExpertRole.MENTOR
    assert pair.mentee.person_id == request.person_id and pair.mentee.status == Enrollment.Status.ACTIVE
    assert pair.started_on == DAY


def test_suggestions_rank_another_organisation_first_and_own_last(lab):
    own = _mentor(lab, "b", "Своя", capacity=3)
    other_small = _mentor(lab, "a", "Чужая-одна", capacity=1)
    other_big = _mentor(lab, "c", "Чужая-три", capacity=3)
    request = _request(lab, "b", "Ученикова")
    assert [o.pk for o in match_suggestions(request, today=DAY)] == [other_big.pk, other_small.pk, own.pk]


def test_a_mentor_of_the_same_organisation_may_be_matched(lab):
    own = _mentor(lab, "b", "Своя")
    request = _request(lab, "b", "Ученикова")
    matched = learner_request_match(request=request, offer=own, started_on=DAY, by=lab["coord"], now=now())
    assert matched.offer_id == own.pk


def test_a_full_mentor_is_not_suggested_and_cannot_be_matched(lab):
    offer = _mentor(lab, "a", "Наставникова", capacity=1)
    learner_request_match(request=_request(lab, "b", "Первая"), offer=offer, started_on=DAY, by=lab["coord"], now=now())
    second = _request(lab, "c", "Вторая")
    assert match_suggestions(second, today=DAY) == []
    with pytest.raises(ValidationError) as error:
        learner_request_match(request=second, offer=offer, started_on=DAY, by=lab["coord"], now=now())
    assert error.value.error_dict["offer"][0].code == "no_capacity"
    assert LearnerRequest.objects.get(pk=second.pk).status == LearnerRequest.Status.OPEN


def test_an_ended_pair_frees_the_place(lab):
    offer = _mentor(lab, "a", "Наставникова", capacity=1)
    first = learner_request_match(
        request=_request(lab, "b", "Первая"), offer=offer, started_on=DAY, by=lab["coord"], now=now()
    )
    MentoringPair.objects.filter(pk=first.pair_id).update(ended_on=date(2025, 12, 1))
    assert [o.pk for o in match_suggestions(_request(lab, "c", "Вторая"), today=date(2025, 12, 2))] == [offer.pk]


def test_a_mentor_of_another_theme_or_not_approved_is_refused(lab):
    other_theme = theme(lab["town"], "Цифровые инструменты в работе воспитателя")
    wrong = mentor_offer_create(
        person=teacher(lab["a"], "Другая"), theme=other_theme, format="master_class", capacity=2
    )
    mentor_offer_decide(offer=wrong, approve=True, by=lab["coord"], now=now())
    pending = _mentor(lab, "c", "Ждущая", approve=False)
    request = _request(lab, "b", "Ученикова")
    for offer, code in ((wrong, "other_theme"), (pending, "not_approved")):
        with pytest.raises(ValidationError) as error:
            learner_request_match(request=request, offer=offer, started_on=DAY, by=lab["coord"], now=now())
        assert error.value.error_dict["offer"][0].code == code
    assert not MentoringPair.objects.exists()


def test_no_lab_season_on_the_date_is_a_clear_error(lab):
    offer = _mentor(lab, "a", "Наставникова")
    with pytest.raises(ValidationError) as error:
        learner_request_match(
            request=_request(lab, "b", "Ученикова"),
            offer=offer,
            started_on=date(2027, 1, 10),
            by=lab["coord"],
            now=now(),
        )
    assert error.value.error_dict["started_on"][0].code == "no_season"
    assert not ExpertAssignment.objects.exists()


def test_another_municipality_coordinator_cannot_match(lab):
    offer = _mentor(lab, "a", "Наставникова")
    stranger = coordinator(lab_municipality("Другой район", season=False))
    with pytest.raises(ValidationError):
        learner_request_match(
            request=_request(lab, "b", "Ученикова"), offer=offer, started_on=DAY, by=stranger, now=now()
        )


def test_an_offer_once_per_theme_and_one_open_request(lab):
    offer = _mentor(lab, "a", "Наставникова", approve=False)
    with pytest.raises(ValidationError):
        mentor_offer_create(person=offer.person, theme=lab["theme"], format="consultation", capacity=1)
    request = _request(lab, "b", "Ученикова")
    with pytest.raises(ValidationError):
        learner_request_create(person=request.person, theme=lab["theme"])


def test_a_teacher_of_another_municipality_cannot_offer(lab):
    elsewhere = kindergarten(lab_municipality("Другой район", season=False), "ДОУ № 9")
    with pytest.raises(ValidationError):
        mentor_offer_create(person=teacher(elsewhere, "Чужая"), theme=lab["theme"], format="consultation", capacity=1)


def test_the_survey_once_per_organisation_and_year(lab):
    survey = lab_survey_open(municipality=lab["town"], year=2025, by=lab["coord"], now=now())
    with pytest.raises(ValidationError):
        lab_survey_open(municipality=lab["town"], year=2025, by=lab["coord"], now=now())
    mentor, learner = teacher(lab["a"], "Наставникова"), teacher(lab["a"], "Ученикова")
    lines = [
        SurveyLine(
            kind=LabSurveyLine.Kind.MENTOR, person=mentor, theme=lab["theme"], format="master_class", capacity=2
        ),
        SurveyLine(kind=LabSurveyLine.Kind.LEARNER, person=learner, theme=lab["theme"]),
    ]
    answer = lab_survey_answer(survey=survey, organisation=lab["a"], lines=lines, comment="", by=None, now=now())
    assert (answer.mentors_count, answer.learners_count) == (1, 1)
    offer = MentorOffer.objects.get(person=mentor)
    assert (offer.status, offer.capacity, offer.survey_answer_id) == (MentorOffer.Status.PROPOSED, 2, answer.pk)
    assert LearnerRequest.objects.get(person=learner).status == LearnerRequest.Status.OPEN
    with pytest.raises(ValidationError) as error:
        lab_survey_answer(survey=survey, organisation=lab["a"], lines=[], comment="", by=None, now=now())
    assert error.value.code == "answered"
    assert LabSurveyAnswer.objects.count() == 1
    # Another organisation answers the same survey; next year's survey is a new one.
    lab_survey_answer(survey=survey, organisation=lab["b"], lines=[], comment="", by=None, now=now())
    next_year = lab_survey_open(municipality=lab["town"], year=2026, by=lab["coord"], now=now())
    lab_survey_answer(survey=next_year, organisation=lab["a"], lines=lines, comment="", by=None, now=now())
    assert MentorOffer.objects.filter(person=mentor).count() == 1  # not offered twice


def test_a_survey_line_of_another_organisations_teacher_is_refused(lab):
    survey = lab_survey_open(municipality=lab["town"], year=2025, by=lab["coord"], now=now())
    lines = [SurveyLine(kind=LabSurveyLine.Kind.LEARNER, person=teacher(lab["b"], "Чужая"), theme=lab["theme"])]
    with pytest.raises(ValidationError):
        lab_survey_answer(survey=survey, organisation=lab["a"], lines=lines, comment="", by=None, now=now())
    assert not LabSurveyAnswer.objects.exists()


def test_the_map_shows_mentors_with_learners_and_open_requests(lab):
    offer = _mentor(lab, "a", "Наставникова", capacity=2)
    learner_request_match(
        request=_request(lab, "b", "Ученикова"), offer=offer, started_on=DAY, by=lab["coord"], now=now()
    )
    waiting = _request(lab, "c", "Ждущая")
    [shown] = lab_theme_map(lab["town"].pk, today=DAY)
    [mentor] = shown.mentors
    assert [m.person.last_name for m in mentor.current_learners] == ["Ученикова"]
    assert mentor.places_left == 1
    assert [r.pk for r in shown.open_requests] == [waiting.pk]


@pytest.mark.parametrize("role", [User.Role.MANAGEMENT, User.Role.TEACHER, User.Role.DIRECTOR])
def test_only_the_organising_committee_decides_matches_and_opens_the_survey(lab, role):
    """The organising committee is the municipality's coordinator (сид 001, «Лаборатория профессиональных
    компетенций», мероприятие 1): another user bound to the same municipality writes nothing through the
    services either, not only through the pages."""
    reader = UserFactory(role=role, municipality=lab["town"])
    offer = mentor_offer_create(
        person=teacher(lab["a"], "Наставникова"), theme=lab["theme"], format="consultation", capacity=1
    )
    with pytest.raises(ValidationError) as error:
        mentor_offer_decide(offer=offer, approve=True, by=reader, now=now())
    assert error.value.code == "not_committee"
    mentor_offer_decide(offer=offer, approve=True, by=lab["coord"], now=now())
    request = _request(lab, "b", "Ученикова")
    with pytest.raises(ValidationError) as error:
        learner_request_match(request=request, offer=offer, started_on=DAY, by=reader, now=now())
    assert error.value.code == "not_committee"
    with pytest.raises(ValidationError) as error:
        lab_survey_open(municipality=lab["town"], year=2025, by=reader, now=now())
    assert error.value.code == "not_committee"
    offer.refresh_from_db()
    request.refresh_from_db()
    assert request.status == LearnerRequest.Status.OPEN
    assert not LabSurvey.objects.exists()
