"""An expert's quarterly feedback in their export and erasure (152-FZ)."""

from datetime import UTC, datetime

import pytest

from experts import personal_data as experts_personal_data
from experts.models import ExpertFeedbackAnswer, ExpertFeedbackResponse, ExpertRole
from participants.models import FeedbackQuestion
from tests.factories import ExpertAssignmentFactory

pytestmark = pytest.mark.django_db


def answered(expert, n=1):
    scale = FeedbackQuestion.objects.create(season=expert.season, text="Нагрузка", kind="scale")
    text = FeedbackQuestion.objects.create(season=expert.season, text="Что мешает?", kind="text")
    moment = datetime(2024, 12, 1, tzinfo=UTC)
    for quarter in range(1, n + 1):
        response = ExpertFeedbackResponse.objects.create(
            assignment=expert, year=2024, quarter=quarter, submitted_at=moment, updated_at=moment
        )
        ExpertFeedbackAnswer.objects.create(response=response, question=scale, scale_value=3)
        ExpertFeedbackAnswer.objects.create(response=response, question=text, text_value="Много отчётов")


def test_the_export_holds_the_answers_and_the_erasure_clears_the_text_only():
    expert = ExpertAssignmentFactory(role=ExpertRole.CURATOR)
    answered(expert)
    rows = experts_personal_data.export_expert_feedback(expert.person)
    assert sorted(str(r["Ответ"]) for r in rows) == ["3", "Много отчётов"]
    assert experts_personal_data.erase_expert_feedback(expert.person) == ["Удалены тексты обратной связи эксперта: 1"]
    assert set(ExpertFeedbackAnswer.objects.values_list("scale_value", "text_value")) == {(None, ""), (3, "")}
    assert experts_personal_data.export_expert_feedback(ExpertAssignmentFactory().person) == []


@pytest.mark.parametrize("n", [1, 3])
def test_the_export_runs_one_query(django_assert_num_queries, n):
    expert = ExpertAssignmentFactory(role=ExpertRole.CURATOR)
    answered(expert, n)
    with django_assert_num_queries(1):
        assert len(experts_personal_data.export_expert_feedback(expert.person)) == 2 * n
