"""The coordinator's route admin saves through the route services: the season's rules hold, a done step is not
rewritten, and the teacher is told once per change (Положение «Методический абонемент», разд. III)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from activities.models import RouteItem
from activities.route_builder import route_item_add, route_item_update
from core.models import Notification
from participants.models import User
from participants.roles import COORDINATORS, role_groups_ensure
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AdmittedEnrollmentFactory,
    ProgramFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = RouteItem.Status


@pytest.fixture
def enrollment():
    return AdmittedEnrollmentFactory(season=SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION)))


@pytest.fixture
def coordinator(client, enrollment):
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=enrollment.season.program.municipality)
    user.groups.add(role_groups_ensure()[COORDINATORS])  # the admin's permissions of a coordinator
    client.force_login(user)
    return user


def _data(item, **extra):
    data = {
        "order": item.order,
        "status": item.status,
        "title": item.title,
        "form": item.form,
        "note": item.note,
        "module": "",
        "activity": item.activity_id or "",
        "session": item.session_id or "",
        "planned_on": item.planned_on.isoformat() if item.planned_on else "",
    }
    data.update({k: v.pk if hasattr(v, "pk") else v for k, v in extra.items()})
    return data


def _teacher_notes(enrollment):
    return list(Notification.objects.filter(user=enrollment.person.user).order_by("pk"))


def test_adding_in_the_admin_builds_the_route_and_tells_the_teacher(client, coordinator, enrollment):
    url = reverse("admin:activities_routeitem_add")
    data = {"enrollment": enrollment.pk, "order": 0, "status": S.PLANNED, "title": "Разбор урока"}
    data.update({"form": "", "note": "", "planned_on": enrollment.season.starts_on.isoformat()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = RouteItem.objects.get()
    assert (item.title, item.order) == ("Разбор урока", 1)
    [note] = _teacher_notes(enrollment)
    assert note.title == "Тьютор составил ваш индивидуальный образовательный маршрут"


def test_editing_in_the_admin_is_one_notification_and_an_unchanged_save_none(client, coordinator, enrollment):
    item = route_item_add(enrollment=enrollment, title="Разбор урока")
    Notification.objects.all().delete()
    url = reverse("admin:activities_routeitem_change", args=[item.pk])
    day = enrollment.season.starts_on + timedelta(days=5)
    response = client.post(url, _data(item, title="Методическая сессия", planned_on=day.isoformat()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.title, item.planned_on) == ("Методическая сессия", day)
    assert [n.title for n in _teacher_notes(enrollment)] == ["Шаг маршрута изменён: «Методическая сессия»"]
    assert client.post(url, _data(item)).status_code == 302
    assert len(_teacher_notes(enrollment)) == 1


def test_the_admin_refuses_another_seasons_session_and_a_date_outside_the_season(client, coordinator, enrollment):
    item = route_item_add(enrollment=enrollment, title="Разбор урока")
    Notification.objects.all().delete()
    url = reverse("admin:activities_routeitem_change", args=[item.pk])
    foreign = SessionFactory(activity=ActivityFactory(season=SeasonFactory(program=enrollment.season.program)))
    response = client.post(url, _data(item, activity=foreign.activity, session=foreign))
    assert response.status_code == 200
    assert {"activity", "session"} <= set(response.context["adminform"].form.errors)
    late = (enrollment.season.ends_on + timedelta(days=1)).isoformat()
    response = client.post(url, _data(item, planned_on=late))
    assert "в пределах сезона" in str(response.context["adminform"].form.errors["planned_on"])
    response = client.post(url, _data(item, planned_on="9999-12-31"))
    assert response.status_code == 200
    assert "planned_on" in response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.activity_id, item.session_id, item.planned_on) == (None, None, None)
    assert not Notification.objects.exists()


def test_a_done_step_is_not_rewritten_in_the_admin(client, coordinator, enrollment):
    item = route_item_add(enrollment=enrollment, title="Разбор урока")
    item = route_item_update(item=item, status=S.DONE)
    Notification.objects.all().delete()
    url = reverse("admin:activities_routeitem_change", args=[item.pk])
    response = client.post(url, _data(item, title="Задним числом"))
    assert response.status_code == 200
    assert "только запланированный шаг" in str(response.context["adminform"].form.non_field_errors())
    # Planned again and renamed at once is allowed: the step is back in the plan.
    assert client.post(url, _data(item, title="Повторный разбор", status=S.PLANNED)).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.status) == ("Повторный разбор", S.PLANNED)
    assert [n.title for n in _teacher_notes(enrollment)] == ["Шаг маршрута снова запланирован: «Повторный разбор»"]


def test_the_status_column_of_the_list_tells_the_teacher(client, coordinator, enrollment):
    item = route_item_add(enrollment=enrollment, title="Разбор урока")
    Notification.objects.all().delete()
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(item.pk),
        "form-0-order": "3",
        "form-0-status": S.CANCELLED,
        "_save": "Сохранить",
    }
    response = client.post(reverse("admin:activities_routeitem_changelist"), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.order) == (S.CANCELLED, 3)
    assert [n.title for n in _teacher_notes(enrollment)] == ["Шаг маршрута отменён: «Разбор урока»"]
