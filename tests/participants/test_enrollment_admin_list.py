"""The coordinators' enrollment list reads only the columns it shows for its rows, in a constant number of
queries, and its actions still work on whole rows."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Enrollment
from tests.factories import EnrollmentFactory, SeasonFactory
from tests.ratings.conftest import coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def season():
    return SeasonFactory()


def test_the_rows_are_read_without_the_columns_the_list_does_not_show(client, season):
    EnrollmentFactory(season=season, person__last_name="Соколова")
    client.force_login(coordinator(season.program.municipality))
    url = reverse("admin:participants_enrollment_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "Соколова" in response.content.decode()
    rows = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "participants_enrollment"."id"')]
    assert len(rows) == 1
    assert '"programs_program"."title"' in rows[0]
    assert '"programs_program"."description"' not in rows[0]
    assert '"participants_person"."birth_date"' not in rows[0]


def test_an_action_from_the_list_gets_whole_rows(client, season):
    enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.APPLIED)
    client.force_login(coordinator(season.program.municipality))
    response = client.post(
        reverse("admin:participants_enrollment_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [enrollment.pk]},
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
