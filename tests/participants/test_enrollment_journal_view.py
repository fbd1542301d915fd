"""«Журнал изменений» of an enrollment in the admin: the coordinators and management of its municipality read
everything the audit trail recorded for the participant in the season, newest first; nobody else sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from activities.services import attendance_mark
from participants.models import Enrollment, User
from participants.roles import COORDINATORS, MANAGEMENT, role_groups_ensure
from participants.services import enrollment_exclude
from ratings.models import Review
from tests.factories import (
    ActivityFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    ReviewFactory,
    SessionFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _staff(municipality, role, group) -> User:
    user = UserFactory(is_staff=True, role=role, municipality=municipality)
    user.groups.add(role_groups_ensure()[group])
    return user


def _url(enrollment) -> str:
    return reverse("admin:participants_enrollment_journal", args=[enrollment.pk])


def _marked(enrollment, coordinator, status="absent"):
    session = SessionFactory(
        activity=ActivityFactory(season=enrollment.season, title="Установочный семинар"),
        starts_at=timezone.now() - timedelta(hours=3),
    )
    attendance_mark(session=session, marks={enrollment.pk: (status, "")}, by=coordinator)
    return session


@pytest.fixture
def enrollment():
    # Admitted before the sessions the tests mark (a participant is expected only at sessions after admission).
    return EnrollmentFactory(
        status=Enrollment.Status.ACTIVE,
        person__last_name="Смирнова",
        status_changed_at=timezone.now() - timedelta(days=30),
    )


@pytest.fixture
def coordinator(enrollment):
    return _staff(enrollment.season.program.municipality, User.Role.COORDINATOR, COORDINATORS)


def test_the_coordinator_reads_every_kind_of_change_newest_first(client, enrollment, coordinator):
    _marked(enrollment, coordinator)
    review = ReviewFactory(submission=SubmissionFactory(enrollment=enrollment, assignment__activity__title="Урок"))
    review.status, review.total_score = Review.Status.SUBMITTED, 7
    review.save()
    enrollment_exclude(enrollment=enrollment, actor=coordinator, reason="Пропуски")
    client.force_login(coordinator)

    html = client.get(_url(enrollment)).content.decode()

    assert "Журнал изменений" in html
    body = html[html.index('id="journal"') :]
    # Newest first: the exclusion, then the review's score, then its start, the mark, the enrollment itself.
    assert body.index("Исключён") < body.index("Оценка выставлена") < body.index("Установочный семинар")
    assert "<strong>статус</strong>: Участвует → Исключён" in body
    assert "<strong>отметка</strong>: — → Отсутствовал" in body
    assert "Рецензия на видеоурок «Урок», версия 1" in body
    assert str(coordinator) in body or coordinator.get_full_name() in body


def test_management_of_the_municipality_reads_it(client, enrollment):
    client.force_login(_staff(enrollment.season.program.municipality, User.Role.MANAGEMENT, MANAGEMENT))
    assert client.get(_url(enrollment)).status_code == 200


def test_the_enrollment_page_links_to_the_journal_for_its_readers_only(client, enrollment, coordinator):
    change = reverse("admin:participants_enrollment_change", args=[enrollment.pk])
    client.force_login(coordinator)
    assert _url(enrollment) in client.get(change).content.decode()
    other_staff = UserFactory(is_staff=True, role=User.Role.EXPERT, municipality=enrollment.season.program.municipality)
    other_staff.user_permissions.add(*role_groups_ensure()[MANAGEMENT].permissions.filter(codename="view_enrollment"))
    client.force_login(other_staff)
    page = client.get(change)
    assert page.status_code == 200 and _url(enrollment) not in page.content.decode()


def test_nobody_else_gets_the_journal(client, enrollment):
    municipality = enrollment.season.program.municipality
    elsewhere = _staff(MunicipalityFactory(), User.Role.COORDINATOR, COORDINATORS)
    expert = UserFactory(is_staff=True, role=User.Role.EXPERT, municipality=municipality)
    expert.user_permissions.add(*role_groups_ensure()[MANAGEMENT].permissions.filter(codename="view_enrollment"))

    for user in (elsewhere, expert):
        client.force_login(user)
        assert client.get(_url(enrollment)).status_code == 404
    client.force_login(enrollment.person.user)
    assert client.get(_url(enrollment))["Location"].startswith(reverse("admin:login"))
    client.logout()
    assert client.get(_url(enrollment))["Location"].startswith(reverse("admin:login"))


def test_the_page_costs_the_same_queries_with_one_change_and_with_three(
    client, enrollment, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(_url(enrollment))
    with django_assert_num_queries(17):
        response = client.get(_url(enrollment))
    assert response.content.decode().count('class="journal-entry"') == 1

    _marked(enrollment, coordinator)
    enrollment_exclude(enrollment=enrollment, actor=coordinator, reason="Пропуски")
    with django_assert_num_queries(17):
        response = client.get(_url(enrollment))
    assert response.content.decode().count('class="journal-entry"') == 3


def test_a_long_journal_is_paginated(client, enrollment, coordinator):
    session = _marked(enrollment, coordinator)
    for n in range(30):
        attendance_mark(session=session, marks={enrollment.pk: ("present" if n % 2 else "late", "")}, by=coordinator)
    client.force_login(coordinator)

    first = client.get(_url(enrollment)).content.decode()
    second = client.get(_url(enrollment) + "?p=2").content.decode()

    assert first.count('class="journal-entry"') == 25 and "Страница 1 из 2" in first
    assert second.count('class="journal-entry"') == 7  # 30 + the first mark + the enrollment
    assert Attendance.history.filter(enrollment=enrollment).count() == 31
