"""The tutor's route builder: who may build a route, choices limited to the season, adding, moving, cancelling."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import RouteItem
from activities.route_builder import route_item_add, route_item_move, route_item_update, route_items_reorder
from activities.rules import can_build_route
from experts.models import ExpertRole
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.models import SubscriptionForm, User
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AdmittedEnrollmentFactory,
    ExpertAssignmentFactory,
    ProgramFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _season():
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))


def _tutor(season):
    return ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR, person__user=UserFactory())


def _request(season=None, tutor=None):
    season = season or _season()
    item = individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season),
        deficit="Дефицит",
        topic="Проектная деятельность",
        preferred_form=SubscriptionForm.MASTER_CLASS,
    )
    tutor = tutor or _tutor(season)
    individual_request_assign_tutor(requests=[item], tutor=tutor)
    item.refresh_from_db()
    return item


def _coordinator(municipality):
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)


def _url(item):
    return reverse("route_builder", args=[item.pk])


# --- who may build -------------------------------------------------------------------------------------


def test_permission_matrix():
    item = _request()
    enrollment, season = item.enrollment, item.enrollment.season
    assert can_build_route(item.tutor.person.user, enrollment)
    assert not can_build_route(_tutor(season).person.user, enrollment)  # another tutor of the season
    assert not can_build_route(_tutor(_season()).person.user, enrollment)  # a tutor of another season
    assert not can_build_route(enrollment.person.user, enrollment)  # the teacher
    assert can_build_route(_coordinator(season.program.municipality), enrollment)
    assert not can_build_route(_coordinator(_season().program.municipality), enrollment)
    assert not can_build_route(AnonymousUser(), enrollment)
    item.tutor.is_active = False
    item.tutor.save()
    assert not can_build_route(item.tutor.person.user, enrollment)


def test_the_pages_answer_each_visitor(client):
    item = _request()
    url = _url(item)
    assert reverse("login") in client.get(url)["Location"]
    for user in (
        _tutor(item.enrollment.season).person.user,
        item.enrollment.person.user,
        _coordinator(_season().program.municipality),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Шаг"}).status_code == 404
    assert not RouteItem.objects.exists()
    client.force_login(_coordinator(item.enrollment.season.program.municipality))
    assert client.get(url).status_code == 200
    client.force_login(item.tutor.person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Проектная деятельность" in response.content.decode()
    assert client.get(reverse("route_builder", args=[item.pk + 1000])).status_code == 404


# --- adding ----------------------------------------------------------------------------------------------


def test_the_tutor_adds_a_step_from_the_season(client):
    item = _request()
    season = item.enrollment.season
    module = RoadmapModuleFactory(season=season)
    activity = ActivityFactory(season=season, module=module, kind="practicum")
    session = SessionFactory(activity=activity)
    client.force_login(item.tutor.person.user)
    data = {
        "form": SubscriptionForm.PRACTICUM,
        "module": module.pk,
        "activity": activity.pk,
        "session": session.pk,
        "planned_on": "",
        "note": "Взять с собой план урока",
    }
    response = client.post(_url(item), data)
    assert response.status_code == 302
    step = RouteItem.objects.get()
    assert (step.enrollment, step.module, step.activity, step.session, step.order) == (
        item.enrollment,
        module,
        activity,
        session,
        1,
    )
    assert step.note == "Взять с собой план урока"
    page = client.get(_url(item)).content.decode()
    assert activity.title in page


def test_choices_from_another_season_are_refused_at_their_fields(client):
    item = _request()
    other = _season()
    client.force_login(item.tutor.person.user)
    data = {
        "title": "Шаг",
        "module": RoadmapModuleFactory(season=other).pk,
        "activity": ActivityFactory(season=other).pk,
        "session": SessionFactory(activity__season=other).pk,
    }
    response = client.post(_url(item), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"module", "activity", "session"}
    assert "не относится к сезону участника" in errors["module"][0]
    assert not RouteItem.objects.exists()
    assert 'value="Шаг"' in response.content.decode()


def test_an_empty_step_and_a_session_of_another_activity_are_refused(client):
    item = _request()
    season = item.enrollment.season
    client.force_login(item.tutor.person.user)
    response = client.post(_url(item), {"note": "только примечание"})
    assert "Укажите, что запланировано" in " ".join(response.context["form"].non_field_errors())
    activity = ActivityFactory(season=season)
    response = client.post(_url(item), {"activity": activity.pk, "session": SessionFactory(activity__season=season).pk})
    assert "другому мероприятию" in response.context["form"].errors["session"][0]
    assert not RouteItem.objects.exists()


def test_the_service_refuses_another_seasons_module_even_without_the_form():
    item = _request()
    with pytest.raises(ValidationError) as exc:
        route_item_add(enrollment=item.enrollment, module=RoadmapModuleFactory(season=_season()))
    assert set(exc.value.error_dict) == {"module"}


def test_steps_are_appended_in_order():
    item = _request()
    steps = [route_item_add(enrollment=item.enrollment, title=f"Шаг {n}") for n in range(3)]
    assert [s.order for s in steps] == [1, 2, 3]


# --- moving and cancelling -------------------------------------------------------------------------------


def _orders(enrollment):
    return list(RouteItem.objects.filter(enrollment=enrollment).order_by("order").values_list("title", flat=True))


def test_reorder_and_move():
    item = _request()
    enrollment = item.enrollment
    a, b, c = (route_item_add(enrollment=enrollment, title=t) for t in "ABC")
    route_items_reorder(enrollment=enrollment, ordered_ids=[c.pk, a.pk, b.pk])
    assert _orders(enrollment) == ["C", "A", "B"]
    route_item_move(item=b, up=True)
    assert _orders(enrollment) == ["C", "B", "A"]
    route_item_move(item=c, up=True)  # the first stays first
    assert _orders(enrollment) == ["C", "B", "A"]
    with pytest.raises(ValidationError):
        route_items_reorder(enrollment=enrollment, ordered_ids=[a.pk, b.pk])
    other = route_item_add(enrollment=_request().enrollment, title="Чужой")
    with pytest.raises(ValidationError):
        route_items_reorder(enrollment=enrollment, ordered_ids=[a.pk, b.pk, other.pk])


def test_the_tutor_moves_and_cancels_through_the_page(client):
    item = _request()
    enrollment = item.enrollment
    a, b = (route_item_add(enrollment=enrollment, title=t) for t in "AB")
    client.force_login(item.tutor.person.user)
    action = lambda step, name: reverse("route_item_action", args=[item.pk, step.pk, name])  # noqa: E731
    assert client.post(action(b, "up")).status_code == 302
    assert _orders(enrollment) == ["B", "A"]
    client.post(action(a, "cancel"))
    a.refresh_from_db()
    assert a.status == RouteItem.Status.CANCELLED
    client.post(action(a, "restore"))
    a.refresh_from_db()
    assert a.status == RouteItem.Status.PLANNED
    assert client.post(action(a, "explode")).status_code == 404
    assert client.get(action(a, "cancel")).status_code == 405


def test_another_tutor_cannot_move_and_a_step_of_another_route_is_not_found(client):
    item = _request()
    step = route_item_add(enrollment=item.enrollment, title="A")
    foreign = route_item_add(enrollment=_request().enrollment, title="B")
    client.force_login(_tutor(item.enrollment.season).person.user)
    assert client.post(reverse("route_item_action", args=[item.pk, step.pk, "cancel"])).status_code == 404
    client.force_login(item.tutor.person.user)
    assert client.post(reverse("route_item_action", args=[item.pk, foreign.pk, "cancel"])).status_code == 404
    foreign.refresh_from_db()
    step.refresh_from_db()
    assert foreign.status == step.status == RouteItem.Status.PLANNED


def test_update_keeps_the_season_rule():
    item = _request()
    # A date within the season (a step of the season's route happens in it).
    step = route_item_add(enrollment=item.enrollment, title="A", planned_on=item.enrollment.season.starts_on)
    with pytest.raises(ValidationError):
        route_item_update(item=step, activity=ActivityFactory(season=_season()))
    assert route_item_update(item=step, note=" позже ").note == "позже"


@pytest.mark.parametrize("count", [1, 3])
def test_the_builder_runs_constant_queries(client, django_assert_num_queries, count):
    item = _request()
    season = item.enrollment.season
    for _n in range(count):
        activity = ActivityFactory(season=season)
        route_item_add(enrollment=item.enrollment, activity=activity, session=SessionFactory(activity=activity))
        RoadmapModuleFactory(season=season)
    client.force_login(item.tutor.person.user)
    # session, user (with the menu's person), enrollment with the request, permission, route;
    # module, activity and session choices
    with django_assert_num_queries(8):
        response = client.get(_url(item))
    assert len(response.context["steps"]) == count
