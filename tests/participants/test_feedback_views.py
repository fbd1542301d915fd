"""The cabinet asks the quarter's questions once; the answer page for its owner, another teacher and a visitor;
the feedback section runs the same number of queries for one program and for three."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.cabinet import CabinetContext
from participants.feedback import season_quarter
from participants.feedback_cabinet import feedback_section
from participants.models import Enrollment, FeedbackQuestion, FeedbackResponse
from participants.selectors import cabinet_person_enrollments
from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory

pytestmark = pytest.mark.django_db
K = FeedbackQuestion.Kind


def _season_with_questions(**kwargs):
    season = SeasonFactory(**kwargs)
    FeedbackQuestion.objects.create(season=season, order=1, text="Оцените нагрузку", kind=K.SCALE, is_pulse=True)
    FeedbackQuestion.objects.create(season=season, order=2, text="Что изменить?", kind=K.TEXT, is_required=False)
    return season


@pytest.fixture
def enrollment():
    return EnrollmentFactory(season=_season_with_questions())


def _url(enrollment):
    return reverse("feedback_answer", args=[enrollment.pk])


def _data(enrollment, scale="4", text="Больше практики"):
    q1, q2 = FeedbackQuestion.objects.filter(season=enrollment.season).order_by("order")
    return {f"e{enrollment.pk}-q_{q1.pk}": scale, f"e{enrollment.pk}-q_{q2.pk}": text}


def test_cabinet_asks_then_thanks(client, enrollment):
    client.force_login(enrollment.person.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Обратная связь за квартал" in page and "Оцените нагрузку" in page
    assert f'action="{_url(enrollment)}"' in page

    response = client.post(_url(enrollment), _data(enrollment))
    assert response.status_code == 302 and response["Location"].startswith(reverse("cabinet"))
    saved = FeedbackResponse.objects.get(enrollment=enrollment)
    assert (saved.year, saved.quarter) == season_quarter(enrollment.season)
    assert list(saved.answers.order_by("question__order").values_list("scale_value", "text_value")) == [
        (4, ""),
        (None, "Больше практики"),
    ]

    page = client.get(reverse("cabinet")).content.decode()
    assert "Спасибо! Вы ответили на вопросы этого квартала" in page
    assert "Оцените нагрузку" not in page


def test_second_answer_in_the_same_quarter_is_refused(client, enrollment):
    client.force_login(enrollment.person.user)
    client.post(_url(enrollment), _data(enrollment))
    response = client.post(_url(enrollment), _data(enrollment, scale="1"))
    assert response.status_code == 200
    assert "Вы уже ответили на вопросы этого квартала" in response.content.decode()
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackResponse.objects.get().answers.get(scale_value__isnull=False).scale_value == 4


def test_missing_required_answer_is_shown_at_the_field_and_text_is_kept(client, enrollment):
    client.force_login(enrollment.person.user)
    response = client.post(_url(enrollment), _data(enrollment, scale=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Выберите оценку от 1 до 5." in page
    assert "Больше практики" in page  # what was typed is not lost
    assert not FeedbackResponse.objects.exists()


def test_another_teacher_gets_404_and_nothing_is_saved(client, enrollment):
    client.force_login(PersonFactory().user)
    assert client.get(_url(enrollment)).status_code == 404
    assert client.post(_url(enrollment), _data(enrollment)).status_code == 404
    assert not FeedbackResponse.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client, enrollment):
    for response in (client.get(_url(enrollment)), client.post(_url(enrollment), _data(enrollment))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not FeedbackResponse.objects.exists()


def test_not_asked_when_withdrawn_or_the_season_is_over(client):
    withdrawn = EnrollmentFactory(season=_season_with_questions(), status=Enrollment.Status.WITHDRAWN)
    client.force_login(withdrawn.person.user)
    assert "Обратная связь за квартал" not in client.get(reverse("cabinet")).content.decode()
    response = client.post(_url(withdrawn), _data(withdrawn))
    assert "вопросов нет" in response.content.decode()

    today = timezone.localdate()
    past = _season_with_questions(starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=35))
    finished = EnrollmentFactory(season=past)
    client.force_login(finished.person.user)
    assert "Обратная связь за квартал" not in client.get(reverse("cabinet")).content.decode()
    assert not FeedbackResponse.objects.exists()


def _section_queries(django_assert_num_queries, person, expected_items):
    person, enrollments = cabinet_person_enrollments(person.user)  # the latest responses come with them
    ctx = CabinetContext(request=None, person=person, enrollments=enrollments, now=timezone.now())
    with django_assert_num_queries(1):
        context = feedback_section(ctx)
    assert len(context["items"]) == expected_items
    assert [item.answered for item in context["items"]].count(True) == 1


@pytest.mark.parametrize("programs", [1, 3])
def test_feedback_section_runs_one_query_whatever_the_number_of_programs(django_assert_num_queries, programs):
    person = PersonFactory()
    for n in range(programs):
        enrollment = EnrollmentFactory(person=person, season=_season_with_questions())
        if n == 0:  # one already answered, the others asked
            year, quarter = season_quarter(enrollment.season)
            FeedbackResponse.objects.create(enrollment=enrollment, year=year, quarter=quarter)
    _section_queries(django_assert_num_queries, person, programs)
