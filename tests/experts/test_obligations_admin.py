"""The coordinator's page of overdue visits and feedback per season (seed 000 §1.4, §2.2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertGroup, ExpertRole, GroupMember
from participants.models import FeedbackQuestion, User
from participants.roles import role_groups_ensure
from programs.models import VisitPeriod
from tests.factories import (
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    today = timezone.localdate()
    season = SeasonFactory(
        starts_on=today - timedelta(days=200), ends_on=today + timedelta(days=100), visit_period=VisitPeriod.MONTHLY
    )
    FeedbackQuestion.objects.create(season=season, text="Нагрузка", kind="scale")
    return season


def coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(role_groups_ensure()["Координаторы"])
    return user


def url(season):
    return reverse("admin:experts_season_obligations", args=[season.pk])


def fill(season, n):
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    group = ExpertGroup.objects.create(season=season, name=f"Группа {curator.pk}", curator=curator)
    admitted = timezone.now() - timedelta(days=190)
    people = [EnrollmentFactory(season=season, status_changed_at=admitted) for _n in range(n)]
    GroupMember.objects.bulk_create(GroupMember(group=group, enrollment=e) for e in people)
    return curator, people


def test_the_coordinator_sees_overdue_visits_and_missing_feedback_with_admin_links(client, season):
    curator, (teacher,) = fill(season, 1)
    client.force_login(coordinator(season.program.municipality))
    html = client.get(url(season)).content.decode()
    assert "ежемесячно (п. 1.4 положения)" in html
    assert teacher.person.full_name in html and curator.person.short_name in html
    assert reverse("admin:participants_enrollment_change", args=[teacher.pk]) in html
    assert reverse("admin:experts_expertassignment_change", args=[curator.pk]) in html
    assert "просрочено" in html and "Не ответили: участников — 1, экспертов — 1." in html
    index = client.get(reverse("admin:experts_obligations")).content.decode()
    assert url(season) in index
    changelist = client.get(reverse("admin:experts_expertgroup_changelist")).content.decode()
    assert reverse("admin:experts_obligations") in changelist


def test_other_municipality_and_experts_are_refused(client, season):
    client.force_login(coordinator(MunicipalityFactory()))
    assert client.get(url(season)).status_code == 404
    assert url(season) not in client.get(reverse("admin:experts_obligations")).content.decode()
    client.force_login(ExpertAssignmentFactory(season=season).person.user)
    assert client.get(url(season)).status_code == 302  # the admin's login page
    assert client.get(reverse("admin:experts_season_obligations", args=[999999])).status_code == 302


def test_a_missing_season_is_a_404_for_a_coordinator(client, season):
    client.force_login(coordinator(season.program.municipality))
    assert client.get(reverse("admin:experts_season_obligations", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, season):
    response = client.get(url(season))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("n", [1, 3])
def test_page_query_count_does_not_grow_with_participants(client, season, django_assert_num_queries, n):
    fill(season, n)
    fill(season, n)
    client.force_login(coordinator(season.program.municipality))
    client.get(url(season))
    with django_assert_num_queries(12):
        assert client.get(url(season)).status_code == 200
