from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from experts.models import ExpertGroup, ExpertRole, GroupMember, LessonVisit
from experts.selectors import Quarter, visit_coverage
from participants.models import Enrollment, User
from participants.roles import role_groups_ensure
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, MunicipalityFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    return SeasonFactory(starts_on=date(2024, 9, 1), ends_on=date(2025, 5, 31))


@pytest.fixture
def expert(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST)


def people(season, group, n, *, status=Enrollment.Status.ACTIVE):
    result = [EnrollmentFactory(season=season, status=status) for _n in range(n)]
    if group is not None:
        GroupMember.objects.bulk_create(GroupMember(group=group, enrollment=e) for e in result)
    return result


def visit(enrollment, expert, on):
    LessonVisit.objects.create(enrollment=enrollment, expert=expert, visited_on=on, lesson="Урок")


def test_quarter_bounds():
    assert Quarter.of(2025, 1) == Quarter(2025, 1, date(2025, 1, 1), date(2025, 3, 31))
    assert Quarter.of(2024, 4).ends_on == date(2024, 12, 31)
    assert Quarter.of(2025, 2).elapsed(date(2025, 5, 31)) == pytest.approx(61 / 91)


def test_coverage_hand_computed(season, expert):
    g1 = ExpertGroup.objects.create(season=season, name="Группа 1")
    g2 = ExpertGroup.objects.create(season=season, name="Группа 2")
    a = people(season, g1, 3)  # visited: 2 of 3 in Q4 2024 → 66.7 %
    b = people(season, g2, 4)  # visited: 1 of 4 → 25.0 %
    loose = people(season, None, 1)  # no group, visited twice in the quarter → 100 %
    people(season, g1, 1, status=Enrollment.Status.WITHDRAWN)  # not counted
    visit(a[0], expert, date(2024, 10, 1))
    visit(a[1], expert, date(2024, 12, 31))
    visit(a[2], expert, date(2025, 1, 1))  # next quarter
    visit(b[0], expert, date(2024, 11, 15))
    visit(b[1], expert, date(2024, 9, 30))  # previous quarter
    visit(loose[0], expert, date(2024, 10, 2))
    visit(loose[0], expert, date(2024, 10, 3))

    coverage = visit_coverage(season=season, year=2024, quarter=4)

    rows = [(r.group.name if r.group else None, r.active, r.visited, r.share) for r in coverage.rows]
    assert rows == [
        ("Группа 1", 3, 2, Decimal("66.7")),
        ("Группа 2", 4, 1, Decimal("25.0")),
        (None, 1, 1, Decimal("100.0")),
    ]
    # 4 of 8 overall.
    assert (coverage.total.active, coverage.total.visited, coverage.total.share) == (8, 4, Decimal("50.0"))
    empty = visit_coverage(season=SeasonFactory(), year=2024, quarter=4)
    assert empty.rows == [] and empty.total.share is None


@pytest.mark.parametrize("groups", [1, 3])
def test_coverage_query_count(season, expert, django_assert_num_queries, groups):
    for n in range(groups):
        group = ExpertGroup.objects.create(season=season, name=f"Группа {n}")
        visit(people(season, group, 2)[0], expert, date(2024, 10, 5))
    with django_assert_num_queries(2):
        visit_coverage(season=season, year=2024, quarter=4)


def coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(role_groups_ensure()["Координаторы"])
    return user


def url(season, **params):
    base = reverse("admin:experts_visit_coverage", args=[season.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_coordinator_page_with_quarter_selector(client, season, expert):
    group = ExpertGroup.objects.create(season=season, name="Группа 1")
    visit(people(season, group, 2)[0], expert, date(2024, 10, 5))
    client.force_login(coordinator(season.program.municipality))
    page = client.get(url(season, year=2024, quarter=4)).content.decode()
    assert "4 квартал 2024 года" in page and "50.0 %" in page.replace(",", ".")
    assert 'name="quarter"' in page
    changelist = client.get(reverse("admin:experts_expertgroup_changelist")).content.decode()
    assert reverse("admin:experts_visit_coverage", args=[season.pk]) in changelist
    assert client.get(url(season, year="x", quarter=9)).status_code == 200


def test_other_municipality_coordinator_and_non_staff_are_refused(client, season):
    client.force_login(coordinator(MunicipalityFactory()))
    assert client.get(url(season)).status_code == 404
    client.force_login(ExpertAssignmentFactory(season=season).person.user)
    assert client.get(url(season)).status_code == 302  # the admin's login page


def test_anonymous_is_sent_to_login(client, season):
    response = client.get(url(season))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("groups", [1, 3])
def test_coverage_page_query_count(client, season, expert, django_assert_num_queries, groups):
    for n in range(groups):
        group = ExpertGroup.objects.create(season=season, name=f"Группа {n}")
        people(season, group, 2)
    client.force_login(coordinator(season.program.municipality))
    client.get(url(season, year=2024, quarter=4))
    with django_assert_num_queries(7):
        assert client.get(url(season, year=2024, quarter=4)).status_code == 200
