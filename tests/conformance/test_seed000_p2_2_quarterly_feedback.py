"""Seed 000 (order № 643-од, «Прогрессивный педагог») §2.2, walked through on the real services with explicit dates
in the season's zone (Asia/Yekaterinburg, UTC+5).

§2.2: «периодическую обратную связь от участников и экспертов (минимум раз в квартал)». A quarter's feedback is due
on its last day and overdue from the next day; the experts answer the participants' questions unless the season
has questions of its own for experts; an expert's answers can be changed until the quarter ends.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from experts.models import ExpertFeedbackResponse, ExpertRole
from experts.selectors_obligations import expert_feedback_dues, expert_questions, season_obligations
from experts.services import expert_feedback_submit
from participants.feedback import participant_feedback_dues
from participants.models import Enrollment, FeedbackQuestion
from participants.services import feedback_submit
from programs.program_templates import PROGRESSIVE_TEACHER
from programs.templates_service import program_template_apply
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory

pytestmark = pytest.mark.django_db

YEKB = ZoneInfo("Asia/Yekaterinburg")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=YEKB)


@pytest.fixture
def season():
    return program_template_apply(template=PROGRESSIVE_TEACHER)


@pytest.fixture
def methodist(season):
    expert = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    ExpertAssignmentFactory._meta.model.objects.filter(pk=expert.pk).update(assigned_at=at(2024, 9, 2, 10))
    expert.refresh_from_db()
    return expert


def answers_for(questions, scale=4):
    result = {}
    for q in questions:
        if q.kind == FeedbackQuestion.Kind.SCALE:
            result[q.pk] = scale
        elif q.kind == FeedbackQuestion.Kind.CHOICE:
            result[q.pk] = q.choices[0]
        else:
            result[q.pk] = "Всё идёт по плану"
    return result


def dues_of(expert, now):
    (due,) = expert_feedback_dues([type(expert).objects.select_related("season", "person").get(pk=expert.pk)], now)
    return due


def test_experts_answer_the_participants_questions_when_the_season_has_none_of_their_own(season):
    participants_questions = list(
        FeedbackQuestion.objects.filter(season=season, is_active=True).order_by("order", "pk")
    )
    assert participants_questions
    assert expert_questions([season.pk])[season.pk] == participants_questions
    own = FeedbackQuestion.objects.create(
        season=season, text="Что мешает работе с группой?", kind="text", audience=FeedbackQuestion.Audience.EXPERTS
    )
    assert expert_questions([season.pk])[season.pk] == [own]


def test_experts_feedback_is_due_31_december_and_overdue_on_1_january_in_the_seasons_zone(season, methodist):
    due = dues_of(methodist, at(2024, 12, 31, 23, 30))
    assert [p.key for p in due.periods] == [(2024, 3), (2024, 4)]
    assert due.current.key == (2024, 4) and str(due.current.due_on) == "2024-12-31"
    assert [p.key for p in due.overdue] == [(2024, 3)]  # the September quarter passed unanswered

    # 1 January, 00:30 in Yekaterinburg is still 31 December in UTC and in Moscow: Q4 is overdue here.
    due = dues_of(methodist, at(2025, 1, 1, 0, 30))
    assert [p.key for p in due.overdue] == [(2024, 3), (2024, 4)]
    assert due.current.key == (2025, 1)


def test_an_expert_answers_once_a_quarter_and_may_change_the_answers_until_it_ends(season, methodist):
    questions = expert_questions([season.pk])[season.pk]
    user = methodist.person.user
    first = expert_feedback_submit(
        assignment=methodist, year=2024, quarter=4, answers=answers_for(questions, 2), by=user, now=at(2024, 12, 1, 9)
    )
    again = expert_feedback_submit(
        assignment=methodist, year=2024, quarter=4, answers=answers_for(questions, 5), by=user, now=at(2024, 12, 31, 23)
    )
    assert again.pk == first.pk and ExpertFeedbackResponse.objects.count() == 1
    scale = [a.scale_value for a in again.answers.all() if a.scale_value is not None]
    assert scale and set(scale) == {5}

    due = dues_of(methodist, at(2025, 1, 1, 0, 30))
    assert [p.key for p in due.overdue] == [(2024, 3)]  # Q4 was answered in time

    with pytest.raises(ValidationError) as exc:
        expert_feedback_submit(
            assignment=methodist,
            year=2024,
            quarter=4,
            answers=answers_for(questions, 3),
            by=user,
            now=at(2025, 1, 1, 0, 30),
        )
    assert "квартал закончился" in " ".join(exc.value.messages)


def test_an_expert_cannot_answer_for_another_and_a_required_question_must_be_answered(season, methodist):
    questions = expert_questions([season.pk])[season.pk]
    other = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    with pytest.raises(ValidationError):
        expert_feedback_submit(
            assignment=methodist,
            year=2024,
            quarter=4,
            answers=answers_for(questions),
            by=other.person.user,
            now=at(2024, 12, 1, 9),
        )
    with pytest.raises(ValidationError) as exc:
        expert_feedback_submit(
            assignment=methodist, year=2024, quarter=4, answers={}, by=methodist.person.user, now=at(2024, 12, 1, 9)
        )
    assert f"q_{questions[0].pk}" in exc.value.message_dict
    assert not ExpertFeedbackResponse.objects.exists()


def test_participants_feedback_has_the_same_due_date_and_overdue_flag(season):
    teacher = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE, status_changed_at=at(2024, 10, 2, 9))
    late = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE, status_changed_at=at(2025, 1, 15, 9))
    questions = list(FeedbackQuestion.objects.filter(season=season, is_active=True).order_by("order", "pk"))
    feedback_submit(enrollment=teacher, year=2024, quarter=4, answers=answers_for(questions), by=teacher.person.user)

    dues = {d.subject.pk: d for d in participant_feedback_dues([teacher, late], at(2025, 4, 1, 0, 30))}
    assert [p.key for p in dues[teacher.pk].periods] == [(2024, 4), (2025, 1), (2025, 2)]
    assert [p.key for p in dues[teacher.pk].overdue] == [(2025, 1)]
    # Admitted on 15 January: nothing was owed for the autumn.
    assert [p.key for p in dues[late.pk].periods] == [(2025, 1), (2025, 2)]
    assert str(dues[late.pk].current.due_on) == "2025-06-30"


def test_the_coordinators_report_lists_who_has_not_answered_per_quarter(season, methodist):
    teacher = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE, status_changed_at=at(2024, 10, 2, 9))
    questions = expert_questions([season.pk])[season.pk]
    expert_feedback_submit(
        assignment=methodist,
        year=2024,
        quarter=4,
        answers=answers_for(questions),
        by=methodist.person.user,
        now=at(2024, 12, 10, 9),
    )
    report = season_obligations(season, at(2025, 1, 1, 0, 30))
    rows = {row.period.key: row for row in report.feedback}
    assert list(rows) == [(2025, 1), (2024, 4), (2024, 3)]
    assert rows[(2024, 4)].overdue and rows[(2024, 4)].participants == [teacher] and rows[(2024, 4)].experts == []
    assert rows[(2024, 3)].participants == [] and rows[(2024, 3)].experts == [methodist]
    assert not rows[(2025, 1)].overdue
