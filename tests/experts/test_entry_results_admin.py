import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import CompetenceTest, EntryInterview, ExpertGroup, ExpertRole, GroupMember
from participants.models import User
from participants.roles import role_groups_ensure
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, MunicipalityFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTES = "Сомневается, что справится с нагрузкой"


@pytest.fixture
def season():
    return SeasonFactory()


@pytest.fixture
def interview(season):
    enrollment = EnrollmentFactory(season=season)
    return EntryInterview.objects.create(enrollment=enrollment, held_on=timezone.localdate(), notes=NOTES)


def staff(municipality=None, *, superuser=False, coordinator=True) -> User:
    user = UserFactory(
        is_staff=True,
        is_superuser=superuser,
        role=User.Role.COORDINATOR if coordinator else User.Role.MANAGEMENT,
        municipality=municipality,
    )
    user.groups.add(role_groups_ensure()["Координаторы" if coordinator else "Руководство"])
    return user


def change_url(interview):
    return reverse("admin:experts_entryinterview_change", args=[interview.pk])


def test_coordinator_reads_and_edits_notes(client, season, interview):
    client.force_login(staff(season.program.municipality))
    page = client.get(change_url(interview)).content.decode()
    assert NOTES in page and 'name="notes"' in page
    response = client.post(
        change_url(interview),
        {"enrollment": interview.enrollment_id, "held_on": interview.held_on.isoformat(), "notes": "Новые заметки"},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.notes == "Новые заметки"


def test_superuser_does_not_see_notes_and_cannot_wipe_them(client, interview):
    client.force_login(staff(superuser=True, coordinator=False))
    page = client.get(change_url(interview)).content.decode()
    assert NOTES not in page and 'name="notes"' not in page
    assert "Скрыто: заметки собеседования читают только куратор участника и координатор." in page
    client.post(
        change_url(interview), {"enrollment": interview.enrollment_id, "held_on": interview.held_on.isoformat()}
    )
    interview.refresh_from_db()
    assert interview.notes == NOTES


def test_management_user_of_the_municipality_does_not_see_notes(client, season, interview):
    client.force_login(staff(season.program.municipality, coordinator=False))
    page = client.get(change_url(interview)).content.decode()
    assert NOTES not in page


def test_staff_curator_of_the_group_reads_notes(client, season, interview):
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    curator.person.user.is_staff = True
    curator.person.user.municipality = season.program.municipality  # staff without one sees nothing
    curator.person.user.save()
    curator.person.user.groups.add(role_groups_ensure()["Координаторы"])
    group = ExpertGroup.objects.create(season=season, name="Группа 1", curator=curator)
    GroupMember.objects.create(group=group, enrollment=interview.enrollment)
    client.force_login(curator.person.user)
    assert NOTES in client.get(change_url(interview)).content.decode()


def test_other_municipality_coordinator_does_not_reach_the_interview(client, interview):
    client.force_login(staff(MunicipalityFactory()))
    response = client.get(change_url(interview))
    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert NOTES not in client.get(response["Location"], follow=True).content.decode()


def test_changelist_never_shows_notes_and_search_does_not_use_them(client, season, interview):
    client.force_login(staff(season.program.municipality))
    url = reverse("admin:experts_entryinterview_changelist")
    page = client.get(url).content.decode()
    assert interview.enrollment.person.full_name in page and NOTES not in page
    found = client.get(url, {"q": "нагрузкой"}).content.decode()
    assert interview.enrollment.person.full_name not in found


def test_competence_test_admin_lists_results_of_own_municipality(client, season):
    mine = CompetenceTest.objects.create(
        enrollment=EnrollmentFactory(season=season),
        platform="Россия — страна возможностей",
        taken_on=timezone.localdate(),
        level="базовый",
        score=55,
        link="https://example.ru/r/1",
    )
    foreign = CompetenceTest.objects.create(
        enrollment=EnrollmentFactory(), platform="Другая платформа", taken_on=timezone.localdate()
    )
    client.force_login(staff(season.program.municipality))
    page = client.get(reverse("admin:experts_competencetest_changelist")).content.decode()
    assert mine.enrollment.person.full_name in page and "https://example.ru/r/1" in page
    assert foreign.enrollment.person.full_name not in page
    add = client.post(
        reverse("admin:experts_competencetest_add"),
        {"enrollment": mine.enrollment_id, "platform": "Платформа", "taken_on": timezone.localdate().isoformat()},
    )
    assert add.status_code == 302


def test_group_admin_curator_limited_to_the_seasons_curators(client, season):
    mine = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    other = ExpertAssignmentFactory(season=SeasonFactory(program=season.program), role=ExpertRole.CURATOR)
    group = ExpertGroup.objects.create(season=season, name="Группа 1")
    client.force_login(staff(season.program.municipality))
    page = client.get(reverse("admin:experts_expertgroup_change", args=[group.pk])).content.decode()
    select = page[page.index('name="curator"') : page.index("</select>", page.index('name="curator"'))]
    assert f'value="{mine.pk}"' in select and f'value="{other.pk}"' not in select
    assert reverse("admin:experts_group_enrollments", args=[season.pk]) in page


def test_group_admin_inline_refuses_a_participant_of_another_group(client, season):
    g1 = ExpertGroup.objects.create(season=season, name="Группа 1")
    g2 = ExpertGroup.objects.create(season=season, name="Группа 2")
    enrollment = EnrollmentFactory(season=season)
    GroupMember.objects.create(group=g1, enrollment=enrollment)
    client.force_login(staff(season.program.municipality))
    data = {
        "season": season.pk,
        "name": "Группа 2",
        "learning_format": "",
        "curator": "",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-enrollment": enrollment.pk,
        "members-0-group": g2.pk,
    }
    response = client.post(reverse("admin:experts_expertgroup_change", args=[g2.pk]), data)
    assert response.status_code == 200
    assert "уже в группе «Группа 1»" in response.content.decode()


def test_group_members_autocomplete_is_limited_to_the_seasons_active_participants(client, season):
    mine = EnrollmentFactory(season=season, person__last_name="Сезонова")
    EnrollmentFactory(season=SeasonFactory(program=season.program), person__last_name="Сезонова-другая")
    client.force_login(staff(season.program.municipality))
    response = client.get(
        reverse("admin:experts_group_enrollments", args=[season.pk]),
        {"term": "Сезонова", "app_label": "experts", "model_name": "groupmember", "field_name": "enrollment"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(mine.pk)]
