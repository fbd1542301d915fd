"""The admin's bulk actions «Сделать обязательными» / «Сделать необязательными» (activities) and «Вывести из
команды сезона» / «Вернуть в команду сезона» (experts) write set-based through services: after the commit the KPI's data version
is new where the KPI reads the rows (activities), and the coordinator is told how many rows changed."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from activities.models import Activity
from core.cache_versions import current_versions
from experts.models import ExpertAssignment
from reports.kpi_cache import VERSION_KEY
from tests.factories import ActivityFactory, ExpertAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _versions() -> dict:
    return current_versions([VERSION_KEY])


def _run(admin_client, capture, changelist: str, action: str, rows) -> str:
    with capture(execute=True):
        response = admin_client.post(
            reverse(f"admin:{changelist}_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [str(row.pk) for row in rows]},
            follow=True,
        )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("make_mandatory", False, True, "Сделано обязательными мероприятий: 2."),
        ("make_optional", True, False, "Сделано необязательными мероприятий: 2."),
    ],
)
def test_the_mandatory_actions_change_the_rows_and_the_kpi_version(
    admin_client, django_capture_on_commit_callbacks, action, before, after, message
):
    with django_capture_on_commit_callbacks(execute=True):  # the rows' own creation is reported first
        activities = [ActivityFactory(is_mandatory=before), ActivityFactory(is_mandatory=before)]
        untouched = ActivityFactory(is_mandatory=before)
    versions = _versions()
    page = _run(admin_client, django_capture_on_commit_callbacks, "activities_activity", action, activities)
    assert message in page
    assert set(Activity.objects.filter(pk__in=[a.pk for a in activities]).values_list("is_mandatory", flat=True)) == {
        after
    }
    assert Activity.objects.get(pk=untouched.pk).is_mandatory is before
    new = _versions()
    assert new[VERSION_KEY] != versions[VERSION_KEY]


def test_a_mandatory_action_that_changes_nothing_bumps_nothing(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = ActivityFactory(is_mandatory=True)
    versions = _versions()
    page = _run(admin_client, django_capture_on_commit_callbacks, "activities_activity", "make_mandatory", [activity])
    assert "Сделано обязательными мероприятий: 0." in page
    assert _versions() == versions


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("deactivate", True, False, "Выведено из команды сезона экспертов: 1."),
        ("activate", False, True, "Возвращено в команду сезона экспертов: 1."),
    ],
)
def test_the_expert_team_actions_change_the_rows_and_say_how_many(
    admin_client, django_capture_on_commit_callbacks, action, before, after, message
):
    with django_capture_on_commit_callbacks(execute=True):
        expert = ExpertAssignmentFactory(is_active=before)
    page = _run(admin_client, django_capture_on_commit_callbacks, "experts_expertassignment", action, [expert])
    assert message in page
    assert ExpertAssignment.objects.get(pk=expert.pk).is_active is after
