"""A school administrator's application to the Methodical Subscription: the service, the page, the cabinet
section and the coordinator's decision in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants.cabinet import CabinetContext, registered_sections
from participants.models import SchoolApplication, User
from participants.selectors import person_enrollments
from participants.services import school_application_decide, school_application_submit
from programs.models import Program
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
G = SchoolApplication.Ground
A = SchoolApplication.Status


def _season(**kwargs):
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION), **kwargs)


def _director(season, **kwargs):
    school = OrganisationFactory(municipality=season.program.municipality)
    kwargs.setdefault("is_manager", True)
    return PersonFactory(organisation=school, position="Директор", **kwargs)


def _url(season):
    return reverse("school_application", args=[season.pk])


def _submit(season, person, grounds=(G.OWN_REQUEST,), details="", teachers_planned=5):
    return school_application_submit(
        season=season, applicant=person, grounds=list(grounds), details=details, teachers_planned=teachers_planned
    )


def _closed_season():
    """Registration is over and the season has not started yet."""
    now = timezone.now()
    return _season(
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=now - timedelta(days=20),
        starts_on=timezone.localdate() + timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=200),
    )


# --- service ---------------------------------------------------------------------------------------


def test_submit_creates_an_application_with_grounds_in_the_seed_order():
    season = _season()
    director = _director(season)
    application = _submit(season, director, grounds=[G.DIAGNOSTICS, G.OWN_REQUEST], details="Дефициты по математике")
    assert application.status == A.APPLIED
    assert application.organisation == director.organisation
    assert application.grounds == [G.OWN_REQUEST, G.DIAGNOSTICS]
    assert application.teachers_planned == 5


def test_a_director_account_may_apply_without_the_manager_flag():
    season = _season()
    director = _director(season, is_manager=False, user=UserFactory(role=User.Role.DIRECTOR))
    assert _submit(season, director).applicant == director


def test_a_teacher_who_is_not_a_manager_is_refused():
    season = _season()
    teacher = PersonFactory(organisation=OrganisationFactory(municipality=season.program.municipality))
    with pytest.raises(ValidationError) as exc:
        _submit(season, teacher)
    assert exc.value.code == "not_school_administrator"
    assert not SchoolApplication.objects.exists()


def test_a_season_of_another_kind_of_program_is_refused():
    season = SeasonFactory()  # a support project, not the Subscription
    with pytest.raises(ValidationError) as exc:
        _submit(season, _director(season))
    assert exc.value.code == "not_subscription"


def test_outside_the_window_and_before_the_season_is_refused():
    season = _closed_season()
    with pytest.raises(ValidationError, match="сейчас не принимаются") as exc:
        _submit(season, _director(season))
    assert exc.value.code == "window_closed"


def test_a_running_season_accepts_applications_after_registration_closed():
    now = timezone.now()
    season = _season(registration_opens_at=now - timedelta(days=60), registration_closes_at=now - timedelta(days=40))
    assert season.is_running()
    assert _submit(season, _director(season)).pk


def test_a_school_of_another_municipality_is_refused():
    season = _season()
    stranger = PersonFactory(organisation=OrganisationFactory(municipality=MunicipalityFactory()), is_manager=True)
    with pytest.raises(ValidationError) as exc:
        _submit(season, stranger)
    assert exc.value.code == "other_municipality"


def test_grounds_are_required_and_vpr_needs_its_justification():
    season = _season()
    director = _director(season)
    with pytest.raises(ValidationError) as exc:
        _submit(season, director, grounds=[])
    assert "grounds" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _submit(season, director, grounds=[G.VPR], details="  ")
    assert "details" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _submit(season, director, grounds=["bribe"])
    assert "grounds" in exc.value.message_dict


def test_a_second_open_application_of_the_same_school_is_explained_not_duplicated():
    season = _season()
    director = _director(season)
    _submit(season, director)
    deputy = PersonFactory(organisation=director.organisation, is_manager=True, position="Заместитель директора")
    with pytest.raises(ValidationError, match="уже подана") as exc:
        _submit(season, deputy)
    assert exc.value.code == "duplicate"
    assert SchoolApplication.objects.count() == 1


def test_after_a_rejection_the_school_may_apply_again():
    season = _season()
    director = _director(season)
    first = _submit(season, director)
    school_application_decide(applications=[first], approve=False, reason="Нет обоснования", by=None)
    second = _submit(season, director, grounds=[G.VPR], details="ВПР: 40% не справились")
    assert second.pk != first.pk


def test_approval_in_bulk_records_who_and_when_and_mails_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    season = _season()
    applications = [_submit(season, _director(season)) for _ in range(2)]
    coordinator = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        decided, skipped = school_application_decide(applications=applications, approve=True, by=coordinator)
    assert (decided, skipped) == (2, [])
    for application in applications:
        application.refresh_from_db()
        assert application.status == A.APPROVED
        assert application.decided_by == coordinator
        assert application.decided_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted(a.applicant.email for a in applications)
    assert "одобрена" in mailoutbox[0].subject
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_rejection_without_a_reason_is_refused_and_changes_nothing(mailoutbox):
    season = _season()
    application = _submit(season, _director(season))
    with pytest.raises(ValidationError) as exc:
        school_application_decide(applications=[application], approve=False, reason=" ", by=None)
    assert "reason" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == A.APPLIED
    assert mailoutbox == []


def test_rejection_sends_its_reason(django_capture_on_commit_callbacks, mailoutbox):
    season = _season()
    application = _submit(season, _director(season))
    with django_capture_on_commit_callbacks(execute=True):
        school_application_decide(applications=[application], approve=False, reason="Квота исчерпана", by=None)
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (A.REJECTED, "Квота исчерпана")
    assert "отклонена" in mailoutbox[0].subject
    assert "Квота исчерпана" in mailoutbox[0].body


def test_an_application_already_decided_is_skipped_with_a_reason():
    season = _season()
    application = _submit(season, _director(season))
    school_application_decide(applications=[application], approve=True, by=None)
    decided, skipped = school_application_decide(applications=[application], approve=False, reason="x", by=None)
    assert decided == 0
    assert skipped[0][0] == application and "уже рассмотрена" in skipped[0][1]
    application.refresh_from_db()
    assert application.status == A.APPROVED


# --- the page --------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client):
    season = _season()
    response = client.get(_url(season))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_teacher_is_refused_with_an_explanation(client):
    season = _season()
    teacher = PersonFactory(organisation=OrganisationFactory(municipality=season.program.municipality))
    client.force_login(teacher.user)
    response = client.get(_url(season))
    assert response.status_code == 403
    assert "руководитель образовательной организации" in response.content.decode()
    response = client.post(_url(season), {"grounds": [G.OWN_REQUEST]})
    assert response.status_code == 403
    assert not SchoolApplication.objects.exists()


def test_a_non_subscription_season_is_not_found(client):
    season = SeasonFactory()
    client.force_login(_director(season).user)
    assert client.get(_url(season)).status_code == 404


def test_the_director_applies_through_the_form(client):
    season = _season()
    director = _director(season)
    client.force_login(director.user)
    page = client.get(_url(season))
    assert page.status_code == 200
    assert "ВПР" in page.content.decode()
    response = client.post(
        _url(season), {"grounds": [G.VPR, G.OWN_REQUEST], "details": "ВПР: низкие результаты", "teachers_planned": 7}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#school-application")
    application = SchoolApplication.objects.get()
    assert (application.applicant, application.grounds, application.teachers_planned) == (
        director,
        [G.OWN_REQUEST, G.VPR],
        7,
    )


def test_bad_input_shows_errors_at_the_fields_and_keeps_what_was_typed(client):
    season = _season()
    client.force_login(_director(season).user)
    response = client.post(_url(season), {"details": "Наш подробный текст обоснования", "teachers_planned": 0})
    assert response.status_code == 200
    form = response.context["form"]
    assert "grounds" in form.errors and "teachers_planned" in form.errors
    assert "Наш подробный текст обоснования" in response.content.decode()
    response = client.post(_url(season), {"grounds": [G.DIAGNOSTICS], "details": ""})
    assert "details" in response.context["form"].errors
    assert not SchoolApplication.objects.exists()


def test_an_existing_application_is_shown_instead_of_a_second_form(client):
    season = _season()
    director = _director(season)
    _submit(season, director)
    deputy = PersonFactory(organisation=director.organisation, is_manager=True)
    client.force_login(deputy.user)
    response = client.get(_url(season))
    assert response.context["form"] is None
    assert "Заявка школы уже подана" in response.content.decode()
    client.post(_url(season), {"grounds": [G.OWN_REQUEST]})
    assert SchoolApplication.objects.count() == 1


def test_another_schools_director_does_not_see_the_first_schools_application(client):
    season = _season()
    _submit(season, _director(season))
    other = _director(season)
    client.force_login(other.user)
    response = client.get(_url(season))
    assert response.context["open_application"] is None
    assert response.context["form"] is not None


def test_out_of_window_page_explains_and_offers_no_form(client):
    season = _closed_season()
    client.force_login(_director(season).user)
    response = client.get(_url(season))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "сейчас не принимаются" in response.content.decode()
    client.post(_url(season), {"grounds": [G.OWN_REQUEST]})
    assert not SchoolApplication.objects.exists()


# --- the cabinet section ---------------------------------------------------------------------------


def test_cabinet_shows_the_status_to_the_applicant(client):
    season = _season()
    director = _director(season)
    application = _submit(season, director)
    school_application_decide(applications=[application], approve=False, reason="Нужны результаты ВПР", by=None)
    client.force_login(director.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Заявка школы на абонемент" in html
    assert "Отклонена" in html and "Нужны результаты ВПР" in html
    # The school may apply again while the window is open.
    assert _url(season) in html


def test_cabinet_section_is_absent_for_a_teacher(client):
    season = _season()
    teacher = PersonFactory(organisation=OrganisationFactory(municipality=season.program.municipality))
    client.force_login(teacher.user)
    assert "Заявка школы на абонемент" not in client.get(reverse("cabinet")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_cabinet_section_query_count_does_not_grow(client, django_assert_num_queries, count):
    municipality = MunicipalityFactory()
    school = OrganisationFactory(municipality=municipality)
    director = PersonFactory(organisation=school, is_manager=True)
    for _ in range(count):
        season = SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION, municipality=municipality))
        _submit(season, director)
    person = User.objects.get(pk=director.user_id).person  # as the cabinet view gets it
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    section = next(s for s in registered_sections() if s.key == "school_application")
    # The organisation, the school's applications, the seasons open to it.
    with django_assert_num_queries(3):
        context = section.context(ctx)
    assert len(context["applications"]) == count
    client.force_login(director.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert html.count("Заявку рассматривает координатор.") == count


# --- the admin ------------------------------------------------------------------------------------


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["participants", "programs", "experts", "activities"])
    )
    return user


CHANGELIST = "admin:participants_schoolapplication_changelist"


def test_admin_approve_action(client, django_capture_on_commit_callbacks, mailoutbox):
    season = _season()
    application = _submit(season, _director(season))
    client.force_login(_coordinator(season.program.municipality))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [application.pk]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == A.APPROVED
    assert len(mailoutbox) == 1


def test_admin_reject_goes_through_a_reason_page(client, django_capture_on_commit_callbacks, mailoutbox):
    season = _season()
    application = _submit(season, _director(season))
    client.force_login(_coordinator(season.program.municipality))
    page = client.post(reverse(CHANGELIST), {"action": "reject", "_selected_action": [application.pk]})
    assert page.status_code == 200
    assert "Причина отказа" in page.content.decode()
    empty = client.post(
        reverse(CHANGELIST), {"action": "reject", "_selected_action": [application.pk], "apply": "1", "reason": ""}
    )
    assert empty.status_code == 200 and empty.context["form"].errors
    application.refresh_from_db()
    assert application.status == A.APPLIED
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse(CHANGELIST),
            {"action": "reject", "_selected_action": [application.pk], "apply": "1", "reason": "Не та школа"},
        )
    assert done.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (A.REJECTED, "Не та школа")
    assert "Не та школа" in mailoutbox[0].body


def test_admin_is_scoped_filtered_and_decision_fields_are_read_only(client):
    season = _season()
    own = _submit(season, _director(season), grounds=[G.VPR], details="ВПР")
    plain = _submit(season, _director(season))
    foreign_season = _season()
    _submit(foreign_season, _director(foreign_season))
    client.force_login(_coordinator(season.program.municipality))
    response = client.get(reverse(CHANGELIST))
    assert {a.pk for a in response.context["cl"].result_list} == {own.pk, plain.pk}
    response = client.get(reverse(CHANGELIST), {"ground": G.VPR})
    assert [a.pk for a in response.context["cl"].result_list] == [own.pk]
    change = client.get(reverse("admin:participants_schoolapplication_change", args=[own.pk]))
    assert change.status_code == 200
    readonly = change.context["adminform"].readonly_fields
    # The decision's moment is read through its zoned readout (core.admin_mixins.ZonedMomentsAdminMixin).
    assert {"status", "decided_at__when", "decided_by", "decision_reason"} <= set(readonly)
