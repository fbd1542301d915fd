from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import Consultation, ExpertGroup, ExpertRole, GroupMember
from experts.services import consultation_log
from participants.models import User
from participants.roles import role_groups_ensure
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Рассказала о травле в коллективе"
TOPIC = "Тревога перед аттестацией"


@pytest.fixture
def season():
    return SeasonFactory()


@pytest.fixture
def psychologist(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST)


@pytest.fixture
def teacher(season):
    return EnrollmentFactory(season=season)


@pytest.fixture
def secret(psychologist, teacher):
    return consultation_log(
        expert=psychologist,
        kind=Consultation.Kind.INDIVIDUAL,
        held_at=timezone.now() - timedelta(hours=2),
        topic=TOPIC,
        participants=[teacher],
        content=SECRET,
    )


def coordinator(season, *, superuser=False) -> User:
    user = UserFactory(
        is_staff=True, is_superuser=superuser, role=User.Role.COORDINATOR, municipality=season.program.municipality
    )
    user.groups.add(role_groups_ensure()["Координаторы"])
    return user


def test_psychologists_consultation_is_confidential_and_others_are_not(secret, season, teacher):
    assert secret.is_confidential
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    plain = consultation_log(
        expert=curator, kind="individual", held_at=timezone.now(), topic="План", participants=[teacher]
    )
    assert not plain.is_confidential


def test_individual_needs_one_and_group_two_participants(psychologist, season):
    a, b = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    with pytest.raises(Exception, match="одним участником"):
        consultation_log(expert=psychologist, kind="individual", held_at=timezone.now(), topic="Т", participants=[a, b])
    with pytest.raises(Exception, match="не меньше двух"):
        consultation_log(expert=psychologist, kind="group", held_at=timezone.now(), topic="Т", participants=[a])
    with pytest.raises(Exception, match="сезона"):
        consultation_log(
            expert=psychologist,
            kind="individual",
            held_at=timezone.now(),
            topic="Т",
            participants=[EnrollmentFactory()],
        )
    group = consultation_log(expert=psychologist, kind="group", held_at=timezone.now(), topic="Т", participants=[a, b])
    assert group.participants.count() == 2


def test_expert_records_a_group_consultation_through_the_form(client, psychologist, season):
    a, b = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    client.force_login(psychologist.person.user)
    url = reverse("expert_consultation_create")
    page = client.get(url).content.decode()
    assert a.person.full_name in page and "конфиденциальны" in page
    when = timezone.localtime(timezone.now() - timedelta(hours=1), season.tz).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "group", "held_at": when, "topic": "Нагрузка", "participants": [a.pk, b.pk], "content": "Обсудили"}
    response = client.post(url, data)
    assert response.status_code == 302
    saved = Consultation.objects.get()
    assert saved.is_confidential and saved.participants.count() == 2
    assert abs((timezone.now() - timedelta(hours=1)) - saved.held_at) < timedelta(minutes=2)
    bad = client.post(url, {**data, "kind": "individual"})
    assert "Индивидуальная консультация проводится с одним участником." in bad.content.decode()
    assert "Нагрузка" in bad.content.decode()


def test_teacher_and_anonymous_cannot_record(client, teacher):
    client.force_login(teacher.person.user)
    assert client.get(reverse("expert_consultation_create")).status_code == 404
    assert client.get(reverse("expert_consultations")).status_code == 404
    client.logout()
    response = client.get(reverse("expert_consultation_create"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_author_reads_the_content(client, secret, psychologist):
    client.force_login(psychologist.person.user)
    assert SECRET in client.get(reverse("expert_consultation", args=[secret.pk])).content.decode()
    listing = client.get(reverse("expert_consultations")).content.decode()
    assert TOPIC in listing and "конфиденциально" in listing


@pytest.mark.parametrize("who", ["coordinator", "superuser", "curator", "participant", "other_psychologist"])
def test_nobody_else_reads_it_in_the_views(client, secret, season, teacher, who):
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    GroupMember.objects.create(
        group=ExpertGroup.objects.create(season=season, name="Г", curator=curator), enrollment=teacher
    )
    user = {
        "coordinator": lambda: coordinator(season),
        "superuser": lambda: coordinator(season, superuser=True),
        "curator": lambda: curator.person.user,
        "participant": lambda: teacher.person.user,
        "other_psychologist": lambda: ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST).person.user,
    }[who]()
    client.force_login(user)
    assert client.get(reverse("expert_consultation", args=[secret.pk])).status_code == 404
    for url in (reverse("expert_consultations"), reverse("expert_workspace"), reverse("cabinet")):
        response = client.get(url)
        body = response.content.decode()
        assert SECRET not in body and TOPIC not in body


@pytest.mark.parametrize("superuser", [False, True])
def test_admin_shows_only_that_it_took_place(client, secret, season, superuser):
    client.force_login(coordinator(season, superuser=superuser))
    listing = client.get(reverse("admin:experts_consultation_changelist"))
    body = listing.content.decode()
    assert listing.status_code == 200 and "Педагог-психолог" in body
    assert SECRET not in body and TOPIC not in body
    change = client.get(reverse("admin:experts_consultation_change", args=[secret.pk]))
    body = change.content.decode()
    assert change.status_code == 200
    assert "Конфиденциально" in body
    assert SECRET not in body and TOPIC not in body and secret.participants.get().person.full_name not in body
    assert client.get(reverse("admin:experts_consultation_history", args=[secret.pk])).status_code == 404


def test_admin_author_with_staff_access_reads_it(client, secret, psychologist):
    user = psychologist.person.user
    user.is_staff = True
    user.municipality = psychologist.season.program.municipality  # staff without one sees nothing
    user.save()
    user.groups.add(role_groups_ensure()["Координаторы"])
    client.force_login(user)
    assert SECRET in client.get(reverse("admin:experts_consultation_change", args=[secret.pk])).content.decode()


def test_coordinator_reads_a_curators_consultation_in_the_admin(client, season, teacher):
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    plain = consultation_log(
        expert=curator, kind="individual", held_at=timezone.now(), topic="План", participants=[teacher], content="Текст"
    )
    client.force_login(coordinator(season))
    body = client.get(reverse("admin:experts_consultation_change", args=[plain.pk])).content.decode()
    assert "Текст" in body and teacher.person.full_name in body


def test_participant_sees_that_it_took_place(client, secret, teacher):
    client.force_login(teacher.person.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert "Консультации" in page and "педагог-психолог" in page and "индивидуальная" in page
    assert SECRET not in page and TOPIC not in page


def test_psychologist_panel_counts_this_month(client, secret, psychologist):
    client.force_login(psychologist.person.user)
    page = client.get(reverse("expert_workspace")).content.decode()
    assert "Консультации психолога" in page
    assert "В этом месяце проведена 1 консультация" in page or "в этом месяце: 1" in page.lower()


@pytest.mark.parametrize("items", [1, 3])
def test_my_consultations_query_count(client, psychologist, teacher, django_assert_num_queries, items):
    for n in range(items):
        consultation_log(
            expert=psychologist, kind="individual", held_at=timezone.now(), topic=f"Тема {n}", participants=[teacher]
        )
    client.force_login(psychologist.person.user)
    with django_assert_num_queries(4):
        assert client.get(reverse("expert_consultations")).status_code == 200


@pytest.mark.parametrize("items", [1, 3])
def test_admin_list_query_count(client, psychologist, teacher, season, django_assert_num_queries, items):
    for n in range(items):
        consultation_log(
            expert=psychologist, kind="individual", held_at=timezone.now(), topic=f"Тема {n}", participants=[teacher]
        )
    client.force_login(coordinator(season))
    client.get(reverse("admin:experts_consultation_changelist"))
    with django_assert_num_queries(9):
        assert client.get(reverse("admin:experts_consultation_changelist")).status_code == 200
