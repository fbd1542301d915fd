"""The tutor's (and the coordinator's) step edit page /expert/requests/<id>/route/<step>/edit/: who may open it,
what it saves (through route_item_update, which tells the teacher), and hostile input — another season's or
municipality's ids, dates of the year 1 and 9999 — answered in Russian with nothing saved, never a 500."""

from datetime import timedelta

import pytest
from django.urls import reverse

from activities.models import RouteItem
from activities.route_builder import route_item_add, route_item_update
from core.models import Notification
from experts.models import ExpertRole
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.models import SubscriptionForm, User
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AdmittedEnrollmentFactory,
    ExpertAssignmentFactory,
    MunicipalityFactory,
    ProgramFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _season(**kwargs):
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION, **kwargs))


def _tutor(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR)


def _coordinator(municipality):
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


@pytest.fixture
def request_():
    season = _season()
    item = individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season),
        deficit="Дефицит",
        topic="Проектная деятельность",
        preferred_form=SubscriptionForm.MASTER_CLASS,
    )
    individual_request_assign_tutor(requests=[item], tutor=_tutor(season))
    item.refresh_from_db()
    return item


@pytest.fixture
def step(request_):
    step = route_item_add(enrollment=request_.enrollment, title="Разбор урока", note="черновик")
    Notification.objects.all().delete()
    return step


def _url(request_, step):
    return reverse("route_item_edit", args=[request_.pk, step.pk])


def _data(**extra):
    data = {"form": "", "title": "Разбор урока", "module": "", "activity": "", "session": "", "planned_on": ""}
    data["note"] = "черновик"
    data.update({k: v.pk if hasattr(v, "pk") else v for k, v in extra.items()})
    return data


def _unchanged(step):
    saved = RouteItem.objects.get(pk=step.pk)
    return (saved.title, saved.activity_id, saved.session_id, saved.planned_on, saved.note) == (
        "Разбор урока",
        None,
        None,
        None,
        "черновик",
    )


# --- who may edit ----------------------------------------------------------------------------------------


def test_anonymous_goes_to_the_login(client, request_, step):
    assert reverse("login") in client.get(_url(request_, step))["Location"]
    assert reverse("login") in client.post(_url(request_, step), _data(title="Чужое"))["Location"]
    assert _unchanged(step)


def test_nobody_else_gets_in(client, request_, step):
    season = request_.enrollment.season
    outsiders = [
        _tutor(season).person.user,  # another tutor of the same season
        _tutor(_season()).person.user,  # a tutor of another season
        request_.enrollment.person.user,  # the teacher
        _coordinator(MunicipalityFactory()),  # another municipality's coordinator
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(_url(request_, step)).status_code == 404
        assert client.post(_url(request_, step), _data(title="Чужое")).status_code == 404
    assert _unchanged(step)
    assert not Notification.objects.exists()


def test_a_step_of_another_route_or_a_guessed_id_is_not_found(client, request_, step):
    other = route_item_add(enrollment=AdmittedEnrollmentFactory(season=request_.enrollment.season), title="Чужой")
    client.force_login(request_.tutor.person.user)
    assert client.get(_url(request_, other)).status_code == 404
    assert client.post(_url(request_, other), _data(title="Взлом")).status_code == 404
    assert client.get(reverse("route_item_edit", args=[request_.pk, 999_999])).status_code == 404
    assert client.get(reverse("route_item_edit", args=[999_999, step.pk])).status_code == 404
    other.refresh_from_db()
    assert other.title == "Чужой"


def test_the_tutor_edits_a_step_and_the_teacher_is_told(client, request_, step):
    season = request_.enrollment.season
    module = RoadmapModuleFactory(season=season)
    activity = ActivityFactory(season=season, module=module, kind=SubscriptionForm.PRACTICUM)
    session = SessionFactory(activity=activity)
    client.force_login(request_.tutor.person.user)
    page = client.get(_url(request_, step))
    assert page.status_code == 200
    assert 'value="Разбор урока"' in page.content.decode()

    data = _data(
        form=SubscriptionForm.PRACTICUM,
        title="Практикум по оцениванию",
        module=module,
        activity=activity,
        session=session,
        planned_on=(season.starts_on + timedelta(days=10)).isoformat(),
        note="взять план урока",
    )
    response = client.post(_url(request_, step), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#step-{step.pk}")
    step.refresh_from_db()
    assert (step.form, step.title, step.module, step.activity, step.session, step.note) == (
        SubscriptionForm.PRACTICUM,
        "Практикум по оцениванию",
        module,
        activity,
        session,
        "взять план урока",
    )
    assert step.planned_on == season.starts_on + timedelta(days=10)
    [note] = Notification.objects.filter(user=request_.enrollment.person.user)
    assert note.title == "Шаг маршрута изменён: «Практикум по оцениванию»"


def test_saving_the_form_unchanged_tells_nobody(client, request_, step):
    client.force_login(request_.tutor.person.user)
    assert client.post(_url(request_, step), _data()).status_code == 302
    assert not Notification.objects.exists()


def test_the_municipalitys_coordinator_edits_too(client, request_, step):
    client.force_login(_coordinator(request_.enrollment.season.program.municipality))
    assert client.get(_url(request_, step)).status_code == 200
    assert client.post(_url(request_, step), _data(title="Методическая сессия")).status_code == 302
    step.refresh_from_db()
    assert step.title == "Методическая сессия"


def test_the_builder_links_planned_steps_to_the_edit_page(client, request_, step):
    cancelled = route_item_add(enrollment=request_.enrollment, title="Отменённый")
    route_item_update(item=cancelled, status=RouteItem.Status.CANCELLED)
    client.force_login(request_.tutor.person.user)
    page = client.get(reverse("route_builder", args=[request_.pk])).content.decode()
    assert _url(request_, step) in page
    assert _url(request_, cancelled) not in page


def test_a_step_no_longer_planned_is_not_edited(client, request_, step):
    route_item_update(item=step, status=RouteItem.Status.DONE)
    client.force_login(request_.tutor.person.user)
    response = client.post(_url(request_, step), _data(title="Задним числом"), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#step-{step.pk}")
    assert "Изменить можно только запланированный шаг" in response.content.decode()
    step.refresh_from_db()
    assert step.title == "Разбор урока"


# --- hostile input -----------------------------------------------------------------------------------------


def test_another_seasons_or_municipalitys_ids_are_refused_in_russian(client, request_, step):
    other_season = _season()  # another municipality as well: each program gets its own
    same_town = SeasonFactory(program=request_.enrollment.season.program)  # the same program's other season
    client.force_login(request_.tutor.person.user)
    for season in (other_season, same_town):
        activity = ActivityFactory(season=season)
        data = _data(
            module=RoadmapModuleFactory(season=season), activity=activity, session=SessionFactory(activity=activity)
        )
        response = client.post(_url(request_, step), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {"module", "activity", "session"}
        assert "не относится к сезону участника" in errors["activity"][0]
        assert 'value="Разбор урока"' in response.content.decode()  # what was typed stays
    for garbage in ("abc", "-1", "99999999999999999999999", "²"):
        response = client.post(_url(request_, step), _data(activity=garbage, session=garbage))
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"activity", "session"}
    assert _unchanged(step)
    assert not Notification.objects.exists()


def test_a_session_of_another_activity_is_refused(client, request_, step):
    season = request_.enrollment.season
    activity = ActivityFactory(season=season)
    client.force_login(request_.tutor.person.user)
    data = _data(activity=activity, session=SessionFactory(activity__season=season))
    response = client.post(_url(request_, step), data)
    assert "другому мероприятию" in response.context["form"].errors["session"][0]
    assert _unchanged(step)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_out_of_bounds_are_refused_in_russian(client, request_, step, value):
    client.force_login(request_.tutor.person.user)
    response = client.post(_url(request_, step), _data(planned_on=value))
    assert response.status_code == 200
    [error] = response.context["form"].errors["planned_on"]
    assert error.startswith(("Укажите дату между", "Дата шага должна быть в пределах сезона"))
    assert _unchanged(step)


def test_a_date_outside_the_season_is_refused_and_its_bounds_are_accepted(client, request_, step):
    season = request_.enrollment.season
    client.force_login(request_.tutor.person.user)
    for outside in (season.starts_on - timedelta(days=1), season.ends_on + timedelta(days=1)):
        response = client.post(_url(request_, step), _data(planned_on=outside.isoformat()))
        assert response.status_code == 200
        assert "в пределах сезона" in response.context["form"].errors["planned_on"][0]
        assert _unchanged(step)
    for inside in (season.starts_on, season.ends_on):
        assert client.post(_url(request_, step), _data(planned_on=inside.isoformat())).status_code == 302
        step.refresh_from_db()
        assert step.planned_on == inside


def test_a_typo_in_the_date_is_refused_in_russian(client, request_, step):
    client.force_login(request_.tutor.person.user)
    response = client.post(_url(request_, step), _data(planned_on="31.02.2026"))
    assert response.context["form"].errors["planned_on"] == ["Введите дату в формате ДД.ММ.ГГГГ."]
    assert _unchanged(step)


# --- queries ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_the_tutors_route_page_runs_constant_queries(client, django_assert_num_queries, request_, count):
    """The builder with 1 and with 6 steps of every kind (a session, a dated step, a done and a cancelled one)."""
    enrollment = request_.enrollment
    season = enrollment.season
    for n in range(count):
        activity = ActivityFactory(season=season)
        if n % 3 == 0:
            item = route_item_add(enrollment=enrollment, activity=activity, session=SessionFactory(activity=activity))
        else:
            item = route_item_add(enrollment=enrollment, title=f"Шаг {n}", planned_on=season.starts_on)
        if n % 3 == 2:
            route_item_update(item=item, status=RouteItem.Status.CANCELLED if n % 2 else RouteItem.Status.DONE)
    client.force_login(request_.tutor.person.user)
    # session, user (with the menu's person), enrollment with the request, permission, route;
    # module, activity and session choices
    with django_assert_num_queries(8):
        response = client.get(reverse("route_builder", args=[request_.pk]))
    assert len(response.context["steps"]) == count


@pytest.mark.parametrize("count", [1, 6])
def test_the_edit_page_runs_constant_queries(client, django_assert_num_queries, request_, count):
    enrollment = request_.enrollment
    season = enrollment.season
    steps = [route_item_add(enrollment=enrollment, title=f"Шаг {n}") for n in range(count)]
    for _n in range(count):
        activity = ActivityFactory(season=season)
        SessionFactory(activity=activity)
        RoadmapModuleFactory(season=season)
    client.force_login(request_.tutor.person.user)
    # session, user (with the menu's person), enrollment with the request, permission, the step;
    # module, activity and session choices
    with django_assert_num_queries(8):
        response = client.get(_url(request_, steps[-1]))
    assert response.status_code == 200
