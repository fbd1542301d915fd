"""Submitting a video lesson assigns its reviewers in the same transaction: should the assignment fail, nothing
is submitted and the teacher is told so in Russian, with what they typed kept in the form."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from activities.models import Submission
from activities.services import submission_submit
from ratings.models import ReviewAssignment

pytestmark = pytest.mark.django_db

MP4 = (24).to_bytes(4, "big") + b"ftypisom\x00\x00\x02\x00isomiso2" + (8).to_bytes(4, "big") + b"free" + bytes(64)
REFUSAL = "Видеоурок не удалось передать экспертам на проверку, поэтому он не сдан."


def _member(world):
    enrollment = world.submission().enrollment
    Submission.objects.filter(enrollment=enrollment).delete()
    return enrollment


def _submit(world, enrollment, **kwargs):
    kwargs.setdefault("link", "https://rutube.ru/video/0123456789abcdef0123456789abcdef/")
    return submission_submit(
        enrollment=enrollment,
        assignment=world.assignment,
        topic="Дроби",
        subject=world.subject,
        by=enrollment.person.user,
        **kwargs,
    )


def _refuse_review_assignments() -> None:
    """A database rule that refuses every new review assignment: a real failure inside the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_review() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'review assignments refused'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_review BEFORE INSERT ON ratings_reviewassignment "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_review()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_review BEFORE INSERT ON ratings_reviewassignment "
                "BEGIN SELECT RAISE(ABORT, 'review assignments refused'); END"
            )


def test_the_reviewers_are_assigned_before_the_submission_commits(world, django_capture_on_commit_callbacks):
    enrollment = _member(world)
    with transaction.atomic(), django_capture_on_commit_callbacks():
        submission = _submit(world, enrollment)
        # Still inside the submission's transaction, nothing run after a commit yet.
        assert set(ReviewAssignment.objects.filter(submission=submission).values_list("expert_id", flat=True)) == {
            world.methodist.pk,
            world.curator.pk,
        }


def test_a_failed_assignment_submits_nothing_and_keeps_no_file(world, settings):
    enrollment = _member(world)
    _refuse_review_assignments()
    with pytest.raises(ValidationError) as exc_info:
        _submit(world, enrollment, link=None, file=SimpleUploadedFile("lesson.mp4", MP4, content_type="video/mp4"))
    assert REFUSAL in " ".join(exc_info.value.messages)
    assert not Submission.objects.filter(enrollment=enrollment).exists()
    stored = settings.MEDIA_ROOT / "submissions"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_a_failed_replacement_keeps_the_previous_version_current(world):
    enrollment = _member(world)
    first = _submit(world, enrollment)
    _refuse_review_assignments()
    with pytest.raises(ValidationError):
        _submit(world, enrollment)
    first.refresh_from_db()
    assert first.is_current
    assert list(Submission.objects.filter(enrollment=enrollment).values_list("pk", flat=True)) == [first.pk]
    assert ReviewAssignment.objects.filter(submission=first).exists()


def test_the_page_shows_the_refusal_and_keeps_what_the_teacher_typed(world, client):
    enrollment = _member(world)
    _refuse_review_assignments()
    client.force_login(enrollment.person.user)
    response = client.post(
        reverse("video_assignment", args=[world.assignment.pk]),
        {
            "video_url": "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
            "topic": "Сложение дробей с разными знаменателями",
            "subject": world.subject.pk,
            "grade": "6",
            "reflection": "Ученики сами вывели правило",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSAL in page
    assert "Сложение дробей с разными знаменателями" in page
    assert "Ученики сами вывели правило" in page
    assert not Submission.objects.filter(enrollment=enrollment).exists()
