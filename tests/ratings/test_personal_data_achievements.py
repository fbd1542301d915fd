"""Achievements and the time-coded comments of reviews in a teacher's export and erasure (152-FZ): the export
gives every field with the proof; the erasure removes titles, results, proofs (the file after commit) and the
comments' texts, while statuses — and so the rating points — stay."""

import json

import pytest
from django.core import serializers
from django.db import transaction
from django.utils import timezone

from participants.services import person_erase
from ratings import personal_data as ratings_personal_data
from ratings.models import Achievement, ParticipantRating, Review, ReviewComment
from ratings.services import rating_recompute
from tests.factories import EnrollmentFactory, PersonFactory, ReviewFactory, SubmissionFactory
from tests.ratings.achievement_helpers import AchievementFactory, expert_of, with_file

pytestmark = pytest.mark.django_db


def teacher(n: int = 1):
    """n seasons, each with a confirmed regional achievement with a link, a federal one with a file and a
    pending one; a released review with two comments and a returned one with a comment."""
    person = PersonFactory(last_name="Смирнова")
    for i in range(n):
        enrollment = EnrollmentFactory(person=person)
        decider = expert_of(enrollment.season, person__user=None)
        AchievementFactory(
            enrollment=enrollment,
            title=f"Учитель года {i}",
            level="regional",
            result="Победитель",
            proof_url=f"https://diplom.example/{i}",
            status="confirmed",
            decided_by=decider,
            decided_at=timezone.now(),
            comment="Диплом проверен",
        )
        with_file(
            AchievementFactory(
                enrollment=enrollment, title=f"Статья {i}", kind="publication", level="federal", status="confirmed"
            ),
            name=f"article{i}.pdf",
        )
        AchievementFactory(enrollment=enrollment, title=f"Вебинар {i}", kind="webinar", status="pending")
        submission = SubmissionFactory(enrollment=enrollment, assignment__activity__season=enrollment.season)
        released = ReviewFactory(
            submission=submission,
            expert__person__user=None,
            status=Review.Status.RELEASED,
            total_score=7,
            released_at=timezone.now(),
        )
        ReviewComment.objects.create(review=released, at_seconds=760, text=f"Удачный вопрос {i}")
        ReviewComment.objects.create(review=released, at_seconds=3723, text="Итог урока скомкан")
        ReviewComment.objects.create(review=released, at_seconds=None, text="В целом хорошо")
        returned = ReviewFactory(submission=submission, expert__person__user=None, status=Review.Status.RETURNED)
        ReviewComment.objects.create(review=returned, at_seconds=30, text="Черновой комментарий")
    return person


def test_achievements_are_exported_with_every_field_and_the_proof():
    person = teacher()
    rows = {r["Название"]: r for r in ratings_personal_data.export_achievements(person)}
    assert set(rows) == {"Учитель года 0", "Статья 0", "Вебинар 0"}
    contest = rows["Учитель года 0"]
    assert (contest["Вид"], contest["Уровень"], contest["Результат"], contest["Статус"]) == (
        "Конкурс",
        "Региональный",
        "Победитель",
        "Подтверждено",
    )
    assert (contest["Ссылка на подтверждение"], contest["Кто рассмотрел"], contest["Комментарий эксперта"]) == (
        "https://diplom.example/0",
        "Куратор",
        "Диплом проверен",
    )
    assert contest["Рассмотрено"] and contest["Дата"] and contest["Добавлено"]
    assert (
        rows["Статья 0"]["Файл подтверждения"].startswith("article0") and rows["Статья 0"]["Уровень"] == "Федеральный"
    )
    assert rows["Вебинар 0"]["Статус"] == "На проверке"


def test_only_released_reviews_give_their_time_coded_comments():
    person, _other = teacher(), teacher()
    rows = ratings_personal_data.export_review_comments(person)
    assert [(r["Момент видео"], r["Комментарий"]) for r in rows] == [
        ("12:40", "Удачный вопрос 0"),
        ("1:02:03", "Итог урока скомкан"),
        ("общее замечание", "В целом хорошо"),
    ]
    assert "Черновой комментарий" not in json.dumps(rows, ensure_ascii=False)


@pytest.mark.parametrize(
    "exporter",
    [
        ratings_personal_data.export_achievements,
        ratings_personal_data.export_review_comments,
        ratings_personal_data.export_reviews,
    ],
    ids=lambda f: f.__name__,
)
def test_exporters_run_the_same_queries_for_one_and_three_seasons(exporter, django_assert_num_queries):
    one, three = teacher(1), teacher(3)
    expected = 2 if exporter is ratings_personal_data.export_reviews else 1  # reviews: the rows and their scores
    with django_assert_num_queries(expected):
        rows_one = exporter(one)
    with django_assert_num_queries(expected):
        rows_three = exporter(three)
    assert len(rows_three) == 3 * len(rows_one) > 0


def _points(person) -> list:
    for enrollment in person.enrollments.select_related("season"):
        rating_recompute(season=enrollment.season)
    return list(
        ParticipantRating.objects.filter(enrollment__person=person)
        .order_by("pk")
        .values_list("achievement_points", "video_points", "total")
    )


def _rows(person) -> str:
    return serializers.serialize("json", Achievement.objects.filter(enrollment__person=person)) + serializers.serialize(
        "json", ReviewComment.objects.filter(review__submission__enrollment__person=person)
    )


def test_erasure_keeps_statuses_and_points_and_removes_texts_and_files(django_capture_on_commit_callbacks):
    person, other = teacher(2), teacher(1)
    points = _points(person)
    assert points[0][0] == 5  # regional 2 + federal 3
    statuses = sorted(Achievement.objects.filter(enrollment__person=person).values_list("level", "status"))
    comments = ReviewComment.objects.filter(review__submission__enrollment__person=person).count()
    files = [a.proof_file for a in Achievement.objects.filter(enrollment__person=person).exclude(proof_file="")]
    storage = files[0].storage
    assert len(files) == 2 and all(storage.exists(f.name) for f in files)
    other_rows = _rows(other)

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            request = person_erase(person=person, by=None)

    assert not any(storage.exists(f.name) for f in files)
    achievements = Achievement.objects.filter(enrollment__person=person)
    assert sorted(achievements.values_list("level", "status")) == statuses
    assert set(achievements.values_list("title", "result", "comment", "proof_url", "proof_file")) == {
        ("Удалено по запросу участника", "", "", ratings_personal_data.ERASED_PROOF_URL, "")
    }
    assert ReviewComment.objects.filter(review__submission__enrollment__person=person).count() == comments
    assert _points(person) == points
    text = _rows(person)
    for original in ["Учитель года", "Победитель", "diplom.example", "article", "Диплом проверен", "Удачный вопрос"]:
        assert original not in text, original
    assert "Итог урока скомкан" not in text and "Черновой комментарий" not in text
    assert "Достижения: удалены названия, результаты и подтверждения (достижений: 6, файлов: 2)" in request.result
    assert _rows(other) == other_rows


def test_a_rolled_back_erasure_keeps_the_proof_files(django_capture_on_commit_callbacks):
    person = teacher()
    proof = Achievement.objects.get(enrollment__person=person, title="Статья 0").proof_file
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            person_erase(person=person, by=None)
            raise RuntimeError("the erasure fails after the erasers ran")
    assert callbacks == []
    assert proof.storage.exists(proof.name)
    assert Achievement.objects.get(pk=proof.instance.pk).title == "Статья 0"
