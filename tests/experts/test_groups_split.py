from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts.models import CompetenceTest, ExpertGroup, ExpertRole, GroupMember
from experts.services import group_members_move, groups_split
from participants.models import Enrollment, User
from participants.roles import role_groups_ensure
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    return SeasonFactory()


def participant(season, fmt="", score=None, level=""):
    enrollment = EnrollmentFactory(season=season, preferred_format=fmt)
    if score is not None or level:
        CompetenceTest.objects.create(
            enrollment=enrollment,
            platform="Россия — страна возможностей",
            taken_on=timezone.localdate(),
            score=score,
            level=level,
        )
    return enrollment


def members_of(group) -> set[int]:
    return set(GroupMember.objects.filter(group=group).values_list("enrollment_id", flat=True))


def test_split_by_format_and_balanced_by_score(season):
    a = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR, person__last_name="Антонова")
    b = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR, person__last_name="Борисова")
    mixed = [participant(season, "Смешанный", score=s) for s in (90, 80, 70, 60)]
    online = [participant(season, "Дистанционный  ", score=50)]
    EnrollmentFactory(season=season, status=Enrollment.Status.APPLIED, preferred_format="Смешанный")

    result = groups_split(season=season, size=2, by=None)

    assert result.members_added == 5 and len(result.created) == 3
    groups = list(ExpertGroup.objects.filter(season=season).order_by("name"))
    by_format = {}
    for g in groups:
        by_format.setdefault(g.learning_format, []).append(members_of(g))
    assert by_format["Дистанционный"] == [{online[0].pk}]
    # Strongest and weakest together: 90+60 and 80+70, not 90+80 and 70+60.
    assert sorted(by_format["Смешанный"], key=min) == sorted(
        [{mixed[0].pk, mixed[3].pk}, {mixed[1].pk, mixed[2].pk}], key=min
    )
    # Curators round-robin, the one with fewer groups first.
    curators = sorted(g.curator_id for g in groups)
    assert curators.count(a.pk) == 2 and curators.count(b.pk) == 1


def test_split_balances_levels_when_there_are_no_scores(season):
    people = [participant(season, level=lvl) for lvl in ("базовый", "базовый", "продвинутый", "продвинутый")]
    groups_split(season=season, count=2, by=None)
    for group in ExpertGroup.objects.filter(season=season):
        levels = sorted(
            CompetenceTest.objects.filter(enrollment_id__in=members_of(group)).values_list("level", flat=True)
        )
        assert levels == ["базовый", "продвинутый"]
    assert GroupMember.objects.filter(enrollment__in=people).count() == 4


def test_split_is_idempotent_and_latecomers_fill_existing_groups(season):
    ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    first = [participant(season, "Очный", score=s) for s in (10, 20, 30)]
    groups_split(season=season, size=2, by=None)
    before = {g.pk: members_of(g) for g in ExpertGroup.objects.filter(season=season)}
    again = groups_split(season=season, size=2, by=None)
    assert again.members_added == 0 and again.created == []
    assert {g.pk: members_of(g) for g in ExpertGroup.objects.filter(season=season)} == before

    late = participant(season, "очный", score=15)  # the same format, typed differently
    result = groups_split(season=season, size=2, by=None)
    assert result.created == [] and result.members_added == 1
    grouped = GroupMember.objects.get(enrollment=late).group
    assert len(members_of(grouped)) == 2
    assert {e.pk for e in first} <= set(GroupMember.objects.values_list("enrollment_id", flat=True))


def test_split_by_count_shares_groups_among_formats(season):
    for _n in range(6):
        participant(season, "А")
    for _n in range(2):
        participant(season, "Б")
    result = groups_split(season=season, count=4, by=None)
    created = {}
    for g in result.created:
        created.setdefault(g.learning_format, 0)
        created[g.learning_format] += 1
    assert created == {"А": 3, "Б": 1}
    assert result.without_curator


def test_split_refuses_both_or_neither(season):
    with pytest.raises(ValidationError):
        groups_split(season=season, by=None)
    with pytest.raises(ValidationError):
        groups_split(season=season, size=2, count=2, by=None)


@pytest.mark.parametrize("people", [1, 3])
def test_split_runs_a_constant_number_of_queries(season, django_assert_num_queries, people):
    ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR)
    for n in range(people):
        participant(season, f"Формат {n % 2}", score=n)
    with django_assert_num_queries(10):
        groups_split(season=season, size=2, by=None)


def test_members_move_within_the_season_only(season):
    g1 = ExpertGroup.objects.create(season=season, name="Группа 1")
    g2 = ExpertGroup.objects.create(season=season, name="Группа 2")
    e1, e2 = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    GroupMember.objects.create(group=g1, enrollment=e1)
    assert group_members_move(enrollments=[e1, e2], group=g2, by=None) == 2
    assert members_of(g2) == {e1.pk, e2.pk} and members_of(g1) == set()
    assert group_members_move(enrollments=[e1], group=g2, by=None) == 0
    with pytest.raises(ValidationError, match="не из этого сезона"):
        group_members_move(enrollments=[EnrollmentFactory()], group=g1, by=None)


def _coordinator(season) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    user.groups.add(role_groups_ensure()["Координаторы"])
    return user


def test_admin_split_page_and_button(client, season):
    participant(season, "Очный", score=Decimal("5"))
    client.force_login(_coordinator(season))
    changelist = client.get(reverse("admin:experts_expertgroup_changelist")).content.decode()
    assert reverse("admin:experts_groups_split") in changelist and "Распределить по группам" in changelist
    url = reverse("admin:experts_groups_split")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"season": season.pk, "by": "size", "number": "0"})
    assert "Число должно быть не меньше 1." in bad.content.decode()
    response = client.post(url, {"season": season.pk, "by": "size", "number": "10"})
    assert response.status_code == 302
    assert ExpertGroup.objects.filter(season=season).count() == 1


def test_admin_split_page_offers_only_own_municipality_seasons(client, season):
    other = SeasonFactory()
    client.force_login(_coordinator(season))
    response = client.post(reverse("admin:experts_groups_split"), {"season": other.pk, "by": "size", "number": "5"})
    assert response.status_code == 200
    assert not ExpertGroup.objects.filter(season=other).exists()


def test_admin_move_action(client, season):
    g1 = ExpertGroup.objects.create(season=season, name="Группа 1")
    g2 = ExpertGroup.objects.create(season=season, name="Группа 2")
    member = GroupMember.objects.create(group=g1, enrollment=EnrollmentFactory(season=season))
    client.force_login(_coordinator(season))
    url = reverse("admin:experts_groupmember_changelist")
    page = client.post(url, {"action": "move_to_group", "_selected_action": [member.pk]})
    assert "Перевести в группу" in page.content.decode()
    client.post(url, {"action": "move_to_group", "_selected_action": [member.pk], "apply": "1", "group": g2.pk})
    member.refresh_from_db()
    assert member.group == g2
