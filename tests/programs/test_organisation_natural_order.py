"""Organisations in natural order everywhere: «Школа № 2» before «Школа № 10», «ё» as «е», case ignored — one
stored key (programs.Organisation.sort_key, core.natural_sort) that the database orders by."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.natural_sort import natural_sort_key
from participants.models import User
from programs.models import Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMES = ["Школа № 10", "школа № 2", "Ёлочка", "Школа № 1", "Елка", "МБОУ «СОШ № 19»", "МБОУ СОШ № 5"]
NATURAL = ["Елка", "Ёлочка", "МБОУ СОШ № 5", "МБОУ «СОШ № 19»", "Школа № 1", "школа № 2", "Школа № 10"]


def test_the_key_reads_numbers_as_numbers_and_ignores_case_yo_and_quotes():
    assert sorted(NAMES, key=natural_sort_key) == NATURAL
    assert natural_sort_key("ЁЛКА") == natural_sort_key("елка")
    assert natural_sort_key("МБОУ «СОШ № 5»") == natural_sort_key("мбоу сош №5")
    assert set(natural_sort_key("Школа № 2 им. А. С. Пушкина")) <= set("0123456789abcdef")  # any collation agrees


@pytest.fixture
def municipality():
    municipality = MunicipalityFactory()
    for name in NAMES:
        OrganisationFactory(municipality=municipality, short_name=name, name=name)
    return municipality


def test_the_database_lists_organisations_in_natural_order(municipality):
    assert [o.short_name for o in Organisation.objects.filter(municipality=municipality)] == NATURAL


def test_a_renamed_organisation_moves_to_its_place(municipality):
    school = Organisation.objects.get(municipality=municipality, short_name="Школа № 10")
    school.short_name = "Школа № 3"
    school.save(update_fields=["short_name"])
    names = [o.short_name for o in Organisation.objects.filter(municipality=municipality)]
    assert names[-2:] == ["школа № 2", "Школа № 3"]


def test_the_migration_fills_the_keys_of_existing_organisations(municipality):
    Organisation.objects.update(sort_key="")
    migration = import_module("programs.migrations.0010_organisation_sort_key")
    migration.fill_sort_keys(apps, None)
    assert [o.short_name for o in Organisation.objects.filter(municipality=municipality)] == NATURAL


def test_the_registration_form_offers_them_in_natural_order(client, municipality):
    season = SeasonFactory(program__municipality=municipality)
    url = reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})
    html = client.get(url).content.decode()
    positions = [html.index(f">{name}<") for name in ["Школа № 1", "школа № 2", "Школа № 10"]]
    assert positions == sorted(positions)


def test_the_admins_organisation_filter_lists_them_in_natural_order(client, municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(codename="view_staffrosterentry"))
    client.force_login(user)
    html = client.get(reverse("admin:participants_staffrosterentry_changelist")).content.decode()
    positions = [html.index(f"{name}</a>") for name in ["Школа № 1", "школа № 2", "Школа № 10"]]
    assert positions == sorted(positions)
