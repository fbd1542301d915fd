"""The workspace panel «Посещения и обратная связь» (seed 000 §1.4, §2.2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertGroup, ExpertRole, GroupMember, LessonVisit
from participants.models import FeedbackQuestion
from programs.models import VisitPeriod
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    today = timezone.localdate()
    return SeasonFactory(
        starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=200), visit_period=VisitPeriod.MONTHLY
    )


@pytest.fixture
def curator(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR, person__user=UserFactory())


def members(season, curator, n):
    group, _created = ExpertGroup.objects.get_or_create(season=season, name="Группа 1", defaults={"curator": curator})
    admitted = timezone.now() - timedelta(days=100)
    result = [EnrollmentFactory(season=season, status_changed_at=admitted) for _n in range(n)]
    GroupMember.objects.bulk_create(GroupMember(group=group, enrollment=e) for e in result)
    return result


def page(client, user):
    client.force_login(user)
    return client.get(reverse("expert_workspace")).content.decode()


def test_the_curator_sees_participants_not_visited_with_overdue_months(client, season, curator):
    late, visited = members(season, curator, 2)
    today = timezone.localdate()
    LessonVisit.objects.bulk_create(
        LessonVisit(enrollment=visited, expert=curator, visited_on=today - timedelta(days=d), lesson="Урок")
        for d in range(0, 101, 5)
    )
    html = page(client, curator.person.user)
    assert "Посещения и обратная связь" in html
    assert late.person.full_name in html and "text-bg-danger" in html
    assert visited.person.full_name not in html.split("panel-obligations-title")[1].split("</section>")[0]
    assert f"{reverse('expert_visit_create')}?enrollment={late.pk}" in html


def test_all_visited_says_so(client, season, curator):
    (teacher,) = members(season, curator, 1)
    today = timezone.localdate()
    LessonVisit.objects.bulk_create(
        LessonVisit(enrollment=teacher, expert=curator, visited_on=today - timedelta(days=d), lesson="Урок")
        for d in range(0, 101, 5)
    )
    assert "уроки всех участников посещены в срок" in page(client, curator.person.user)


def test_no_panel_when_the_season_requires_no_visits_and_asks_no_questions(client, season, curator):
    season.visit_period = VisitPeriod.NONE
    season.save(update_fields=["visit_period"])
    members(season, curator, 1)
    assert "Посещения и обратная связь" not in page(client, curator.person.user)


def test_the_experts_own_feedback_is_shown_with_its_due_date_and_a_link(client, season, curator):
    season.visit_period = VisitPeriod.NONE
    season.save(update_fields=["visit_period"])
    FeedbackQuestion.objects.create(season=season, text="Нагрузка", kind="scale")
    psychologist = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST, person__user=UserFactory())
    html = page(client, psychologist.person.user)
    assert "Моя обратная связь за квартал" in html and "ответить до" in html
    assert reverse("expert_feedback", args=[season.pk]) in html


@pytest.mark.parametrize("n", [1, 3])
def test_workspace_query_count_does_not_grow_with_participants(client, season, curator, django_assert_num_queries, n):
    FeedbackQuestion.objects.create(season=season, text="Нагрузка", kind="scale")
    for enrollment in members(season, curator, n):
        LessonVisit.objects.create(enrollment=enrollment, expert=curator, visited_on=season.starts_on, lesson="Урок")
    client.force_login(curator.person.user)
    client.get(reverse("expert_workspace"))
    with django_assert_num_queries(12):
        assert client.get(reverse("expert_workspace")).status_code == 200
