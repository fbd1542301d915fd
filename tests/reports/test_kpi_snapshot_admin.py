"""KPI snapshots in the admin: read-only, a coordinator sees their municipality's only, constant queries."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from participants.models import User
from participants.roles import COORDINATORS
from reports.models import KpiSnapshot
from reports.services import kpi_snapshot_take
from tests.factories import EnrollmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:reports_kpisnapshot_changelist"


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


def _snapshots(n: int) -> list:
    seasons = [SeasonFactory() for _i in range(n)]
    for season in seasons:
        EnrollmentFactory(season=season)
    kpi_snapshot_take(now=timezone.now())
    return seasons


def test_coordinator_sees_own_municipality_read_only(client):
    mine, theirs = _snapshots(2)
    coordinator = _coordinator(mine.program.municipality)
    client.force_login(coordinator)
    response = client.get(reverse(CHANGELIST))
    assert [snapshot.season_id for snapshot in response.context["cl"].result_list] == [mine.pk]
    own = KpiSnapshot.objects.get(season=mine)
    other = KpiSnapshot.objects.get(season=theirs)
    page = client.get(reverse("admin:reports_kpisnapshot_change", args=[own.pk]))
    html = page.content.decode()
    assert "Сохранность контингента" in html and "Участвуют" in html and "1 чел." in html
    assert 'name="_save"' not in html
    assert client.get(reverse("admin:reports_kpisnapshot_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:reports_kpisnapshot_add")).status_code == 403


def test_superuser_sees_all(client):
    _snapshots(2)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(CHANGELIST)).context["cl"].result_count == 2


@pytest.mark.parametrize("n", [1, 3])
def test_changelist_query_count_is_constant(client, django_assert_num_queries, n):
    _snapshots(n)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.get(reverse(CHANGELIST))
    with django_assert_num_queries(7):
        assert client.get(reverse(CHANGELIST)).status_code == 200
