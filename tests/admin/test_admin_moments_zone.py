"""The admin's moments say their zone in words (core.admin_mixins.ZonedMomentsAdminMixin): a list column or a
read-only field of a date-time reads «6 декабря 2026, 14:05 (время Екатеринбурга, МСК+2)» on the signed-in
coordinator's municipality clock, and the portal's «московское время» for a superuser of no municipality."""

from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from core.admin_mixins import ZonedMomentsAdminMixin
from core.models import JobRun
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

STARTED = datetime(2026, 12, 6, 9, 5, tzinfo=UTC)


def test_every_admin_with_a_moment_shows_it_through_the_mixin():
    bare = [
        type(model_admin).__name__
        for model, model_admin in admin.site._registry.items()
        if any(isinstance(f, models.DateTimeField) for f in model._meta.concrete_fields)
        and not isinstance(model_admin, ZonedMomentsAdminMixin)
    ]
    assert bare == []


@pytest.fixture
def run():
    return JobRun.objects.create(job="kpi_snapshots", trigger="schedule", status="ok", started_at=STARTED)


def test_a_list_column_and_a_read_only_field_say_moscow_time_for_a_superuser(client, run):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:core_jobrun_changelist")).content.decode()
    page = client.get(reverse("admin:core_jobrun_change", args=[run.pk]))

    assert "6 декабря 2026, 12:05 (московское время)" in listing
    assert page.status_code == 200
    assert "6 декабря 2026, 12:05 (московское время)" in page.content.decode()


def test_a_coordinator_reads_them_on_the_municipalitys_clock(client, run):
    municipality = MunicipalityFactory(time_zone="Asia/Yekaterinburg")
    user = UserFactory(is_staff=True, is_superuser=True, municipality=municipality)
    client.force_login(user)  # the sign-in remembers the municipality's zone (participants.middleware)

    page = client.get(reverse("admin:core_jobrun_change", args=[run.pk])).content.decode()

    assert "6 декабря 2026, 14:05 (время Екатеринбурга, МСК+2)" in page


def test_the_column_keeps_its_heading_and_sorts_by_the_field(client, run):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:core_jobrun_changelist"), {"o": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "sortable column-started_at__when sorted ascending" in html
    assert ">Начало</a>" in html
