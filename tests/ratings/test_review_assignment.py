"""Submitted lessons go to the season's reviewers: methodists of the subject and the participant's curator."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from activities.models import Submission
from activities.services import submission_submit
from experts.models import ExpertRole
from ratings.models import ReviewAssignment
from ratings.services import review_assign, review_reassign
from tests.factories import EnrollmentFactory, SeasonFactory, SubjectFactory

from .conftest import coordinator, expert

pytestmark = pytest.mark.django_db


def assigned(submission) -> set:
    return set(ReviewAssignment.objects.filter(submission=submission).values_list("expert_id", "is_manual"))


def submit(world, enrollment, **kwargs):
    return submission_submit(
        enrollment=enrollment,
        assignment=world.assignment,
        link="https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
        topic="Дроби",
        subject=world.subject,
        by=enrollment.person.user,
        **kwargs,
    )


def in_group(world):
    enrollment = EnrollmentFactory(season=world.season)
    world.group.members.create(enrollment=enrollment)
    return enrollment


def test_submitting_assigns_the_methodist_of_the_subject_and_the_curator(world):
    other_subject = expert(world.season, ExpertRole.METHODIST, SubjectFactory(name="Физика"))
    retired = expert(world.season, ExpertRole.METHODIST, world.subject)
    retired.is_active = False
    retired.save()
    submission = submit(world, in_group(world))
    assert assigned(submission) == {(world.methodist.pk, False), (world.curator.pk, False)}
    assert other_subject.pk not in {e for e, _m in assigned(submission)}


def test_season_rules_decide_who_reviews(world):
    world.season.review_by_curator = False
    world.season.save()
    assert assigned(submit(world, in_group(world))) == {(world.methodist.pk, False)}
    world.season.review_by_curator, world.season.review_by_subject_methodist = True, False
    world.season.save()
    assert assigned(submit(world, in_group(world))) == {(world.curator.pk, False)}


def test_a_participant_outside_any_group_goes_to_the_methodist_only(world):
    assert assigned(submit(world, EnrollmentFactory(season=world.season))) == {(world.methodist.pk, False)}


def test_assignment_is_idempotent(world):
    submission = submit(world, in_group(world))
    assert review_assign(submissions=Submission.objects.filter(pk=submission.pk)) == 0
    assert ReviewAssignment.objects.filter(submission=submission).count() == 2


def test_a_replacement_inherits_the_assignments(world):
    enrollment = in_group(world)
    first = submit(world, enrollment)
    psychologist = expert(world.season, ExpertRole.PSYCHOLOGIST)
    ReviewAssignment.objects.create(submission=first, expert=psychologist, is_manual=True)
    Submission.objects.filter(pk=first.pk).update(status=Submission.Status.RETURNED)
    second = submit(world, enrollment)
    assert second.version == 2
    assert assigned(second) == {(world.methodist.pk, False), (world.curator.pk, False), (psychologist.pk, True)}


def test_command_assigns_existing_lessons(world):
    lessons = [world.submission() for _ in range(3)]
    other_season_lesson = EnrollmentFactory()  # another season: left alone with --season
    assert other_season_lesson.season_id != world.season.pk
    call_command("assign_reviews", season=world.season.pk)
    for lesson in lessons:
        assert assigned(lesson) == {(world.methodist.pk, False), (world.curator.pk, False)}
    call_command("assign_reviews")  # a second run adds nothing
    assert ReviewAssignment.objects.count() == 6


@pytest.mark.parametrize("n", [1, 3])
def test_assignment_query_count_does_not_grow(world, django_assert_num_queries, n):
    for _ in range(n):
        world.submission()
    with django_assert_num_queries(9):
        review_assign(submissions=Submission.objects.all())


def test_command_refuses_an_unknown_season(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="не найден"):
        call_command("assign_reviews", season=999999)


def test_reassign_replaces_the_assignees_and_skips_other_seasons(world):
    lesson = world.submission()
    review_assign(submissions=Submission.objects.all())
    foreign_season = SeasonFactory()
    other = expert(world.season, ExpertRole.METHODIST, SubjectFactory(name="Химия"))
    changed, skipped = review_reassign(submissions=Submission.objects.filter(pk__in=[lesson.pk]), expert=other)
    assert (changed, skipped) == (1, [])
    assert assigned(lesson) == {(other.pk, True)}
    stranger = expert(foreign_season, ExpertRole.METHODIST, world.subject)
    changed, skipped = review_reassign(submissions=Submission.objects.filter(pk=lesson.pk), expert=stranger)
    assert changed == 0 and "другого сезона" in skipped[0][1]


def test_coordinator_reassigns_in_bulk_from_the_admin(client, world):
    lessons = [world.submission() for _ in range(2)]
    review_assign(submissions=Submission.objects.all())
    other = expert(world.season, ExpertRole.METHODIST, SubjectFactory(name="Химия"), last_name="Химикова")
    client.force_login(coordinator(world.season.program.municipality))
    url = reverse("admin:activities_submission_changelist")
    data = {"action": "assign_expert", "_selected_action": [s.pk for s in lessons]}
    page = client.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Назначить видеоуроки эксперту" in html and "Химикова" in html
    response = client.post(url, {**data, "apply": "1", "expert": other.pk})
    assert response.status_code == 302
    for lesson in lessons:
        assert assigned(lesson) == {(other.pk, True)}
    # From the assignments' changelist too, back to the methodist.
    url = reverse("admin:ratings_reviewassignment_changelist")
    rows = list(ReviewAssignment.objects.values_list("pk", flat=True))
    response = client.post(
        url, {"action": "reassign", "_selected_action": rows, "apply": "1", "expert": world.methodist.pk}
    )
    assert response.status_code == 302
    assert assigned(lessons[0]) == {(world.methodist.pk, True)}


def test_reassign_page_offers_only_experts_of_the_season(client, world):
    lesson = world.submission()
    stranger = expert(SeasonFactory(program=world.season.program), ExpertRole.METHODIST, world.subject)
    client.force_login(coordinator(world.season.program.municipality))
    url = reverse("admin:activities_submission_changelist")
    data = {"action": "assign_expert", "_selected_action": [lesson.pk], "apply": "1", "expert": stranger.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode() or response.context["form"].errors
    assert not ReviewAssignment.objects.filter(expert=stranger).exists()
