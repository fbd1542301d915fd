"""Cascade training scheduled from the community's page (сид 001: «Внедрение в районе каскадного обучения
педагогических работников с опорой на актив ПРОкомьюнити»): the leader names any trainer of the active, a member of
the active schedules their own group; each mistake gets its Russian message at its field and keeps what was typed;
a plain member, management, another municipality and an anonymous visitor cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from activities.models import ActivityKind
from projects.models import CascadeTraining, CommunityMember, CommunityRole
from tests.factories import EnrollmentFactory, MunicipalityFactory, SeasonFactory, UserFactory

from .communities_fixtures import JOINED, community_with, coordinator_of, management_of, season_of

pytestmark = pytest.mark.django_db

TITLE = "Функциональная грамотность: разбор заданий"


@pytest.fixture
def world():
    season = season_of()
    community, members = community_with(season, 5)
    tutor = CommunityMember.objects.create(
        community=community, enrollment=EnrollmentFactory(season=season), role=CommunityRole.TUTOR, joined_on=JOINED
    )
    trainees = [EnrollmentFactory(season=season) for _ in range(3)]
    return {"season": season, "community": community, "members": members, "tutor": tutor, "trainees": trainees}


def _post(client, world, **changes):
    data = {
        "trainer": world["tutor"].enrollment_id,
        "title": TITLE,
        "starts_at": "2030-03-12T15:00",
        "ends_at": "2030-03-12T17:00",
        "place": "ГБОУ Школа № 1, ауд. 12",
        "trainees": [t.pk for t in world["trainees"]],
    }
    data.update(changes)
    return client.post(reverse("community_training_new", args=[world["community"].pk]), data)


def _leader(world):
    return world["members"][0].enrollment.person.user


def test_the_leader_schedules_a_group_for_a_tutor_of_the_active(client, world):
    client.force_login(_leader(world))
    response = _post(client, world)
    assert response.status_code == 302
    assert response["Location"].endswith("#trainings")
    training = CascadeTraining.objects.get()
    assert training.trainer_id == world["tutor"].enrollment_id
    assert training.session.activity.kind == ActivityKind.TRAINING
    assert set(training.session.invited.values_list("pk", flat=True)) == {t.pk for t in world["trainees"]}
    body = client.get(response["Location"]).content.decode()
    assert "приглашено педагогов: 3" in body and TITLE in body


def test_a_tutor_schedules_their_own_group_but_names_no_one_else(client, world):
    client.force_login(world["tutor"].enrollment.person.user)
    page = client.get(reverse("community_detail", args=[world["community"].pk])).content.decode()
    assert "Назначить занятие каскадного обучения" in page
    leader = world["members"][0].enrollment_id
    refused = _post(client, world, trainer=leader)
    assert refused.status_code == 400
    assert "Занятие проводит лидер или участник актива сообщества." in refused.content.decode()
    assert _post(client, world).status_code == 302
    assert CascadeTraining.objects.get().trainer_id == world["tutor"].enrollment_id


def test_the_coordinator_schedules_too(client, world):
    client.force_login(coordinator_of(world["season"]))
    assert _post(client, world).status_code == 302


def test_a_plain_member_gets_no_form_and_a_403(client, world):
    member = world["members"][2].enrollment.person.user
    client.force_login(member)
    page = client.get(reverse("community_detail", args=[world["community"].pk])).content.decode()
    assert "Назначить занятие каскадного обучения" not in page
    assert _post(client, world, trainer=world["members"][2].enrollment_id).status_code == 403
    assert not CascadeTraining.objects.exists()


def test_management_reads_but_does_not_schedule(client, world):
    client.force_login(management_of(world["season"]))
    assert _post(client, world).status_code == 403


def test_another_municipality_gets_404_and_anonymous_is_sent_to_sign_in(client, world):
    elsewhere = SeasonFactory(program__municipality=MunicipalityFactory(name="Октябрьский район"))
    client.force_login(coordinator_of(elsewhere))
    assert _post(client, world).status_code == 404
    client.force_login(UserFactory())
    assert _post(client, world).status_code == 404
    client.logout()
    response = _post(client, world)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not CascadeTraining.objects.exists()


def _refused(client, world, message, **changes):
    client.force_login(_leader(world))
    response = _post(client, world, **changes)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert not CascadeTraining.objects.exists()
    return body


def test_end_before_start_is_refused_and_nothing_typed_is_lost(client, world):
    body = _refused(client, world, "Окончание должно быть позже начала.", ends_at="2030-03-12T14:00")
    assert f'value="{TITLE}"' in body and "ГБОУ Школа № 1, ауд. 12" in body
    assert 'value="2030-03-12T14:00"' in body
    for trainee in world["trainees"]:
        assert f'value="{trainee.pk}" selected' in body


def test_no_trainees_is_refused(client, world):
    _refused(client, world, "Выберите педагогов, которых обучает группа.", trainees=[])


def test_the_trainer_alone_is_no_group(client, world):
    _refused(client, world, "сам ведущий не в счёт", trainees=[world["tutor"].enrollment_id])


def test_a_trainee_of_another_season_is_refused(client, world):
    stranger = EnrollmentFactory()
    _refused(client, world, "Обучаемые должны быть участниками того же сезона.", trainees=[stranger.pk])


def test_a_plain_member_as_trainer_is_refused(client, world):
    _refused(
        client,
        world,
        "Занятие проводит лидер или участник актива сообщества.",
        trainer=world["members"][3].enrollment_id,
    )


def test_a_missing_topic_is_refused(client, world):
    _refused(client, world, "Обязательное поле.", title="")


def test_a_date_out_of_bounds_is_refused(client, world):
    _refused(client, world, "Укажите дату между", starts_at="1800-01-01T10:00")


def test_the_rule_names_the_active_not_the_plain_members(world):
    from projects.rules_communities import can_schedule_cascade_training, is_community_active

    community = world["community"]
    assert is_community_active(world["tutor"].enrollment.person.user, community)
    assert is_community_active(_leader(world), community)
    assert not is_community_active(world["members"][2].enrollment.person.user, community)
    assert can_schedule_cascade_training(coordinator_of(world["season"]), community)
    assert not can_schedule_cascade_training(management_of(world["season"]), community)
    world["tutor"].left_on = JOINED
    world["tutor"].save(update_fields=["left_on"])
    assert not is_community_active(world["tutor"].enrollment.person.user, community)
