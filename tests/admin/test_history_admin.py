"""The admin's «История» of the rows with an audit trail: scoped like the rest of the admin, read-only."""

import pytest
from django.urls import reverse

from activities.models import Attendance
from participants.models import Enrollment, User
from participants.roles import COORDINATORS, role_groups_ensure
from participants.services import enrollment_exclude
from tests.factories import AttendanceFactory, EnrollmentFactory, MunicipalityFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(role_groups_ensure()[COORDINATORS])
    return user


def _history(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def test_the_coordinator_sees_who_changed_an_enrollment(client):
    enrollment = EnrollmentFactory(status=Enrollment.Status.ACTIVE)
    coordinator = _coordinator(enrollment.season.program.municipality)
    enrollment_exclude(enrollment=enrollment, actor=coordinator, reason="Пропуски")
    client.force_login(coordinator)

    response = client.get(_history(enrollment))

    assert response.status_code == 200
    assert coordinator.email in response.content.decode()


def test_every_history_is_404_for_a_coordinator_of_another_municipality(client):
    attendance = AttendanceFactory()
    review = ReviewFactory()
    enrollment = attendance.enrollment
    client.force_login(_coordinator(MunicipalityFactory()))

    for obj in (enrollment, attendance, review):
        assert client.get(_history(obj)).status_code == 404
    assert client.get(reverse("admin:participants_enrollment_history", args=["nonsense"])).status_code == 404


def test_no_version_can_be_opened_or_reverted(client):
    attendance = AttendanceFactory()
    coordinator = _coordinator(attendance.session.activity.season.program.municipality)
    attendance.status = "late"
    attendance.save()
    version = Attendance.history.filter(id=attendance.pk).earliest()
    client.force_login(coordinator)

    assert client.get(_history(attendance)).status_code == 200
    url = reverse("admin:activities_attendance_simple_history", args=[attendance.pk, version.history_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "present"}).status_code == 404
    assert Attendance.objects.get(pk=attendance.pk).status == "late"


def test_the_history_page_is_in_russian_and_costs_the_same_queries_with_one_record_and_three(
    client, django_assert_num_queries
):
    attendance = AttendanceFactory(status="present")
    coordinator = _coordinator(attendance.session.activity.season.program.municipality)
    client.force_login(coordinator)
    client.get(_history(attendance))

    with django_assert_num_queries(QUERIES):
        html = client.get(_history(attendance)).content.decode()
    assert html.count('class="history-record"') == 1 and "История изменений" in html and "создано" in html

    for status in ("late", "absent"):
        attendance.status = status
        attendance.save()
    with django_assert_num_queries(QUERIES):
        html = client.get(_history(attendance)).content.decode()
    assert html.count('class="history-record"') == 3
    assert "<strong>Отметка</strong>: Опоздал → Отсутствовал" in html


QUERIES = 10
