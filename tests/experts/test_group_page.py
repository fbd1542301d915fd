from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import CompetenceTest, EntryInterview, ExpertGroup, ExpertRole, GroupMember, LessonVisit
from participants.models import User
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTES = "Боится открытых уроков"


@pytest.fixture
def season():
    today = timezone.localdate()
    return SeasonFactory(starts_on=today - timedelta(days=400), ends_on=today + timedelta(days=200))


@pytest.fixture
def curator(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)


@pytest.fixture
def group(season, curator):
    return ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator, learning_format="Очный")


def add_member(group, *, visited_days_ago=None):
    enrollment = EnrollmentFactory(season=group.season)
    GroupMember.objects.create(group=group, enrollment=enrollment)
    CompetenceTest.objects.create(
        enrollment=enrollment,
        platform="Россия — страна возможностей",
        taken_on=timezone.localdate(),
        level="продвинутый",
        score=87,
        link="https://example.ru/result/1",
    )
    EntryInterview.objects.create(enrollment=enrollment, held_on=timezone.localdate(), notes=NOTES)
    if visited_days_ago is not None:
        LessonVisit.objects.create(
            enrollment=enrollment,
            expert=group.curator,
            visited_on=timezone.localdate() - timedelta(days=visited_days_ago),
            lesson="Дроби",
        )
    return enrollment


def url(group):
    return reverse("expert_group", args=[group.pk])


def test_curator_sees_members_results_and_notes(client, group, curator):
    member = add_member(group, visited_days_ago=0)
    client.force_login(curator.person.user)
    page = client.get(url(group)).content.decode()
    assert member.person.full_name in page
    assert "продвинутый" in page and "87" in page and "https://example.ru/result/1" in page
    assert NOTES in page
    assert "посещён в этом квартале" in page
    assert f"{reverse('expert_visit_create')}?enrollment={member.pk}" in page
    assert f"{reverse('expert_consultation_create')}?enrollment={member.pk}" in page


def test_coordinator_sees_notes(client, group, season):
    add_member(group)
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    client.force_login(user)
    page = client.get(url(group)).content.decode()
    assert NOTES in page and "не посещён в этом квартале" in page


def test_methodist_reads_without_notes(client, group, season):
    add_member(group)
    methodist = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)
    client.force_login(methodist.person.user)
    response = client.get(url(group))
    assert response.status_code == 200
    assert NOTES not in response.content.decode()
    assert "продвинутый" in response.content.decode()


@pytest.mark.parametrize(
    "who",
    ["other_curator", "other_season_methodist", "teacher", "member", "psychologist", "other_coordinator"],
)
def test_others_get_404(client, group, season, who):
    member = add_member(group)
    user = {
        "other_curator": lambda: ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR).person.user,
        "other_season_methodist": lambda: ExpertAssignmentFactory(role=ExpertRole.METHODIST).person.user,
        "teacher": lambda: PersonFactory().user,
        "member": lambda: member.person.user,
        "psychologist": lambda: ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST).person.user,
        "other_coordinator": lambda: UserFactory(is_staff=True, role=User.Role.COORDINATOR),
    }[who]()
    client.force_login(user)
    assert client.get(url(group)).status_code == 404


def test_anonymous_is_sent_to_login(client, group):
    response = client.get(url(group))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unknown_group_is_404(client, curator):
    client.force_login(curator.person.user)
    assert client.get(reverse("expert_group", args=[9999])).status_code == 404


@pytest.mark.parametrize("members", [1, 3])
def test_group_page_query_count(client, group, curator, django_assert_num_queries, members):
    for _n in range(members):
        add_member(group, visited_days_ago=1)
    client.force_login(curator.person.user)
    with django_assert_num_queries(5):
        assert client.get(url(group)).status_code == 200


def test_workspace_panel_counts_not_visited(client, group, curator):
    add_member(group, visited_days_ago=0)
    add_member(group)
    client.force_login(curator.person.user)
    page = client.get(reverse("expert_workspace")).content.decode()
    assert "Моя группа" in page and url(group) in page
    assert "2 участника" in page
    assert "квартале: 1" in page


@pytest.mark.parametrize("members", [1, 3])
def test_workspace_panel_query_count(client, group, curator, django_assert_num_queries, members):
    for _n in range(members):
        add_member(group)
    client.force_login(curator.person.user)
    # The whole workspace with every app's panels (the curator also sees reviews and achievements); the
    # «Посещения и обратная связь» panel reads the season's feedback questions (none here, so nothing more).
    with django_assert_num_queries(9):
        assert client.get(reverse("expert_workspace")).status_code == 200
