"""The writes of «Траектория развития» (сид 001): the review of a mentoring practice (мероприятие 4), the schools'
monitoring of mentoring forms (мероприятие 8), informal mentor communities inside a school."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import Community, Practice
from projects.models.trajectory import MentoringFormsReport
from projects.selectors_trajectory import HalfYear
from projects.services_communities import community_create, community_status_set, practice_add
from projects.services_trajectory import (
    mentoring_forms_report_save,
    mentoring_practice_recommend,
    mentoring_practice_resubmit,
    mentoring_practice_return,
    mentoring_practice_review,
)
from tests.projects.trajectory_world import build_world

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def world():
    return build_world()


def _submit(world, **kwargs) -> Practice:
    return practice_add(
        community=world["community"],
        kind=Practice.Kind.MENTORING,
        title=kwargs.get("title", "Наставничество «учитель – ученик» в 5-х классах"),
        description="Пары наставников и учеников, план на полугодие.",
        link="https://school358.example/praktika",
        by=world["users"]["member"],
    )


def test_a_members_mentoring_practice_is_submitted_for_review(world):
    practice = _submit(world)
    assert practice.review == Practice.Review.SUBMITTED


def test_other_kinds_have_no_review(world):
    practice = practice_add(
        community=world["community"],
        kind=Practice.Kind.MATERIAL,
        title="Памятка",
        description="Памятка наставнику",
        link="https://school358.example/pamyatka",
        by=world["users"]["member"],
    )
    assert practice.review == ""
    with pytest.raises(ValidationError, match="только наставнические"):
        mentoring_practice_review(practice=practice, conclusion="Хорошо", by=world["users"]["coordinator"])


def test_review_then_recommend(world):
    practice = _submit(world)
    coordinator = world["users"]["coordinator"]
    practice = mentoring_practice_review(practice=practice, conclusion="Опыт стоит показать", by=coordinator, now=NOW)
    assert (practice.review, practice.conclusion, practice.reviewed_by, practice.reviewed_at) == (
        Practice.Review.REVIEWED,
        "Опыт стоит показать",
        coordinator,
        NOW,
    )
    practice = mentoring_practice_recommend(practice=practice, by=coordinator, now=NOW)
    practice.refresh_from_db()
    assert practice.review == Practice.Review.RECOMMENDED
    assert practice.recommended_at == NOW


def test_recommend_needs_a_review_first(world):
    practice = _submit(world)
    with pytest.raises(ValidationError, match="сначала её рассматривают"):
        mentoring_practice_recommend(practice=practice, by=world["users"]["coordinator"])
    practice.refresh_from_db()
    assert practice.review == Practice.Review.SUBMITTED


def test_review_needs_a_conclusion(world):
    practice = _submit(world)
    with pytest.raises(ValidationError) as error:
        mentoring_practice_review(practice=practice, conclusion="  ", by=world["users"]["coordinator"])
    assert error.value.message_dict["conclusion"] == ["Напишите заключение по практике."]


def test_a_recommended_practice_cannot_be_returned_or_reviewed_again(world):
    coordinator = world["users"]["coordinator"]
    practice = _submit(world)
    mentoring_practice_review(practice=practice, conclusion="Да", by=coordinator)
    mentoring_practice_recommend(practice=practice, by=coordinator)
    with pytest.raises(ValidationError, match="«Рекомендована"):
        mentoring_practice_return(practice=practice, reason="Нет", by=coordinator)
    with pytest.raises(ValidationError, match="рассматривается поданная"):
        mentoring_practice_review(practice=practice, conclusion="Ещё раз", by=coordinator)


def test_return_with_reason_and_resubmit_by_the_author(world):
    coordinator = world["users"]["coordinator"]
    practice = _submit(world)
    with pytest.raises(ValidationError, match="почему практика возвращена"):
        mentoring_practice_return(practice=practice, reason="", by=coordinator)
    practice = mentoring_practice_return(practice=practice, reason="Добавьте результаты пар", by=coordinator)
    assert practice.review == Practice.Review.RETURNED
    with pytest.raises(PermissionDenied):
        mentoring_practice_resubmit(practice=practice, description="Чужая правка", by=coordinator)
    practice = mentoring_practice_resubmit(
        practice=practice, description="Результаты: 12 пар, 10 завершили", by=world["users"]["member"]
    )
    assert (practice.review, practice.description) == (Practice.Review.SUBMITTED, "Результаты: 12 пар, 10 завершили")


def test_only_the_municipalitys_coordinator_reviews(world):
    practice = _submit(world)
    for who in ("coordinator_other", "management", "director", "member"):
        with pytest.raises(PermissionDenied):
            mentoring_practice_review(practice=practice, conclusion="Да", by=world["users"][who])
    practice.refresh_from_db()
    assert practice.review == Practice.Review.SUBMITTED


COUNTS = {
    "teacher_teacher": 4,
    "head_teacher": 1,
    "employer_student": 0,
    "teacher_pupil": 7,
    "pupil_pupil": 3,
    "student_pupil": 0,
}


def test_the_director_enters_and_corrects_the_schools_monitoring(world):
    director = world["users"]["director"]
    report = mentoring_forms_report_save(
        season=world["season"],
        organisation=world["school"],
        half=HalfYear(2026, 1),
        counts=COUNTS,
        by=director,
        now=NOW,
    )
    assert (report.forms_practised, report.total_pairs, report.entered_by) == (4, 15, director)
    mentoring_forms_report_save(
        season=world["season"],
        organisation=world["school"],
        half=HalfYear(2026, 1),
        counts=COUNTS | {"student_pupil": 2},
        by=world["users"]["coordinator"],
        now=NOW,
    )
    report = MentoringFormsReport.objects.get()
    assert (report.student_pupil, report.entered_by) == (2, world["users"]["coordinator"])


def test_a_director_cannot_enter_another_schools_monitoring(world):
    with pytest.raises(PermissionDenied):
        mentoring_forms_report_save(
            season=world["season"],
            organisation=world["school2"],
            half=HalfYear(2026, 1),
            counts=COUNTS,
            by=world["users"]["director"],
            now=NOW,
        )
    with pytest.raises(ValidationError, match="не из муниципалитета"):
        mentoring_forms_report_save(
            season=world["season"],
            organisation=world["far"],
            half=HalfYear(2026, 1),
            counts=COUNTS,
            by=world["users"]["coordinator"],
            now=NOW,
        )
    assert not MentoringFormsReport.objects.exists()


def test_no_monitoring_for_a_half_not_yet_begun_or_bad_counts(world):
    kwargs = {"season": world["season"], "organisation": world["school"], "by": world["users"]["director"], "now": NOW}
    with pytest.raises(ValidationError, match="ещё не началось"):
        mentoring_forms_report_save(half=HalfYear(2026, 2), counts=COUNTS, **kwargs)
    with pytest.raises(ValidationError) as error:
        mentoring_forms_report_save(half=HalfYear(2026, 1), counts=COUNTS | {"pupil_pupil": -1}, **kwargs)
    assert "pupil_pupil" in error.value.message_dict


def test_an_informal_community_belongs_to_a_school_of_the_municipality(world):
    coordinator = world["users"]["coordinator"]
    with pytest.raises(ValidationError) as error:
        community_create(season=world["season"], name="Без школы", kind=Community.Kind.SCHOOL_MENTORS, by=coordinator)
    assert "organisation" in error.value.message_dict
    with pytest.raises(ValidationError, match="муниципалитета сезона"):
        community_create(
            season=world["season"],
            name="Чужая школа",
            kind=Community.Kind.SCHOOL_MENTORS,
            organisation=world["far"],
            by=coordinator,
        )
    community = community_create(
        season=world["season"],
        name="Наставники школы № 376",
        kind=Community.Kind.SCHOOL_MENTORS,
        organisation=world["school2"],
        by=coordinator,
    )
    assert community.organisation == world["school2"]


def test_the_five_member_rule_holds_for_a_school_community(world):
    """Сноска сида 001: «СООБЩЕСТВО — это группа людей, состоящая из пяти и более человек» — one rule for all."""
    community = world["community"]
    coordinator = world["users"]["coordinator"]
    community_status_set(community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2026, 3, 1))
    world["members"][4].left_on = date(2026, 2, 1)
    world["members"][4].save()
    with pytest.raises(ValidationError, match="пяти и более"):
        community_status_set(
            community=community, status=Community.Status.ACTIVE, by=coordinator, today=date(2026, 3, 1)
        )
