from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from participants.models import User
from tests.factories import MunicipalityFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_coordinator_sees_admin_times_in_municipality_zone(client):
    municipality = MunicipalityFactory(time_zone="Asia/Vladivostok")
    coordinator = UserFactory(is_staff=True, is_superuser=True, role=User.Role.COORDINATOR, municipality=municipality)
    session = SessionFactory(starts_at=datetime(2025, 3, 3, 1, 0, tzinfo=ZoneInfo("UTC")))
    client.force_login(coordinator)
    page = client.get(reverse("admin:activities_session_change", args=[session.pk])).content.decode()
    assert 'value="11:00:00"' in page  # 01:00 UTC is 11:00 in Vladivostok


def test_without_municipality_the_default_zone_is_used(client, settings):
    user = UserFactory(is_staff=True, is_superuser=True)
    session = SessionFactory(starts_at=datetime(2025, 3, 3, 1, 0, tzinfo=ZoneInfo("UTC")))
    client.force_login(user)
    page = client.get(reverse("admin:activities_session_change", args=[session.pk])).content.decode()
    assert 'value="04:00:00"' in page  # Europe/Moscow, the portal default
