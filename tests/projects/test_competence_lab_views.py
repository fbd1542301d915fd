"""The lab's pages: who reads the map and what they see, a teacher's offer and request, the committee's
matching, a director's survey answer (their organisation only) and the yearly XLSX; another municipality 404."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from participants.models import User
from projects.models import LabSurveyAnswer, LearnerRequest, MentorOffer
from projects.services_competence_lab import (
    lab_survey_open,
    learner_request_create,
    learner_request_match,
    mentor_offer_create,
    mentor_offer_decide,
)
from tests.factories import UserFactory
from tests.projects.lab_world import coordinator, director, kindergarten, lab_municipality, now, teacher, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    town = lab_municipality(starts_on=date(2000, 1, 1), ends_on=date(2100, 1, 1))
    other = lab_municipality("Другой район", season=False)
    return {
        "town": town,
        "other": other,
        "coord": coordinator(town),
        "a": kindergarten(town, "ГБДОУ детский сад № 1"),
        "b": kindergarten(town, "ГБДОУ детский сад № 2"),
        "theme": theme(town),
        "far": kindergarten(other, "ДОУ далёкий"),
    }


def _approved(lab, org="a", name="Наставникова", email="mentor@example.ru"):
    person = teacher(lab[org], name)
    person.email = email
    person.save()
    offer = mentor_offer_create(person=person, theme=lab["theme"], format="consultation", capacity=2)
    return mentor_offer_decide(offer=offer, approve=True, by=lab["coord"], now=now())


def _login(client, user):
    client.force_login(user)
    return client


def test_a_teacher_of_the_municipality_reads_names_but_no_contacts(client, lab):
    _approved(lab)
    reader = teacher(lab["b"], "Читающая")
    body = _login(client, reader.user).get(reverse("lab_map", args=[lab["town"].pk])).content.decode()
    assert "Наставникова" in body and "ГБДОУ детский сад № 1" in body
    assert "mentor@example.ru" not in body


def test_a_learner_sees_the_contact_of_their_own_mentor_and_the_coordinator_sees_all(client, lab):
    offer = _approved(lab)
    learner = teacher(lab["b"], "Ученикова")
    request = learner_request_create(person=learner, theme=lab["theme"])
    learner_request_match(request=request, offer=offer, started_on=date(2025, 10, 1), by=lab["coord"], now=now())
    assert (
        "mentor@example.ru"
        in _login(client, learner.user).get(reverse("lab_map", args=[lab["town"].pk])).content.decode()
    )
    assert (
        "mentor@example.ru"
        in _login(client, lab["coord"]).get(reverse("lab_map", args=[lab["town"].pk])).content.decode()
    )


@pytest.mark.parametrize("name", ["lab_map", "lab_offer_new", "lab_request_new", "lab_surveys"])
def test_another_municipality_is_404(client, lab, name):
    _login(client, teacher(lab["far"], "Чужая").user)
    assert client.get(reverse(name, args=[lab["town"].pk])).status_code == 404
    _login(client, coordinator(lab["other"]))
    assert client.get(reverse(name, args=[lab["town"].pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, lab):
    response = client.get(reverse("lab_map", args=[lab["town"].pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_teacher_offers_and_a_bad_capacity_keeps_what_was_typed(client, lab):
    me = teacher(lab["a"], "Предлагающая")
    _login(client, me.user)
    url = reverse("lab_offer_new", args=[lab["town"].pk])
    bad = client.post(url, {"theme": lab["theme"].pk, "format": "master_class", "capacity": "0", "note": "Мой опыт"})
    assert bad.status_code == 400
    assert "Не меньше 1." in bad.content.decode() and "Мой опыт" in bad.content.decode()
    good = client.post(url, {"theme": lab["theme"].pk, "format": "master_class", "capacity": "2", "note": ""})
    assert good.status_code == 302
    assert MentorOffer.objects.get(person=me).status == MentorOffer.Status.PROPOSED


def test_a_theme_of_another_municipality_is_refused(client, lab):
    me = teacher(lab["a"], "Ученикова")
    foreign = theme(lab["other"], "Чужая тема")
    response = _login(client, me.user).post(reverse("lab_request_new", args=[lab["town"].pk]), {"theme": foreign.pk})
    assert response.status_code == 400
    assert not LearnerRequest.objects.exists()


def test_the_coordinator_approves_an_offer_and_a_teacher_cannot(client, lab):
    offer = mentor_offer_create(person=teacher(lab["a"], "Н"), theme=lab["theme"], format="consultation", capacity=1)
    url = reverse("lab_offer_decide", args=[offer.pk])
    assert _login(client, teacher(lab["b"], "Т").user).post(url, {"decision": "approve"}).status_code == 404
    assert _login(client, coordinator(lab["other"])).post(url, {"decision": "approve"}).status_code == 404
    assert _login(client, lab["coord"]).post(url, {"decision": "approve"}).status_code == 302
    assert MentorOffer.objects.get(pk=offer.pk).status == MentorOffer.Status.APPROVED


def test_the_coordinator_matches_a_request_through_the_page(client, lab):
    offer = _approved(lab)
    request = learner_request_create(person=teacher(lab["b"], "Ученикова"), theme=lab["theme"])
    url = reverse("lab_request_match", args=[request.pk])
    assert _login(client, teacher(lab["b"], "Т").user).get(url).status_code == 404
    assert _login(client, coordinator(lab["other"])).get(url).status_code == 404
    _login(client, lab["coord"])
    assert "Наставникова" in client.get(url).content.decode()
    bad = client.post(url, {"offer": offer.pk, "started_on": "1.1.1"})
    assert bad.status_code == 400
    response = client.post(url, {"offer": offer.pk, "started_on": "2025-10-01"})
    assert response.status_code == 302
    assert LearnerRequest.objects.get(pk=request.pk).pair is not None


def test_a_director_answers_only_for_their_organisation_and_once(client, lab):
    survey = lab_survey_open(municipality=lab["town"], year=2025, by=lab["coord"], now=now())
    boss = director(lab["a"])
    mentor = teacher(lab["a"], "Наставникова")
    stranger = teacher(lab["b"], "Чужая")
    url = reverse("lab_survey_answer", args=[survey.pk])
    _login(client, boss)
    assert client.get(url).status_code == 200
    data = {
        "comment": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-kind": "mentor",
        "lines-0-person": stranger.pk,
        "lines-0-theme": lab["theme"].pk,
        "lines-0-format": "consultation",
        "lines-0-capacity": "1",
    }
    assert client.post(url, data).status_code == 400  # another organisation's teacher is not offered
    data["lines-0-person"] = mentor.pk
    assert client.post(url, data).status_code == 302
    assert LabSurveyAnswer.objects.get().organisation == lab["a"]
    assert MentorOffer.objects.get().person == mentor
    assert client.post(url, data).status_code == 400
    assert LabSurveyAnswer.objects.count() == 1
    # A teacher, or a director of another municipality, cannot answer.
    assert _login(client, mentor.user).get(url).status_code == 404
    assert _login(client, director(lab["far"])).get(url).status_code == 404


def test_the_survey_summary_lists_who_answered_and_who_not(client, lab):
    survey = lab_survey_open(municipality=lab["town"], year=2025, by=lab["coord"], now=now())
    LabSurveyAnswer.objects.create(survey=survey, organisation=lab["a"], answered_at=now())
    url = reverse("lab_survey_summary", args=[survey.pk])
    body = _login(client, lab["coord"]).get(url).content.decode()
    # the kindergartens and the program organiser's school
    assert "Ответили 1 из 3 организаций" in body and "не ответила" in body
    manager = UserFactory(role=User.Role.MANAGEMENT, municipality=lab["town"])
    assert _login(client, manager).get(url).status_code == 200
    assert _login(client, teacher(lab["a"], "Т").user).get(url).status_code == 404
    assert _login(client, coordinator(lab["other"])).get(url).status_code == 404


def test_the_coordinator_opens_a_survey_and_management_cannot(client, lab):
    url = reverse("lab_surveys", args=[lab["town"].pk])
    manager = UserFactory(role=User.Role.MANAGEMENT, municipality=lab["town"])
    assert _login(client, manager).post(url, {"year": "2025"}).status_code == 404
    assert _login(client, lab["coord"]).post(url, {"year": "2025"}).status_code == 302
    again = client.post(url, {"year": "2025"})
    assert again.status_code == 400 and "уже открыт" in again.content.decode()
    assert client.post(url, {"year": "99999"}).status_code == 400


def test_the_yearly_report_is_a_workbook(client, lab):
    offer = _approved(lab)
    request = learner_request_create(person=teacher(lab["b"], "Ученикова"), theme=lab["theme"])
    learner_request_match(request=request, offer=offer, started_on=date(2025, 10, 1), by=lab["coord"], now=now())
    year = now().year
    response = _login(client, lab["coord"]).get(reverse("lab_report_xlsx", args=[lab["town"].pk, year]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Темы", "Наставники", "Запросы и пары"]
    rows = list(book["Запросы и пары"].iter_rows(values_only=True))
    assert rows[1][1].startswith("Ученикова") and rows[1][5].startswith("Наставникова")
    assert (
        _login(client, teacher(lab["a"], "Т").user)
        .get(reverse("lab_report_xlsx", args=[lab["town"].pk, year]))
        .status_code
        == 404
    )


def _map_queries(client, lab, n):
    for i in range(n):
        offer = _approved(lab, name=f"Наставник{i}", email=f"m{i}@example.ru")
        request = learner_request_create(person=teacher(lab["b"], f"Ученик{i}"), theme=lab["theme"])
        learner_request_match(request=request, offer=offer, started_on=date(2025, 10, 1), by=lab["coord"], now=now())
        learner_request_create(person=teacher(lab["b"], f"Ждущий{i}"), theme=lab["theme"])
        theme(lab["town"], f"Тема {n}-{i}")
    client.force_login(lab["coord"])
    url = reverse("lab_map", args=[lab["town"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_map_runs_the_same_queries_with_one_and_three_rows(client, lab):
    one = _map_queries(client, lab, 1)
    three = _map_queries(client, lab, 2)  # three mentors, learners and requests in all
    assert one == three


def test_the_committee_closes_the_survey_and_no_answer_is_taken_after(client, lab):
    """A survey the committee opened could never be closed: now the coordinator closes it from its summary, and a
    director's answer is refused afterwards (мероприятие 3)."""
    survey = lab_survey_open(municipality=lab["town"], year=2025, by=lab["coord"], now=now())
    url = reverse("lab_survey_close", args=[survey.pk])
    manager = UserFactory(role=User.Role.MANAGEMENT, municipality=lab["town"])
    assert _login(client, manager).post(url).status_code == 404
    assert _login(client, coordinator(lab["other"])).post(url).status_code == 404
    assert _login(client, director(lab["a"])).post(url).status_code == 404
    survey.refresh_from_db()
    assert survey.is_open
    summary = reverse("lab_survey_summary", args=[survey.pk])
    assert "Закрыть опрос" not in _login(client, manager).get(summary).content.decode()
    assert "Закрыть опрос" in _login(client, lab["coord"]).get(summary).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(summary, 302)]
    assert "ответы больше не принимаются" in response.content.decode()
    assert "Закрыть опрос" not in response.content.decode()
    survey.refresh_from_db()
    assert not survey.is_open
    answer = _login(client, director(lab["a"])).post(
        reverse("lab_survey_answer", args=[survey.pk]),
        {"comment": "", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"},
    )
    assert answer.status_code == 400 and "Опрос закрыт" in answer.content.decode()
    assert not LabSurveyAnswer.objects.exists()
