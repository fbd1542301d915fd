"""Schools of low results by year (сид 001, «Школа – Школе»): the yearly fact is the record and the only one. An
organisation's current mark is read from its latest year's «Сведения организации за год», and a KPI reads the year
it reports, so whichever way the facts are written — the service, the yearly facts' admin, the organisation page's
inline rows, a deletion, the list actions, a bulk update — the mark cannot disagree with them."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from participants.models import User
from programs.models import Organisation, OrganisationYearFacts
from programs.selectors import organisation_has_low_results, organisations_of_low_results
from programs.services import organisation_low_results_mark
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="programs"))
    return user


def _marked(school, year=None) -> bool:
    return organisation_has_low_results(organisation=school, year=year)


@pytest.fixture
def town():
    return MunicipalityFactory(name="Московский район")


def test_the_mark_is_the_latest_years_fact_or_the_asked_years(town):
    school = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 500")
    assert not _marked(school)  # no facts, no mark
    OrganisationYearFacts.objects.create(organisation=school, year=2024, low_results=True)
    OrganisationYearFacts.objects.create(organisation=school, year=2025, low_results=False)
    assert not _marked(school)  # left the list in 2025
    assert _marked(school, 2024) and not _marked(school, 2025) and not _marked(school, 2023)
    OrganisationYearFacts.objects.create(organisation=school, year=2026, low_results=True)
    assert _marked(school)
    marks = dict(Organisation.objects.with_low_results(2025).filter(pk=school.pk).values_list("pk", "low_results"))
    assert marks == {school.pk: False}


def test_a_bulk_update_of_the_facts_is_the_mark_at_once(town):
    schools = [OrganisationFactory(municipality=town) for _ in range(3)]
    OrganisationYearFacts.objects.bulk_create(
        [OrganisationYearFacts(organisation=s, year=2025, low_results=True) for s in schools]
    )
    assert organisations_of_low_results(organisation_ids=[s.pk for s in schools]) == {s.pk for s in schools}
    OrganisationYearFacts.objects.filter(organisation=schools[0]).update(low_results=False)
    assert organisations_of_low_results(organisation_ids=[s.pk for s in schools]) == {schools[1].pk, schools[2].pk}


def test_marking_a_year_creates_or_updates_its_facts(town):
    school = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 500")
    facts = OrganisationYearFacts.objects.create(organisation=school, year=2025, methodical_associations=4)
    organisation_low_results_mark(organisation_ids=[school.pk], year=2025, low_results=True)
    facts.refresh_from_db()
    assert facts.low_results and facts.methodical_associations == 4  # the other facts of the year stay
    assert _marked(school)
    organisation_low_results_mark(organisation_ids=[school.pk], year=2026, low_results=False)
    assert not _marked(school)
    assert _marked(school, 2025)  # 2025 stays a ШНОР year


@pytest.mark.parametrize("n", [1, 3])
def test_marking_is_set_based(town, n, django_assert_num_queries):
    reported = OrganisationFactory(municipality=town)
    OrganisationYearFacts.objects.create(organisation=reported, year=2026)
    ids = [reported.pk] + [OrganisationFactory(municipality=town).pk for _ in range(n)]
    # The savepoint, the year's existing facts, their update, the insert of the missing ones, the release: the
    # same five whatever the number of schools.
    with django_assert_num_queries(5):
        organisation_low_results_mark(organisation_ids=ids, year=2026, low_results=True)
    assert Organisation.objects.with_low_results().filter(pk__in=ids, low_results=True).count() == n + 1


def test_the_yearly_facts_admin_moves_the_current_mark(client, town):
    school = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 501")
    client.force_login(_coordinator(town))
    data = {"organisation": school.pk, "methodical_associations": "2", "pedagogical_classes": "0"}
    url = reverse("admin:programs_organisationyearfacts_add")
    assert client.post(url, {**data, "year": "2024", "low_results": "on"}).status_code == 302
    assert _marked(school)
    assert client.post(url, {**data, "year": "2025"}).status_code == 302  # left the list in 2025
    assert not _marked(school)
    latest = OrganisationYearFacts.objects.get(organisation=school, year=2025)
    delete = reverse("admin:programs_organisationyearfacts_delete", args=[latest.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert _marked(school)  # back to 2024's mark


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
    assert not _marked(school)
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
    assert _marked(school)
    readonly = client.get(url).content.decode()
    assert 'class="readonly"><img src="/static/admin/img/icon-yes.svg"' in readonly


def test_the_list_shows_and_filters_the_latest_years_mark(client, town):
    marked = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 510")
    left = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 511")
    plain = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 512")
    organisation_low_results_mark(organisation_ids=[marked.pk, left.pk], year=2025, low_results=True)
    organisation_low_results_mark(organisation_ids=[left.pk], year=2026, low_results=False)
    client.force_login(_coordinator(town))
    url = reverse("admin:programs_organisation_changelist")

    def listed(query):
        return [o.pk for o in client.get(url + query).context["cl"].result_list]

    assert listed("?low_results=1") == [marked.pk]
    assert sorted(listed("?low_results=0")) == sorted([left.pk, plain.pk])
    rows = {o.pk: o.low_results for o in client.get(url).context["cl"].result_list}
    assert rows == {marked.pk: True, left.pk: False, plain.pk: False}


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
    assert organisations_of_low_results(organisation_ids=[s.pk for s in schools]) == {schools[1].pk}


def test_another_municipalitys_school_is_not_marked_by_a_coordinator(client, town):
    far = OrganisationFactory(municipality=MunicipalityFactory(name="Чужой район"))
    client.force_login(_coordinator(town))
    url = reverse("admin:programs_organisation_changelist")
    client.post(url, {"action": "mark_low_results", "_selected_action": [far.pk]})
    assert not OrganisationYearFacts.objects.filter(organisation=far).exists()
    assert not _marked(far)


def test_the_migration_records_a_stored_mark_without_facts_as_a_fact_of_the_year(town):
    """programs 0012: a school marked by the stored flag without any yearly facts gets a fact of the year saying
    so; one with facts keeps them, even where its latest year says otherwise (the facts are the record)."""
    migration = import_module("programs.migrations.0012_organisation_low_results_from_year_facts")
    bare = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 520")
    disagreeing = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 521")
    OrganisationYearFacts.objects.create(organisation=disagreeing, year=2024, low_results=True)
    OrganisationYearFacts.objects.create(organisation=disagreeing, year=2025, methodical_associations=3)
    unmarked = OrganisationFactory(municipality=town, short_name="ГБОУ школа № 522")
    created = migration.give_year_facts(apps, [bare.pk, disagreeing.pk], 2026)
    assert created == 1
    facts = set(OrganisationYearFacts.objects.values_list("organisation__short_name", "year", "low_results"))
    assert facts == {
        ("ГБОУ школа № 520", 2026, True),
        ("ГБОУ школа № 521", 2024, True),
        ("ГБОУ школа № 521", 2025, False),
    }
    assert _marked(bare) and not _marked(disagreeing) and not _marked(unmarked)
    assert migration.give_year_facts(apps, [bare.pk, disagreeing.pk], 2026) == 0  # a second run adds nothing
