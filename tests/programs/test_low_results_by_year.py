"""Schools of low results by year (сид 001, «Школа – Школе»): the yearly fact is the record, the organisation's
current mark is its latest year's, whichever way the facts are written — the service, the yearly facts' admin,
the organisation page's inline rows, a deletion, the list actions. Organisations without yearly facts keep their
mark (no year is guessed for them)."""

import pytest
from django.contrib.auth.models import Permission
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from participants.models import User
from programs.models import Organisation, OrganisationYearFacts
from programs.services import organisation_low_results_mark, organisation_low_results_sync
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_marks_follow_the_latest_year():
    """The guard: no organisation with yearly facts has a current mark other than its latest year's."""
    latest = OrganisationYearFacts.objects.filter(organisation=OuterRef("pk")).order_by("-year").values("low_results")
    disagree = (
        Organisation.objects.filter(year_facts__isnull=False)
        .distinct()
        .annotate(latest=Subquery(latest[:1]))
        .exclude(low_results=F("latest"))
    )
    assert list(disagree.values_list("short_name", flat=True)) == []


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="programs"))
    return user


@pytest.fixture
def town():
    return MunicipalityFactory(name="Московский район")


def test_marking_a_year_creates_or_updates_its_facts_and_the_current_mark_follows(town):
    school = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 500")
    facts = OrganisationYearFacts.objects.create(organisation=school, year=2025, methodical_associations=4)
    organisation_low_results_mark(organisation_ids=[school.pk], year=2025, low_results=True)
    facts.refresh_from_db()
    assert facts.low_results and facts.methodical_associations == 4  # the other facts of the year stay
    school.refresh_from_db()
    assert school.low_results
    organisation_low_results_mark(organisation_ids=[school.pk], year=2026, low_results=False)
    school.refresh_from_db()
    assert not school.low_results
    assert OrganisationYearFacts.objects.get(organisation=school, year=2025).low_results  # 2025 stays a ШНОР year
    assert_marks_follow_the_latest_year()


@pytest.mark.parametrize("n", [1, 3])
def test_marking_is_set_based(town, n, django_assert_num_queries):
    reported = OrganisationFactory(municipality=town)
    OrganisationYearFacts.objects.create(organisation=reported, year=2026)
    ids = [reported.pk] + [OrganisationFactory(municipality=town).pk for _ in range(n)]
    # The savepoint, the year's existing facts, their update, the insert of the missing ones, the marks' update,
    # the release: the same six whatever the number of schools.
    with django_assert_num_queries(6):
        organisation_low_results_mark(organisation_ids=ids, year=2026, low_results=True)
    assert Organisation.objects.filter(pk__in=ids, low_results=True).count() == n + 1


def test_sync_leaves_organisations_without_facts_alone(town):
    marked = OrganisationFactory(municipality=town, low_results=True)
    assert organisation_low_results_sync() == 0
    marked.refresh_from_db()
    assert marked.low_results


def test_the_yearly_facts_admin_moves_the_current_mark(client, town):
    school = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 501")
    client.force_login(_coordinator(town))
    data = {"organisation": school.pk, "methodical_associations": "2", "pedagogical_classes": "0"}
    url = reverse("admin:programs_organisationyearfacts_add")
    assert client.post(url, {**data, "year": "2024", "low_results": "on"}).status_code == 302
    school.refresh_from_db()
    assert school.low_results
    assert client.post(url, {**data, "year": "2025"}).status_code == 302  # left the list in 2025
    school.refresh_from_db()
    assert not school.low_results
    latest = OrganisationYearFacts.objects.get(organisation=school, year=2025)
    delete = reverse("admin:programs_organisationyearfacts_delete", args=[latest.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    school.refresh_from_db()
    assert school.low_results  # back to 2024's mark
    assert_marks_follow_the_latest_year()


def test_the_organisation_page_shows_the_mark_read_only_and_its_year_rows_set_it(client, town):
    school = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 502")
    client.force_login(_coordinator(town))
    url = reverse("admin:programs_organisation_change", args=[school.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "low_results" not in page.context["adminform"].form.fields
    data = {
        "municipality": town.pk,
        "name": school.name,
        "short_name": school.short_name,
        "kind": school.kind,
        "is_active": "on",
        "low_results": "on",  # ignored: the mark is not typed on this page
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    school.refresh_from_db()
    assert not school.low_results
    data.update(
        {
            "year_facts-TOTAL_FORMS": "1",
            "year_facts-0-year": "2026",
            "year_facts-0-methodical_associations": "1",
            "year_facts-0-pedagogical_classes": "0",
            "year_facts-0-low_results": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.low_results
    assert_marks_follow_the_latest_year()


def test_the_list_actions_record_this_years_fact(client, town):
    schools = [OrganisationFactory(municipality=town, short_name=f"ГБОУ школа № {n}") for n in (503, 504)]
    client.force_login(_coordinator(town))
    url = reverse("admin:programs_organisation_changelist")
    year = timezone.localdate().year
    response = client.post(
        url, {"action": "mark_low_results", "_selected_action": [s.pk for s in schools]}, follow=True
    )
    assert f"Отмечено организаций: 2, сведения за {year} год." in response.content.decode()
    assert OrganisationYearFacts.objects.filter(organisation__in=schools, year=year, low_results=True).count() == 2
    client.post(url, {"action": "unmark_low_results", "_selected_action": [schools[0].pk]})
    assert list(Organisation.objects.filter(pk__in=[s.pk for s in schools], low_results=True)) == [schools[1]]
    assert_marks_follow_the_latest_year()


def test_another_municipalitys_school_is_not_marked_by_a_coordinator(client, town):
    far = OrganisationFactory(municipality=MunicipalityFactory(name="Чужой район"))
    client.force_login(_coordinator(town))
    url = reverse("admin:programs_organisation_changelist")
    client.post(url, {"action": "mark_low_results", "_selected_action": [far.pk]})
    assert not OrganisationYearFacts.objects.filter(organisation=far).exists()
    far.refresh_from_db()
    assert not far.low_results


def test_the_migration_gives_the_latest_year_of_a_marked_school_the_mark(town):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("programs.migrations.0011_organisation_year_low_results")
    school = OrganisationFactory(municipality=town, low_results=True)
    OrganisationYearFacts.objects.create(organisation=school, year=2024)
    OrganisationYearFacts.objects.create(organisation=school, year=2025)
    migration.latest_year_keeps_the_mark(apps, None)
    marks = dict(OrganisationYearFacts.objects.filter(organisation=school).values_list("year", "low_results"))
    assert marks == {2024: False, 2025: True}
    assert_marks_follow_the_latest_year()
