"""/expert/reviews/: assigned lessons first, oldest first; filters; lock state; constant queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from activities.models import Submission
from experts.models import ExpertRole
from ratings.models import Review, ReviewAssignment, ReviewLock
from ratings.services import review_assign, review_take
from tests.factories import EnrollmentFactory, SeasonFactory, SubjectFactory

from .conftest import coordinator, expert

pytestmark = pytest.mark.django_db
URL = reverse("review_queue")


def rows(response) -> list[int]:
    return [row.submission.pk for row in response.context["rows"]]


def test_assigned_first_then_others_oldest_first(client, world):
    old_unassigned = world.submission(days_ago=9)
    new_assigned = world.submission(days_ago=1)
    old_assigned = world.submission(days_ago=3)
    for lesson in (new_assigned, old_assigned):
        ReviewAssignment.objects.create(submission=lesson, expert=world.methodist)
    client.force_login(world.methodist.person.user)
    response = client.get(URL)
    assert rows(response) == [old_assigned.pk, new_assigned.pk, old_unassigned.pk]
    html = response.content.decode()
    assert "назначен вам" in html and "просрочен" in html  # 9 days > review_due_days (7)


def test_columns_show_times_in_the_season_zone_and_the_lock(client, world):
    lesson = world.submission(days_ago=2)
    review_take(submission=lesson, expert=world.curator)
    client.force_login(world.methodist.person.user)
    html = client.get(URL).content.decode()
    local = timezone.localtime(lesson.submitted_at, world.season.tz)
    assert local.strftime("%H:%M") in html
    assert world.curator.person.short_name in html and "Посмотреть" in html
    assert lesson.enrollment.person.full_name in html and "Математика" in html and lesson.topic in html


def test_lock_column_and_links_for_own_other_and_expired_locks(client, world):
    other = world.submission(days_ago=4)
    own = world.submission(days_ago=3)
    expired = world.submission(days_ago=2)
    review_take(submission=other, expert=world.curator)
    review_take(submission=own, expert=world.methodist)
    review_take(submission=expired, expert=world.curator)
    ReviewLock.objects.filter(submission=expired).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(world.methodist.person.user)
    response = client.get(URL)
    html = response.content.decode()
    by_pk = {row.submission.pk: row for row in response.context["rows"]}
    until = timezone.localtime(ReviewLock.objects.get(submission=other).expires_at, world.season.tz)
    # The same text as the date filter in the season's zone, saying whose clock it is (core.zones).
    assert by_pk[other.pk].lock_until == f"{date_format(until, 'j E, H:i')} (время Екатеринбурга, МСК+2)"
    submitted = timezone.localtime(other.submitted_at, world.season.tz)
    assert by_pk[other.pk].submitted == f"{date_format(submitted, 'j E Y, H:i')} (время Екатеринбурга, МСК+2)" in html
    assert f"до {by_pk[other.pk].lock_until}" in html
    assert f'href="{reverse("review_page", args=[other.pk])}">Посмотреть' in html
    assert by_pk[own.pk].locked_by_me and f'href="{reverse("review_page", args=[own.pk])}">Продолжить' in html
    assert by_pk[expired.pk].lock is None
    assert f'action="{reverse("review_take", args=[expired.pk])}"' in html
    assert f'action="{reverse("review_take", args=[other.pk])}"' not in html
    due = timezone.localtime(other.submitted_at + timedelta(days=7), world.season.tz)
    assert by_pk[other.pk].due == date_format(due, "j E Y") and not by_pk[other.pk].overdue


def test_subject_column_names_the_subject_or_a_dash(client, world):
    history = world.submission(days_ago=2, subject=SubjectFactory(name="История"))
    ReviewAssignment.objects.create(submission=history, expert=world.methodist)
    without = world.submission(days_ago=1, subject=None)
    ReviewAssignment.objects.create(submission=without, expert=world.methodist)
    client.force_login(world.methodist.person.user)
    response = client.get(URL)
    by_pk = {row.submission.pk: row for row in response.context["rows"]}
    assert (by_pk[history.pk].subject, by_pk[without.pk].subject) == ("История", "—")
    assert "<td>История</td>" in response.content.decode()


def test_scored_and_foreign_lessons_are_left_out(client, world):
    done = world.submission()
    review = review_take(submission=done, expert=world.curator)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.SUBMITTED)
    physics = world.submission(subject=SubjectFactory(name="Физика"), in_group=False)
    returned = world.submission(status=Submission.Status.RETURNED)
    waiting = world.submission()
    client.force_login(world.methodist.person.user)
    ids = rows(client.get(URL))
    assert waiting.pk in ids
    assert done.pk not in ids and physics.pk not in ids and returned.pk not in ids


def test_filters(client, world):
    other = SubjectFactory(name="Алгебра")
    mine = world.submission(days_ago=1)
    ReviewAssignment.objects.create(submission=mine, expert=world.curator)
    overdue = world.submission(days_ago=10)
    algebra = world.submission(days_ago=2, subject=other)
    client.force_login(world.curator.person.user)
    assert rows(client.get(URL, {"mine": "on"})) == [mine.pk]
    assert rows(client.get(URL, {"overdue": "on"})) == [overdue.pk]
    assert rows(client.get(URL, {"subject": other.pk})) == [algebra.pk]
    assert rows(client.get(URL, {"season": world.season.pk})) == [mine.pk, overdue.pk, algebra.pk]
    # A season the expert does not work in is an invalid choice: the filter is ignored.
    response = client.get(URL, {"season": 999999})
    assert rows(response) == [mine.pk, overdue.pk, algebra.pk]
    assert "По этим условиям видеоуроков нет." in client.get(URL, {"subject": SubjectFactory().pk}).content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_query_count_does_not_grow(client, world, django_assert_num_queries, n):
    for i in range(n):
        lesson = world.submission(days_ago=i)
        if i % 2:
            review_take(submission=lesson, expert=world.curator)
    review_assign(submissions=Submission.objects.all())
    client.force_login(world.methodist.person.user)
    # No COUNT: the page fetches one row more than it shows to know whether there is a next one; the subjects'
    # choices are read once (no COUNT before them either); the page's participants and locks come in one query
    # each, not joined to the queue's query.
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["rows"]) == n
    lessons = Submission.objects.select_related("enrollment__person", "review_lock__expert__person")
    by_pk = {lesson.pk: lesson for lesson in lessons}
    for row in response.context["rows"]:
        lesson = by_pk[row.submission.pk]
        assert row.person.full_name == lesson.enrollment.person.full_name
        held = getattr(lesson, "review_lock", None)
        assert (row.lock.expert.person.short_name if row.lock else None) == (
            held.expert.person.short_name if held else None
        )
    if n == 3:
        # The second lesson is held by the curator: the methodist sees the holder's name.
        assert world.curator.person.short_name in response.content.decode()


def test_an_empty_queue_asks_for_no_people(client, world, django_assert_num_queries):
    client.force_login(world.methodist.person.user)
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.context["rows"] == []


def test_paginated_by_25_without_counting(client, world):
    lessons = [world.submission(days_ago=1, in_group=False) for _ in range(26)]
    client.force_login(world.methodist.person.user)
    first = client.get(URL)
    html = first.content.decode()
    assert len(first.context["rows"]) == 25 and "page=2" in html and "page=0" not in html
    # Oldest first: the lesson submitted last is alone on the second page, which has no next one.
    second = client.get(URL, {"page": 2})
    assert rows(second) == [max(lesson.pk for lesson in lessons)]
    assert "page=1" in second.content.decode() and "page=3" not in second.content.decode()
    # A page past the end (rows taken meanwhile) and a malformed one show the first page.
    for page in ["7", "abc", "-1", "0"]:
        assert rows(client.get(URL, {"page": page})) == rows(first), page


def test_exactly_one_page_has_no_navigation(client, world):
    for _ in range(25):
        world.submission(days_ago=1, in_group=False)
    client.force_login(world.methodist.person.user)
    response = client.get(URL)
    assert len(response.context["rows"]) == 25 and "page=" not in response.content.decode()


def test_expert_of_another_season_teacher_coordinator_and_anonymous(client, world):
    lesson = world.submission()
    client.force_login(expert(SeasonFactory(), ExpertRole.METHODIST, world.subject).person.user)
    response = client.get(URL)
    assert response.status_code == 200 and lesson.pk not in rows(response)
    for user in [lesson.enrollment.person.user, coordinator(world.season.program.municipality)]:
        client.force_login(user)
        response = client.get(URL)
        assert response.status_code == 200
        assert "не входите в экспертную команду" in response.content.decode()
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_ended_season_is_not_in_the_queue(client, world):
    lesson = world.submission()
    today = timezone.localdate()
    world.season.starts_on, world.season.ends_on = today - timedelta(days=300), today - timedelta(days=1)
    world.season.save()
    client.force_login(world.methodist.person.user)
    response = client.get(URL)
    assert "не входите в экспертную команду" in response.content.decode()
    assert lesson.pk


@pytest.mark.parametrize("n", [1, 3])
def test_workspace_panel_counts_with_constant_queries(client, world, django_assert_num_queries, n):
    for i in range(n):
        world.submission(days_ago=10 if i == 0 else 1)
    review_assign(submissions=Submission.objects.all())
    review_take(submission=Submission.objects.order_by("pk").last(), expert=world.methodist)
    EnrollmentFactory(season=world.season)
    client.force_login(world.methodist.person.user)
    # The whole workspace with every app's panels, not only this one; the visits-and-feedback panel reads the
    # seasons' feedback questions in one more query (6 → 7).
    with django_assert_num_queries(7):
        response = client.get(reverse("expert_workspace"))
    html = response.content.decode()
    assert "Проверка видеоуроков" in html and "Открыть очередь проверки" in html
    panel = next(ctx for panel, ctx in response.context["panels"] if panel.key == "ratings.reviews")
    row = panel["rows"][0]
    assert row["season"] == world.season
    assert (row["assigned"], row["overdue"], row["in_progress"], row["waiting"]) == (n, 1, 1, n)
