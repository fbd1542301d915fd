"""The cabinet section «Профессиональные сообщества»: a member sees their communities, points and level, and the
cascade training they led («провёл занятие»); a teacher in no community sees no section; personal data export
and erasure of the communities' part."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from activities.models import Attendance
from participants.personal_data import personal_data_collect, run_erasers
from projects.models import AcceleratorDirection, AcceleratorSupport, Practice
from projects.services_communities import cascade_training_schedule, practice_add, practice_rate
from tests.factories import EnrollmentFactory

from .communities_fixtures import community_with, coordinator_of, season_of

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Moscow")
HELD = datetime(2024, 10, 15, 16, 0, tzinfo=TZ)


def test_member_sees_points_and_the_training_led(client):
    season = season_of()
    community, members = community_with(season, 5)
    leader = members[0].enrollment
    trainee = EnrollmentFactory(season=season)
    training = cascade_training_schedule(
        community=community,
        trainer=leader,
        title="Формирующее оценивание",
        starts_at=HELD,
        ends_at=HELD + timedelta(hours=1),
        trainees=[trainee],
        by=coordinator_of(season),
    )
    Attendance.objects.create(session=training.session, enrollment=trainee, status=Attendance.Status.PRESENT)
    client.force_login(leader.person.user)
    body = client.get(reverse("cabinet")).content.decode()
    assert "Профессиональные сообщества" in body and community.name in body
    assert "Формирующее оценивание" in body and "провёл занятие" in body
    assert "10</span> баллов" in body  # a group trained: 10 by the portal's default


def test_teacher_in_no_community_sees_no_section_and_joining_shows_it(client):
    season = season_of()
    teacher = EnrollmentFactory(season=season)
    client.force_login(teacher.person.user)
    assert "my-communities" not in client.get(reverse("cabinet")).content.decode()
    community, _members = community_with(season, 5)
    from projects.models import CommunityMember

    CommunityMember.objects.create(community=community, enrollment=teacher, joined_on=HELD.date())
    assert "my-communities" in client.get(reverse("cabinet")).content.decode()


def test_the_section_links_the_communities_and_the_lab_map_of_the_teachers_town(client):
    from projects.models import CompetenceTheme

    season = season_of()
    town = season.program.municipality
    _community, members = community_with(season, 5)
    person = members[1].enrollment.person
    person.organisation.municipality = town
    person.organisation.save(update_fields=["municipality"])
    client.force_login(person.user)
    body = client.get(reverse("cabinet")).content.decode()
    assert reverse("communities_index") in body
    assert reverse("lab_map", args=[town.pk]) not in body  # the district has no lab: no link to a 404
    CompetenceTheme.objects.create(municipality=town, title="Развивающая среда")
    client.force_login(person.user)
    body = client.get(reverse("cabinet")).content.decode()
    assert reverse("lab_map", args=[town.pk]) in body
    assert client.get(reverse("lab_map", args=[town.pk])).status_code == 200


def test_personal_data_exported_and_erased():
    season = season_of()
    community, members = community_with(season, 5)
    author = members[0]
    practice = practice_add(
        community=community,
        kind="practice",
        title="Квест по истории",
        description="Подробности о классе",
        link="https://example.ru/q",
        by=author.enrollment.person.user,
    )
    practice_rate(practice=practice, score=4, comment="Личный комментарий", by=members[1].enrollment.person.user)
    AcceleratorSupport.objects.create(
        enrollment=author.enrollment, direction=AcceleratorDirection.INNOVATIONS, goal="Стать методистом района"
    )
    sections = {s.key: s for s in personal_data_collect(author.enrollment.person)}
    assert sections["projects.practices"].rows[0]["Название"] == "Квест по истории"
    assert sections["projects.community_members"].rows[0]["Сообщество"] == community.name
    assert sections["projects.accelerator"].rows[0]["Цель"] == "Стать методистом района"
    rater_sections = {s.key: s for s in personal_data_collect(members[1].enrollment.person)}
    assert rater_sections["projects.practice_ratings"].rows[0]["Комментарий"] == "Личный комментарий"
    run_erasers(author.enrollment.person)
    practice = Practice.objects.get(pk=practice.pk)
    assert practice.description == "Удалено по запросу участника" and practice.hidden_at is not None
    assert AcceleratorSupport.objects.get(enrollment=author.enrollment).goal == "Удалено по запросу участника"
    run_erasers(members[1].enrollment.person)
    assert practice.ratings.get().comment == "Удалено по запросу участника"
