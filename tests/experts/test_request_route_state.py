"""The teacher's request pages say plainly that the tutor builds the route from the request, who the tutor is once
assigned, and how far the route is (seed 004, разд. III): the request form and the cabinet's «Мои запросы»."""

import pytest
from django.urls import reverse

from activities.models import RouteItem
from activities.route_builder import route_item_add, route_item_update
from experts.models import ExpertRole
from experts.selectors import person_requests
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.models import SubscriptionForm
from programs.models import Program
from tests.factories import AdmittedEnrollmentFactory, ExpertAssignmentFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment():
    return AdmittedEnrollmentFactory(season=SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION)))


def _request(enrollment, topic="Оценивание"):
    return individual_request_submit(
        enrollment=enrollment, deficit="Дефицит", topic=topic, preferred_form=SubscriptionForm.PRACTICUM
    )


def _tutor(enrollment):
    return ExpertAssignmentFactory(season=enrollment.season, role=ExpertRole.TUTOR, person__last_name="Тьюторова")


def _form_page(client, enrollment):
    client.force_login(enrollment.person.user)
    return client.get(reverse("individual_request_create", args=[enrollment.pk])).content.decode()


def _cabinet(client, enrollment):
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    start = html.index('id="my-requests"')
    return html[start : html.index("</section>", start)]


def test_the_form_says_the_tutor_builds_the_route_from_the_request(client, enrollment):
    html = _form_page(client, enrollment)
    assert "тьютор по вашему запросу выстраивает индивидуальный образовательный маршрут" in html
    assert "Ваши запросы в этом сезоне" not in html  # nothing filed yet


def test_before_a_tutor_the_pages_say_one_will_be_assigned(client, enrollment):
    _request(enrollment)
    for html in (_form_page(client, enrollment), _cabinet(client, enrollment)):
        assert "Тьютор ещё не назначен" in html


def test_with_a_tutor_the_pages_name_them_and_the_routes_state(client, enrollment):
    item = _request(enrollment)
    tutor = _tutor(enrollment)
    individual_request_assign_tutor(requests=[item], tutor=tutor)
    for html in (_form_page(client, enrollment), _cabinet(client, enrollment)):
        assert tutor.person.full_name in html
        assert "тьютор выстраивает его по вашему запросу, шагов пока нет" in html

    first = route_item_add(enrollment=enrollment, title="Разбор урока")
    route_item_add(enrollment=enrollment, title="Практикум")
    cancelled = route_item_add(enrollment=enrollment, title="Отменённый")
    route_item_update(item=cancelled, status=RouteItem.Status.CANCELLED)
    route_item_update(item=first, status=RouteItem.Status.DONE)
    for html in (_form_page(client, enrollment), _cabinet(client, enrollment)):
        assert "составлен, шагов в маршруте: 2, впереди: 1." in html
        assert f'href="{reverse("cabinet")}#route"' in html

    route_item_update(item=RouteItem.objects.get(title="Практикум"), status=RouteItem.Status.MISSED)
    assert "все шаги пройдены или отмечены, шагов в маршруте: 2." in _cabinet(client, enrollment)


def test_the_form_page_shows_only_this_enrollments_requests(client, enrollment):
    _request(enrollment, topic="Мой запрос")
    _request(AdmittedEnrollmentFactory(season=enrollment.season), topic="Чужой запрос")
    html = _form_page(client, enrollment)
    assert "Мой запрос" in html and "Чужой запрос" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_the_route_state_costs_no_extra_query(django_assert_num_queries, enrollment, count):
    for n in range(count):
        item = _request(enrollment, topic=f"Запрос {n}")
        individual_request_assign_tutor(requests=[item], tutor=_tutor(enrollment))
        route_item_add(enrollment=enrollment, title=f"Шаг {n}")
    with django_assert_num_queries(1):
        requests = person_requests(enrollment.person)
    assert [r.route_steps for r in requests] == [count] * count
    assert [r.route_planned for r in requests] == [count] * count
