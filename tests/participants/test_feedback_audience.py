"""Questions for experts are not asked of participants; the cabinet shows the quarter's due date (seed 000 §2.2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants.feedback import feedback_items, feedback_summary, season_questions
from participants.models import FeedbackQuestion, FeedbackResponse
from participants.services import feedback_submit
from programs.periods import period_of
from tests.factories import EnrollmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    today = timezone.localdate()
    return SeasonFactory(starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=200))


@pytest.fixture
def questions(season):
    mine = FeedbackQuestion.objects.create(season=season, text="Полезны ли встречи?", kind="scale")
    experts = FeedbackQuestion.objects.create(
        season=season, text="Хватает ли времени на группу?", kind="scale", audience=FeedbackQuestion.Audience.EXPERTS
    )
    return mine, experts


def test_participants_are_asked_only_their_questions(season, questions):
    mine, experts = questions
    enrollment = EnrollmentFactory(season=season, person__user=UserFactory())
    assert season_questions(season) == [mine]
    (item,) = feedback_items([enrollment], timezone.now())
    assert item.questions == [mine]


def test_an_expert_question_is_neither_required_nor_stored_for_a_participant(season, questions):
    mine, experts = questions
    enrollment = EnrollmentFactory(season=season, person__user=UserFactory())
    with pytest.raises(ValidationError) as exc:
        feedback_submit(enrollment=enrollment, year=2025, quarter=1, answers={experts.pk: 3}, by=None)
    assert list(exc.value.message_dict) == [f"q_{mine.pk}"]
    response = feedback_submit(
        enrollment=enrollment, year=2025, quarter=1, answers={mine.pk: 4, experts.pk: 3}, by=None
    )
    assert [a.question_id for a in response.answers.all()] == [mine.pk]
    summary = feedback_summary(season=season)
    assert [q.question for q in summary[0].questions] == [mine]
    assert FeedbackResponse.objects.count() == 1


def test_the_cabinet_shows_when_the_quarters_answers_are_due(client, season, questions):
    enrollment = EnrollmentFactory(season=season, person__user=UserFactory())
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    due = period_of(timezone.localtime(timezone.now(), season.tz).date(), 3, season=season).due_on
    assert "ответить до" in html
    (item,) = feedback_items([enrollment], timezone.now())
    assert item.due_on == due
    assert "Хватает ли времени на группу?" not in html
