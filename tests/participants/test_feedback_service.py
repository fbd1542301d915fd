"""feedback_submit: once per quarter, required questions, scale 1–5, choice among choices; the quarter in the
season's zone; default questions loaded from templates and copied by a season clone."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from participants.feedback import season_quarter
from participants.models import Enrollment, FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from participants.season_parts import PULSE
from participants.services import feedback_submit
from programs.program_templates import METHODICAL_SUBSCRIPTION, PEDCLUSTER27, PROGRESSIVE_TEACHER
from programs.services import season_clone
from programs.templates_service import CREATED, program_template_apply
from tests.factories import EnrollmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
K = FeedbackQuestion.Kind


@pytest.fixture
def season():
    season = SeasonFactory()
    FeedbackQuestion.objects.create(season=season, order=1, text="Нагрузка", kind=K.SCALE, is_pulse=True)
    FeedbackQuestion.objects.create(
        season=season, order=2, text="Хватает ли обратной связи?", kind=K.CHOICE, choices=["Да", "Нет"]
    )
    FeedbackQuestion.objects.create(season=season, order=3, text="Что изменить?", kind=K.TEXT, is_required=False)
    return season


def _q(season, order):
    return FeedbackQuestion.objects.get(season=season, order=order)


def test_answers_are_stored_once_per_quarter(season):
    enrollment = EnrollmentFactory(season=season)
    user = enrollment.person.user
    answers = {_q(season, 1).pk: 4, _q(season, 2).pk: "Да", _q(season, 3).pk: "  Больше практики  "}
    response = feedback_submit(enrollment=enrollment, year=2025, quarter=2, answers=answers, by=user)
    stored = {a.question.order: (a.scale_value, a.text_value) for a in response.answers.select_related("question")}
    assert stored == {1: (4, ""), 2: (None, "Да"), 3: (None, "Больше практики")}

    with pytest.raises(ValidationError, match="уже ответили на вопросы за 2 квартал 2025 года"):
        feedback_submit(enrollment=enrollment, year=2025, quarter=2, answers=answers, by=user)
    assert FeedbackResponse.objects.count() == 1
    # The next quarter is a new survey.
    feedback_submit(enrollment=enrollment, year=2025, quarter=3, answers=answers, by=user)
    assert FeedbackResponse.objects.count() == 2


def test_required_question_missing_names_its_field_and_saves_nothing(season):
    enrollment = EnrollmentFactory(season=season)
    with pytest.raises(ValidationError) as exc:
        feedback_submit(
            enrollment=enrollment, year=2025, quarter=1, answers={_q(season, 2).pk: "Нет"}, by=enrollment.person.user
        )
    assert set(exc.value.message_dict) == {f"q_{_q(season, 1).pk}"}
    assert "обязательный" in exc.value.message_dict[f"q_{_q(season, 1).pk}"][0]
    assert not FeedbackResponse.objects.exists() and not FeedbackAnswer.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, "5.5", "abc", True])
def test_scale_is_one_to_five(season, bad):
    enrollment = EnrollmentFactory(season=season)
    with pytest.raises(ValidationError) as exc:
        feedback_submit(
            enrollment=enrollment,
            year=2025,
            quarter=1,
            answers={_q(season, 1).pk: bad, _q(season, 2).pk: "Да"},
            by=enrollment.person.user,
        )
    assert "от 1 до 5" in exc.value.message_dict[f"q_{_q(season, 1).pk}"][0]
    assert not FeedbackResponse.objects.exists()


def test_choice_must_be_one_of_the_choices(season):
    enrollment = EnrollmentFactory(season=season)
    with pytest.raises(ValidationError) as exc:
        feedback_submit(
            enrollment=enrollment,
            year=2025,
            quarter=1,
            answers={_q(season, 1).pk: 3, _q(season, 2).pk: "Может быть"},
            by=enrollment.person.user,
        )
    assert f"q_{_q(season, 2).pk}" in exc.value.message_dict


def test_only_active_participant_answers_for_themselves(season):
    enrollment = EnrollmentFactory(season=season)
    answers = {_q(season, 1).pk: 3, _q(season, 2).pk: "Да"}
    with pytest.raises(ValidationError, match="за другого участника"):
        feedback_submit(enrollment=enrollment, year=2025, quarter=1, answers=answers, by=UserFactory())
    applied = EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="действующие участники"):
        feedback_submit(enrollment=applied, year=2025, quarter=1, answers=answers, by=applied.person.user)
    assert not FeedbackResponse.objects.exists()


def test_inactive_questions_are_not_asked(season):
    FeedbackQuestion.objects.filter(pk=_q(season, 1).pk).update(is_active=False)
    enrollment = EnrollmentFactory(season=season)
    response = feedback_submit(
        enrollment=enrollment, year=2025, quarter=1, answers={_q(season, 2).pk: "Нет"}, by=enrollment.person.user
    )
    assert [a.question.order for a in response.answers.all()] == [2]


def test_quarter_is_taken_in_the_seasons_time_zone():
    moment = datetime(2024, 12, 31, 20, 0, tzinfo=UTC)  # 23:00 in Moscow, 06:00 on 1 January in Vladivostok
    assert season_quarter(SeasonFactory(time_zone="Europe/Moscow"), moment) == (2024, 4)
    assert season_quarter(SeasonFactory(time_zone="Asia/Vladivostok"), moment) == (2025, 1)
    assert season_quarter(SeasonFactory(time_zone="Europe/Moscow"), datetime(2025, 4, 1, 9, tzinfo=UTC)) == (2025, 2)


@pytest.mark.parametrize("template", [PROGRESSIVE_TEACHER, METHODICAL_SUBSCRIPTION, PEDCLUSTER27])
def test_templates_bring_the_burnout_pulse_and_reapplying_writes_nothing(template):
    season = program_template_apply(template=template)
    pulse = FeedbackQuestion.objects.get(season=season, is_pulse=True)
    assert pulse.text == PULSE["text"] and pulse.kind == K.SCALE
    assert "1 — совсем не устаю, 5 — на пределе сил" in pulse.text
    count = FeedbackQuestion.objects.filter(season=season).count()
    assert count >= 3
    changes = Counter()
    program_template_apply(template=template, changes=changes)
    assert changes[CREATED] == 0
    assert FeedbackQuestion.objects.filter(season=season).count() == count


def test_a_cloned_season_asks_the_same_questions(season):
    FeedbackQuestion.objects.filter(season=season, order=3).update(shows_individual_answers=True)
    clone = season_clone(source=season, title="Повторный запуск")
    copied = list(
        FeedbackQuestion.objects.filter(season=clone).order_by("order").values_list("text", "kind", "is_pulse")
    )
    assert copied == list(
        FeedbackQuestion.objects.filter(season=season).order_by("order").values_list("text", "kind", "is_pulse")
    )
    assert FeedbackQuestion.objects.get(season=clone, order=3).shows_individual_answers


def test_a_season_without_questions_gets_the_defaults_when_cloned():
    season = SeasonFactory()
    clone = season_clone(source=season, title="Новый сезон")
    assert FeedbackQuestion.objects.filter(season=clone, is_pulse=True).count() == 1
