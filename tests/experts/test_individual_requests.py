"""The bank of requests: a teacher's individual request (service, pages, cabinet section) and the
coordinator's tutor assignment and statuses in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole, IndividualRequest
from experts.services import (
    individual_request_assign_tutor,
    individual_request_submit,
    individual_request_withdraw,
    individual_requests_set_status,
)
from participants.cabinet import CabinetContext, registered_sections
from participants.models import Enrollment, SubscriptionForm, User
from participants.selectors import person_enrollments
from programs.models import Program
from tests.factories import (
    AdmittedEnrollmentFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    ProgramFactory,
    SeasonFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
R = IndividualRequest.Status


def _enrollment(**kwargs):
    kwargs.setdefault("season", SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION)))
    return AdmittedEnrollmentFactory(**kwargs)


def _request(enrollment=None, **kwargs):
    data = {
        "deficit": "Не умею выстраивать формирующее оценивание",
        "topic": "Формирующее оценивание",
        "preferred_form": SubscriptionForm.PRACTICUM,
    }
    data.update(kwargs)
    return individual_request_submit(enrollment=enrollment or _enrollment(), **data)


def _tutor(season, **kwargs):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR, **kwargs)


# --- services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Enrollment.Status.APPLIED, Enrollment.Status.ACTIVE])
def test_a_current_participant_submits_a_request_to_the_bank(status):
    subject = SubjectFactory(name="Математика")
    item = _request(_enrollment(status=status), subject=subject, comment="  после уроков ")
    assert (item.status, item.subject, item.comment, item.tutor) == (R.NEW, subject, "после уроков", None)


def test_a_request_outside_the_subscription_is_refused():
    with pytest.raises(ValidationError) as exc:
        _request(EnrollmentFactory())
    assert exc.value.code == "not_subscription"


def test_a_former_participant_cannot_submit():
    with pytest.raises(ValidationError) as exc:
        _request(_enrollment(status=Enrollment.Status.WITHDRAWN))
    assert exc.value.code == "not_current"


def test_empty_deficit_topic_and_unknown_form_are_field_errors():
    with pytest.raises(ValidationError) as exc:
        _request(deficit=" ", topic="", preferred_form="lecture")
    assert set(exc.value.message_dict) == {"deficit", "topic", "preferred_form"}
    assert not IndividualRequest.objects.exists()


def test_a_new_request_is_withdrawn_and_an_assigned_one_is_not():
    item = _request()
    other = _request()
    individual_request_withdraw(individual_request=item, person=item.enrollment.person)
    assert not IndividualRequest.objects.filter(pk=item.pk).exists()
    individual_request_assign_tutor(requests=[other], tutor=_tutor(other.enrollment.season))
    with pytest.raises(ValidationError, match="уже принят в работу"):
        individual_request_withdraw(individual_request=other, person=other.enrollment.person)
    assert IndividualRequest.objects.filter(pk=other.pk).exists()


def test_nobody_withdraws_another_teachers_request():
    item = _request()
    stranger = _enrollment().person
    with pytest.raises(ValidationError):
        individual_request_withdraw(individual_request=item, person=stranger)
    assert IndividualRequest.objects.filter(pk=item.pk).exists()


def test_a_tutor_of_the_season_is_assigned_in_bulk():
    enrollment = _enrollment()
    items = [_request(enrollment), _request(enrollment)]
    tutor = _tutor(enrollment.season)
    assert individual_request_assign_tutor(requests=items, tutor=tutor) == (2, [])
    assert set(IndividualRequest.objects.values_list("status", "tutor")) == {(R.ASSIGNED, tutor.pk)}


def test_a_tutor_of_another_season_is_refused():
    item = _request()
    stranger = _tutor(SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION)))
    changed, skipped = individual_request_assign_tutor(requests=[item], tutor=stranger)
    assert changed == 0
    assert "другом сезоне" in skipped[0][1]
    item.refresh_from_db()
    assert (item.status, item.tutor) == (R.NEW, None)


@pytest.mark.parametrize(
    "kwargs", [{"role": ExpertRole.METHODIST}, {"is_active": False}], ids=["not-a-tutor", "inactive"]
)
def test_only_an_active_tutor_may_be_assigned(kwargs):
    item = _request()
    expert = ExpertAssignmentFactory(season=item.enrollment.season, **{"role": ExpertRole.TUTOR, **kwargs})
    with pytest.raises(ValidationError) as exc:
        individual_request_assign_tutor(requests=[item], tutor=expert)
    assert "tutor" in exc.value.message_dict


def test_statuses_follow_their_rules():
    item = _request()
    # Work cannot start without a tutor; a refusal needs its reason.
    assert individual_requests_set_status(requests=[item], to_status=R.IN_WORK)[0] == 0
    with pytest.raises(ValidationError):
        individual_requests_set_status(requests=[item], to_status=R.DECLINED, reason="")
    tutor = _tutor(item.enrollment.season)
    individual_request_assign_tutor(requests=[item], tutor=tutor)
    assert individual_requests_set_status(requests=[item], to_status=R.IN_WORK)[0] == 1
    assert individual_requests_set_status(requests=[item], to_status=R.DONE, reason="Маршрут пройден")[0] == 1
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (R.DONE, "Маршрут пройден")
    # Reopening a finished request says why.
    changed, skipped = individual_requests_set_status(requests=[item], to_status=R.IN_WORK)
    assert changed == 0 and "возобновляется" in skipped[0][1]
    individual_requests_set_status(requests=[item], to_status=R.DECLINED, reason="x")  # done -> declined: refused
    item.refresh_from_db()
    assert item.status == R.DONE


def test_back_to_the_bank_clears_the_tutor():
    item = _request()
    individual_request_assign_tutor(requests=[item], tutor=_tutor(item.enrollment.season))
    individual_requests_set_status(requests=[item], to_status=R.DECLINED, reason="Тема вне проекта")
    individual_requests_set_status(requests=[item], to_status=R.NEW, reason="Тема уточнена")
    item.refresh_from_db()
    assert (item.status, item.tutor, item.status_reason) == (R.NEW, None, "Тема уточнена")


# --- the teacher's pages -------------------------------------------------------------------------


def _create_url(enrollment):
    return reverse("individual_request_create", args=[enrollment.pk])


def test_owner_submits_a_request(client):
    enrollment = _enrollment()
    client.force_login(enrollment.person.user)
    page = client.get(_create_url(enrollment))
    assert page.status_code == 200
    assert "Наставнический час" in page.content.decode()
    response = client.post(
        _create_url(enrollment),
        {"deficit": "Работа с мотивацией", "topic": "Мотивация на уроке", "preferred_form": "mentoring_hour"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#my-requests")
    item = IndividualRequest.objects.get()
    assert (item.enrollment, item.topic, item.preferred_form) == (enrollment, "Мотивация на уроке", "mentoring_hour")


def test_bad_input_keeps_what_was_typed(client):
    enrollment = _enrollment()
    client.force_login(enrollment.person.user)
    response = client.post(_create_url(enrollment), {"deficit": "Мой длинный текст про дефицит", "topic": ""})
    assert response.status_code == 200
    assert {"topic", "preferred_form"} <= set(response.context["form"].errors)
    assert "Мой длинный текст про дефицит" in response.content.decode()
    assert not IndividualRequest.objects.exists()


def test_another_teacher_gets_404_and_anonymous_is_sent_to_login(client):
    enrollment = _enrollment()
    assert reverse("login") in client.get(_create_url(enrollment))["Location"]
    client.force_login(_enrollment().person.user)
    assert client.get(_create_url(enrollment)).status_code == 404
    assert (
        client.post(_create_url(enrollment), {"deficit": "x", "topic": "y", "preferred_form": "training"}).status_code
        == 404
    )
    assert not IndividualRequest.objects.exists()


def test_a_non_subscription_enrollment_is_not_found(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)
    assert client.get(_create_url(enrollment)).status_code == 404


def test_a_former_participant_sees_why_and_no_form(client):
    enrollment = _enrollment(status=Enrollment.Status.EXCLUDED)
    client.force_login(enrollment.person.user)
    response = client.get(_create_url(enrollment))
    assert response.status_code == 200 and response.context["form"] is None
    assert "Исключён" in response.content.decode()


def test_withdraw_by_owner_other_and_anonymous(client):
    item = _request()
    url = reverse("individual_request_withdraw", args=[item.pk])
    assert reverse("login") in client.post(url)["Location"]
    client.force_login(_enrollment().person.user)
    assert client.post(url).status_code == 404
    client.force_login(item.enrollment.person.user)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert not IndividualRequest.objects.exists()


def test_withdrawing_a_request_in_work_is_explained(client):
    item = _request()
    individual_request_assign_tutor(requests=[item], tutor=_tutor(item.enrollment.season))
    client.force_login(item.enrollment.person.user)
    response = client.post(reverse("individual_request_withdraw", args=[item.pk]), follow=True)
    assert "уже принят в работу" in response.content.decode()
    assert IndividualRequest.objects.filter(pk=item.pk).exists()


# --- the cabinet section --------------------------------------------------------------------------


def test_cabinet_lists_my_requests_with_status_and_tutor(client):
    item = _request(topic="Смысловое чтение")
    tutor = _tutor(item.enrollment.season)
    individual_request_assign_tutor(requests=[item], tutor=tutor)
    foreign = _request(topic="Чужая тема")
    client.force_login(item.enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Мои запросы" in html
    assert "Смысловое чтение" in html and "Назначен тьютор" in html and tutor.person.full_name in html
    assert foreign.topic not in html
    assert _create_url(item.enrollment) in html


def test_cabinet_section_is_absent_outside_the_subscription(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)
    assert "Мои запросы" not in client.get(reverse("cabinet")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_cabinet_section_query_count_does_not_grow(django_assert_num_queries, count):
    enrollment = _enrollment()
    tutor = _tutor(enrollment.season)
    items = [_request(enrollment, subject=SubjectFactory()) for _ in range(count)]
    individual_request_assign_tutor(requests=items, tutor=tutor)
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    section = next(s for s in registered_sections() if s.key == "my_requests")
    with django_assert_num_queries(1):
        context = section.context(ctx)
        assert [r.tutor.person.full_name for r in context["requests"]] == [tutor.person.full_name] * count
        assert {r.subject.name for r in context["requests"]}
        assert {r.enrollment.season.program.title for r in context["requests"]}


# --- the admin -------------------------------------------------------------------------------------

CHANGELIST = "admin:experts_individualrequest_changelist"


def _coordinator(municipality):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["participants", "programs", "experts", "activities"])
    )
    return user


def test_admin_assigns_a_tutor_through_an_intermediate_page(client):
    item = _request()
    season = item.enrollment.season
    tutor = _tutor(season)
    _tutor(season, is_active=False)
    other_season_tutor = _tutor(SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION)))
    client.force_login(_coordinator(season.program.municipality))
    page = client.post(reverse(CHANGELIST), {"action": "assign_tutor", "_selected_action": [item.pk]})
    assert page.status_code == 200
    assert list(page.context["form"].fields["tutor"].queryset) == [tutor]
    refused = client.post(
        reverse(CHANGELIST),
        {"action": "assign_tutor", "_selected_action": [item.pk], "apply": "1", "tutor": other_season_tutor.pk},
    )
    assert refused.status_code == 200 and "tutor" in refused.context["form"].errors
    item.refresh_from_db()
    assert item.tutor is None
    done = client.post(
        reverse(CHANGELIST), {"action": "assign_tutor", "_selected_action": [item.pk], "apply": "1", "tutor": tutor.pk}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.tutor, item.status) == (tutor, R.ASSIGNED)


def test_admin_declines_with_a_reason(client):
    item = _request()
    client.force_login(_coordinator(item.enrollment.season.program.municipality))
    data = {"action": "decline", "_selected_action": [item.pk], "apply": "1"}
    empty = client.post(reverse(CHANGELIST), {**data, "reason": ""})
    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    done = client.post(reverse(CHANGELIST), {**data, "reason": "Запрос вне тематики проекта"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (R.DECLINED, "Запрос вне тематики проекта")


def test_admin_bank_is_scoped_and_filtered(client):
    own = _request(preferred_form=SubscriptionForm.TRAINING)
    municipality = own.enrollment.season.program.municipality
    also_own = _request(
        _enrollment(
            season=SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION, municipality=municipality))
        )
    )
    _request(
        _enrollment(
            season=SeasonFactory(
                program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION, municipality=MunicipalityFactory())
            )
        )
    )
    client.force_login(_coordinator(municipality))
    response = client.get(reverse(CHANGELIST))
    assert {r.pk for r in response.context["cl"].result_list} == {own.pk, also_own.pk}
    response = client.get(reverse(CHANGELIST), {"preferred_form": SubscriptionForm.TRAINING})
    assert [r.pk for r in response.context["cl"].result_list] == [own.pk]
    response = client.get(reverse(CHANGELIST), {"enrollment__season__id__exact": also_own.enrollment.season_id})
    assert [r.pk for r in response.context["cl"].result_list] == [also_own.pk]
    org = own.enrollment.person.organisation_id
    response = client.get(reverse(CHANGELIST), {"enrollment__person__organisation__id__exact": org})
    assert [r.pk for r in response.context["cl"].result_list] == [own.pk]
    assert client.get(reverse(CHANGELIST), {"q": own.enrollment.person.last_name}).status_code == 200


def test_admin_enrollment_autocomplete_offers_only_subscription_participants(client):
    subscription = _enrollment()
    EnrollmentFactory(person=subscription.person)  # the same teacher in a support project
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:experts_individualrequest_subscription_enrollments")
    params = {"app_label": "experts", "model_name": "individualrequest", "field_name": "enrollment", "term": ""}
    results = client.get(url, params).json()["results"]
    assert [r["id"] for r in results] == [str(subscription.pk)]
    add = client.get(reverse("admin:experts_individualrequest_add"))
    assert add.status_code == 200 and url in add.content.decode()
