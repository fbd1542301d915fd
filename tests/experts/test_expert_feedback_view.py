"""The expert's quarterly feedback page /expert/feedback/<season>/ (seed 000 §2.2)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertFeedbackAnswer, ExpertFeedbackResponse, ExpertRole
from participants.models import FeedbackQuestion
from tests.factories import ExpertAssignmentFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    today = timezone.localdate()
    return SeasonFactory(starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=200))


@pytest.fixture
def questions(season):
    pulse = FeedbackQuestion.objects.create(season=season, order=1, text="Нагрузка за квартал", kind="scale")
    note = FeedbackQuestion.objects.create(season=season, order=2, text="Что улучшить?", kind="text", is_required=False)
    return pulse, note


@pytest.fixture
def expert(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST, person__user=UserFactory())


def url(season):
    return reverse("expert_feedback", args=[season.pk])


def test_the_expert_answers_and_then_changes_the_answers(client, season, questions, expert):
    pulse, note = questions
    client.force_login(expert.person.user)
    page = client.get(url(season)).content.decode()
    assert "Нагрузка за квартал" in page and "Ответьте до" in page
    response = client.post(url(season), {f"f-q_{pulse.pk}": "2", f"f-q_{note.pk}": "Меньше отчётов"})
    assert response.status_code == 302 and response["Location"].endswith("#panel-obligations")
    client.post(url(season), {f"f-q_{pulse.pk}": "4", f"f-q_{note.pk}": ""})
    saved = ExpertFeedbackResponse.objects.get()
    assert saved.assignment == expert
    assert list(ExpertFeedbackAnswer.objects.values_list("question_id", "scale_value")) == [(pulse.pk, 4)]
    page = client.get(url(season)).content.decode()
    assert "Сохранить изменения" in page
    assert re.search(rf'name="f-q_{pulse.pk}" value="4"[^>]*checked', page)


def test_bad_input_gets_a_russian_error_and_keeps_the_text(client, season, questions, expert):
    pulse, note = questions
    client.force_login(expert.person.user)
    response = client.post(url(season), {f"f-q_{pulse.pk}": "9", f"f-q_{note.pk}": "Мой текст"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Выберите корректный вариант" in page or "Выберите оценку от 1 до 5" in page
    assert "Мой текст" in page
    assert not ExpertFeedbackResponse.objects.exists()
    response = client.post(url(season), {f"f-q_{note.pk}": "Только текст"})
    assert "Выберите оценку от 1 до 5." in response.content.decode()


def test_another_seasons_id_or_a_stranger_is_a_404(client, season, questions, expert):
    other = SeasonFactory(starts_on=season.starts_on, ends_on=season.ends_on)
    client.force_login(expert.person.user)
    assert client.get(url(other)).status_code == 404
    assert client.get(reverse("expert_feedback", args=[999999])).status_code == 404
    stranger = PersonFactory(user=UserFactory())
    client.force_login(stranger.user)
    assert client.get(url(season)).status_code == 404
    assert client.post(url(season), {}).status_code == 404


def test_an_inactive_expert_or_the_project_head_is_not_asked(client, season, questions, expert):
    expert.is_active = False
    expert.save(update_fields=["is_active"])
    client.force_login(expert.person.user)
    assert client.get(url(season)).status_code == 404
    head = ExpertAssignmentFactory(season=season, role=ExpertRole.PROJECT_HEAD, person__user=UserFactory())
    client.force_login(head.person.user)
    assert client.get(url(season)).status_code == 404


def test_anonymous_is_sent_to_login(client, season):
    response = client.get(url(season))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_season_without_questions_says_so(client, season, expert):
    client.force_login(expert.person.user)
    response = client.get(url(season))
    assert response.status_code == 200 and "Сейчас вопросов нет" in response.content.decode()
    assert client.post(url(season), {"f-q_1": "3"}).status_code == 200
    assert not ExpertFeedbackResponse.objects.exists()


def test_the_experts_own_questions_are_not_asked_of_participants(client, season, questions, expert):
    own = FeedbackQuestion.objects.create(
        season=season, text="Как работается с группой?", kind="text", audience=FeedbackQuestion.Audience.EXPERTS
    )
    client.force_login(expert.person.user)
    page = client.get(url(season)).content.decode()
    assert own.text in page and "Нагрузка за квартал" not in page
