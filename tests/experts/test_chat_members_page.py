"""The technical specialist's page of the season's chat members (seed 000 §4.4; appendix: the technical specialist
runs the chat): who said they joined, who is confirmed; confirming the ticked ones."""

import pytest
from django.urls import reverse

from experts.models import ExpertRole
from experts.rules import can_confirm_chat_membership
from participants.models import Enrollment, User
from participants.services_chat import chat_join_claim
from tests.activities.exclusion_fixtures import coordinator
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

CHAT = "https://vk.me/join/season-chat"


def _specialist(season, role=ExpertRole.TECH_SPECIALIST) -> User:
    return ExpertAssignmentFactory(
        season=season, role=role, person__user=UserFactory(role=User.Role.EXPERT)
    ).person.user


def _page(season):
    return reverse("expert_chat_members", args=[season.pk])


@pytest.fixture
def season():
    return SeasonFactory(chat_url=CHAT)


def test_the_specialist_sees_claimed_and_confirmed_and_confirms(client, season):
    claimed = EnrollmentFactory(season=season, person__last_name="Сообщившая")
    chat_join_claim(enrollment=claimed, by=claimed.person.user)
    silent = EnrollmentFactory(season=season, person__last_name="Молчащий")
    EnrollmentFactory(season=season, person__last_name="Выбывший", status=Enrollment.Status.WITHDRAWN)
    me = _specialist(season)
    client.force_login(me)

    html = client.get(_page(season)).content.decode()
    assert "Сообщившая" in html and "ждёт подтверждения" in html and "Молчащий" in html
    assert "Выбывший" not in html  # only the active participants are expected in the chat

    response = client.post(_page(season), {"enrollment": [claimed.pk]}, follow=True)
    assert "Вступление в чат подтверждено: 1." in response.content.decode()
    claimed.refresh_from_db()
    silent.refresh_from_db()
    assert claimed.chat_joined_at is not None and claimed.chat_join_confirmed_by == me
    assert silent.chat_joined_at is None


def test_another_seasons_enrollment_posted_here_is_not_touched(client, season):
    stranger = EnrollmentFactory()
    client.force_login(_specialist(season))
    client.post(_page(season), {"enrollment": [stranger.pk]})
    stranger.refresh_from_db()
    assert stranger.chat_joined_at is None


@pytest.mark.parametrize("junk", ["²", "9" * 40, "-1", "1.5", ""])
def test_posted_ids_of_any_shape_are_refused_without_a_500(client, season, junk):
    member = EnrollmentFactory(season=season)
    client.force_login(_specialist(season))
    response = client.post(_page(season), {"enrollment": [junk]}, follow=True)
    assert response.status_code == 200
    assert "Отметьте участников, чьё вступление в чат вы подтверждаете." in response.content.decode()
    member.refresh_from_db()
    assert member.chat_joined_at is None


@pytest.mark.parametrize(
    "who",
    ["participant", "other_participant", "curator", "other_seasons_specialist", "other_municipality_coordinator"],
)
def test_nobody_else_sees_or_confirms(client, season, who):
    member = EnrollmentFactory(season=season, person__last_name="Участница")
    users = {
        "participant": lambda: member.person.user,
        "other_participant": lambda: EnrollmentFactory(season=season).person.user,
        "curator": lambda: _specialist(season, ExpertRole.CURATOR),
        "other_seasons_specialist": lambda: _specialist(SeasonFactory(program=season.program)),
        "other_municipality_coordinator": lambda: coordinator(SeasonFactory().program.municipality),
    }
    client.force_login(users[who]())
    assert client.get(_page(season)).status_code == 404
    assert client.post(_page(season), {"enrollment": [member.pk]}).status_code == 404
    member.refresh_from_db()
    assert member.chat_joined_at is None


def test_an_anonymous_visitor_is_sent_to_log_in(client, season):
    response = client.get(_page(season))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_seasons_coordinator_may_confirm(client, season):
    assert can_confirm_chat_membership(coordinator(season.program.municipality), season)
    client.force_login(coordinator(season.program.municipality))
    assert client.get(_page(season)).status_code == 200


def test_an_unknown_season_is_404(client, season):
    client.force_login(_specialist(season))
    assert client.get(reverse("expert_chat_members", args=[999_999])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_constant_queries(client, django_assert_num_queries, season, count):
    me = _specialist(season)
    confirmer = coordinator(season.program.municipality)
    for n in range(count):
        claimed = EnrollmentFactory(season=season, person__last_name=f"Сообщил {n}")
        chat_join_claim(enrollment=claimed, by=claimed.person.user)
        done = EnrollmentFactory(season=season, person__last_name=f"Подтверждён {n}")
        done.chat_joined_at, done.chat_join_confirmed_by = done.status_changed_at, confirmer
        done.save()
        EnrollmentFactory(season=season, person__last_name=f"Молчит {n}")
    client.force_login(me)
    # session, user with person, season, the permission (the specialist's assignment), the participants
    with django_assert_num_queries(5):
        response = client.get(_page(season))
    assert len(response.context["members"]) == 3 * count
    assert (response.context["claimed"], response.context["confirmed"]) == (count, count)


def test_the_workspace_links_the_specialist_to_the_page(client, season):
    claimed = EnrollmentFactory(season=season)
    chat_join_claim(enrollment=claimed, by=claimed.person.user)
    client.force_login(_specialist(season))
    html = client.get(reverse("expert_workspace")).content.decode()
    assert _page(season) in html and "ждут подтверждения: 1" in html
