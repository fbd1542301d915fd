"""The coordinator's admin: every page opens, rows are scoped to the coordinator's municipality,
and bulk actions go through the enrollment services."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from participants.models import Enrollment, EnrollmentStatusChange, User
from programs.models import Season
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    StaffRosterEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Enrollment.Status
OUR_APPS = set(settings.PORTAL_APPS) - {"core"}


def _coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


@pytest.mark.parametrize("page", ["changelist", "add"])
def test_every_admin_page_opens(client, superuser, page):
    EnrollmentFactory()  # one row everywhere the changelist joins
    for model in _our_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")
        response = client.get(url)
        # A read-only admin (video lessons are submitted by teachers only) refuses its add page.
        expected = (
            403 if page == "add" and not admin.site._registry[model].has_add_permission(response.wsgi_request) else 200
        )
        assert response.status_code == expected, (url, response.status_code)


def test_change_pages_open(client, superuser):
    enrollment = EnrollmentFactory()
    module = RoadmapModuleFactory(season=enrollment.season)
    for obj in [enrollment, enrollment.season, enrollment.person, module, enrollment.season.program]:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, url


def test_coordinator_sees_only_own_municipality(client):
    mine, other = MunicipalityFactory(), MunicipalityFactory()
    own = EnrollmentFactory(season=SeasonFactory(program=ProgramFactory(municipality=mine)))
    foreign = EnrollmentFactory(season=SeasonFactory(program=ProgramFactory(municipality=other)))
    client.force_login(_coordinator(mine))
    response = client.get(reverse("admin:participants_enrollment_changelist"))
    assert response.status_code == 200
    shown = {e.pk for e in response.context["cl"].result_list}
    assert shown == {own.pk}
    # Another municipality's object is not reachable by guessing its id.
    url = reverse("admin:participants_enrollment_change", args=[foreign.pk])
    assert client.get(url).status_code == 302
    assert client.get(reverse("admin:programs_season_change", args=[foreign.season.pk])).status_code == 302


def test_coordinator_dropdowns_are_scoped(client):
    mine, other = MunicipalityFactory(), MunicipalityFactory()
    own_org = OrganisationFactory(municipality=mine)
    foreign_org = OrganisationFactory(municipality=other)
    client.force_login(_coordinator(mine))
    form = client.get(reverse("admin:programs_program_add")).context["adminform"].form
    organisers = set(form.fields["organiser"].queryset)
    assert own_org in organisers and foreign_org not in organisers


def test_bulk_approve_action(client, superuser):
    applied = EnrollmentFactory.create_batch(3, status=S.APPLIED)
    response = client.post(
        reverse("admin:participants_enrollment_changelist"),
        {"action": "approve", "_selected_action": [e.pk for e in applied]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Enrollment.objects.values_list("status", flat=True)) == {S.ACTIVE}
    assert EnrollmentStatusChange.objects.filter(changed_by=superuser, to_status=S.ACTIVE).count() == 3


def test_reject_asks_for_a_reason_then_records_it(client, superuser):
    enrollment = EnrollmentFactory(status=S.APPLIED)
    url = reverse("admin:participants_enrollment_changelist")
    first = client.post(url, {"action": "reject", "_selected_action": [enrollment.pk]})
    assert first.status_code == 200
    assert "Причина" in first.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == S.APPLIED  # nothing changes until a reason is given
    empty = client.post(url, {"action": "reject", "_selected_action": [enrollment.pk], "apply": "1", "reason": ""})
    assert "Обязательное поле" in empty.content.decode()
    client.post(
        url,
        {"action": "reject", "_selected_action": [enrollment.pk], "apply": "1", "reason": "Нет педагогического стажа"},
    )
    enrollment.refresh_from_db()
    assert enrollment.status == S.REJECTED
    assert enrollment.status_changes.get().reason == "Нет педагогического стажа"


def test_status_is_read_only_on_the_change_form(client, superuser):
    enrollment = EnrollmentFactory(status=S.APPLIED)
    url = reverse("admin:participants_enrollment_change", args=[enrollment.pk])
    form = client.get(url).context["adminform"].form
    assert "status" not in form.fields


def test_clone_action_creates_next_year_and_refuses_a_duplicate(client, superuser):
    season = SeasonFactory(title="2024–2025")
    RoadmapModuleFactory(season=season)
    url = reverse("admin:programs_season_changelist")
    client.post(url, {"action": "clone_for_next_year", "_selected_action": [season.pk]}, follow=True)
    clone = Season.objects.get(program=season.program, title="2025–2026")
    assert clone.cloned_from == season and clone.modules.count() == 1
    response = client.post(url, {"action": "clone_for_next_year", "_selected_action": [season.pk]}, follow=True)
    assert "уже есть сезон «2025–2026»" in response.content.decode()
    assert Season.objects.filter(program=season.program).count() == 2


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:participants_enrollment_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_teacher_cannot_open_admin(client):
    client.force_login(PersonFactory().user)
    response = client.get(reverse("admin:participants_enrollment_changelist"))
    assert response.status_code == 302


def _changelist_queries(client, model_name, make_rows, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_rows(n)
    url = reverse(f"admin:{model_name}_changelist")
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "model_name,factory",
    [
        ("participants_enrollment", lambda n: EnrollmentFactory.create_batch(n)),
        ("participants_person", lambda n: PersonFactory.create_batch(n)),
        ("programs_season", lambda n: SeasonFactory.create_batch(n)),
        ("programs_organisation", lambda n: OrganisationFactory.create_batch(n)),
        # Schools of low results: their «ШНОР» column is the latest year's fact, annotated, not a query per row.
        ("programs_organisation", lambda n: OrganisationFactory.create_batch(n, low_results=True)),
        ("participants_staffrosterentry", lambda n: StaffRosterEntryFactory.create_batch(n, person=PersonFactory())),
    ],
)
def test_changelist_query_count_does_not_grow_with_rows(client, superuser, model_name, factory, django_db_blocker):
    one = _changelist_queries(client, model_name, factory, 1)
    three = _changelist_queries(client, model_name, factory, 2)  # 3 rows now
    assert one == three


@pytest.mark.parametrize(
    "model, municipality_param",
    [
        ("enrollment", "person__organisation__municipality__id__exact"),
        ("person", "organisation__municipality__id__exact"),
    ],
)
def test_municipality_filter_only_for_those_who_see_several(client, superuser, model, municipality_param):
    """A coordinator's rows are all in their municipality: no one-choice municipality filter (nor its query)."""
    url = reverse(f"admin:participants_{model}_changelist")
    client.force_login(_coordinator(MunicipalityFactory()))
    assert municipality_param not in client.get(url).content.decode()
    client.force_login(superuser)
    MunicipalityFactory()
    assert municipality_param in client.get(url).content.decode()
