"""The teacher's individual route (ИОМ): statuses following attendance, the cabinet section, the route admin."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityKind, Attendance, RouteItem
from activities.selectors_route import enrollment_routes, route_state
from participants.cabinet import CabinetContext, registered_sections
from participants.models import SubscriptionForm
from participants.selectors import person_enrollments
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ProgramFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = RouteItem.Status
A = Attendance.Status


def _enrollment(**kwargs):
    kwargs.setdefault(
        "season", SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION), time_zone="Europe/Moscow")
    )
    return EnrollmentFactory(**kwargs)


def _session(season, **kwargs):
    activity = ActivityFactory(season=season, kind=ActivityKind.PRACTICUM, title="Практикум по оцениванию")
    return SessionFactory(activity=activity, **kwargs)


@pytest.mark.parametrize(
    ("item_status", "attendance", "state"),
    [
        (S.PLANNED, None, "planned"),
        (S.DONE, None, "done"),
        (S.PLANNED, A.PRESENT, "done"),
        (S.PLANNED, A.LATE, "done"),
        (S.PLANNED, A.ABSENT, "missed"),
        (S.DONE, A.ABSENT, "missed"),
        (S.PLANNED, A.EXCUSED, "excused"),
        (S.CANCELLED, A.PRESENT, "cancelled"),
    ],
)
def test_route_state_follows_attendance_unless_cancelled(item_status, attendance, state):
    assert route_state(item_status, attendance) == state


def test_selector_reads_my_attendance_not_someone_elses():
    enrollment = _enrollment()
    session = _session(enrollment.season)
    classmate = _enrollment(season=enrollment.season)
    AttendanceFactory(session=session, enrollment=classmate, status=A.PRESENT)
    RouteItem.objects.create(enrollment=enrollment, session=session, order=1)
    RouteItem.objects.create(enrollment=classmate, session=session, order=1)
    routes = enrollment_routes([enrollment, classmate])
    assert [s.state for s in routes[enrollment.pk]] == ["planned"]
    assert [s.state for s in routes[classmate.pk]] == ["done"]
    assert routes[enrollment.pk][0].title == "Практикум по оцениванию"
    assert routes[enrollment.pk][0].form_label == "Практикум"


def test_cabinet_shows_the_route_in_order_with_statuses(client):
    enrollment = _enrollment()
    season = enrollment.season
    starts = datetime(2025, 3, 4, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    attended, missed, excused, cancelled = (_session(season, starts_at=starts + timedelta(days=i)) for i in range(4))
    AttendanceFactory(session=attended, enrollment=enrollment, status=A.PRESENT)
    AttendanceFactory(session=missed, enrollment=enrollment, status=A.ABSENT)
    AttendanceFactory(session=excused, enrollment=enrollment, status=A.EXCUSED, reason="Больничный")
    AttendanceFactory(session=cancelled, enrollment=enrollment, status=A.PRESENT)
    module = RoadmapModuleFactory(season=season, title="Функциональная грамотность")
    RouteItem.objects.create(enrollment=enrollment, order=5, session=cancelled, status=S.CANCELLED)
    RouteItem.objects.create(enrollment=enrollment, order=1, session=attended)
    RouteItem.objects.create(enrollment=enrollment, order=2, session=missed, status=S.DONE)
    RouteItem.objects.create(enrollment=enrollment, order=3, session=excused)
    RouteItem.objects.create(
        enrollment=enrollment,
        order=4,
        module=module,
        form=SubscriptionForm.MENTORING_HOUR,
        title="Встреча с наставником",
        planned_on=datetime(2025, 4, 15).date(),
    )
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Индивидуальный образовательный маршрут" in html
    section = html[html.index('id="route"') :]
    labels = ["Пройдено<", "Пропущено<", "Пропущено по уважительной причине", "Запланировано", "Отменено"]
    positions = [section.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "4 марта 2025, 10:00" in section  # the season's zone, not UTC
    assert "15 апреля 2025" in section and "Наставнический час" in section
    assert "Функциональная грамотность" in section
    assert "Пройдено 1 из 4" in section


def test_an_empty_route_is_explained_and_others_do_not_see_mine(client):
    enrollment = _enrollment()
    other = _enrollment(season=enrollment.season)
    RouteItem.objects.create(enrollment=enrollment, order=1, title="Мой личный шаг")
    client.force_login(other.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Маршрут пока не составлен" in html
    assert "Мой личный шаг" not in html


def test_anonymous_visitor_is_sent_to_login(client):
    assert reverse("login") in client.get(reverse("cabinet"))["Location"]


def test_section_is_absent_outside_the_subscription(client):
    enrollment = EnrollmentFactory()
    client.force_login(enrollment.person.user)
    assert "Индивидуальный образовательный маршрут" not in client.get(reverse("cabinet")).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_route_section_query_count_does_not_grow(django_assert_num_queries, count):
    enrollment = _enrollment()
    module = RoadmapModuleFactory(season=enrollment.season)
    for i in range(count):
        session = _session(enrollment.season)
        AttendanceFactory(session=session, enrollment=enrollment, status=A.PRESENT)
        RouteItem.objects.create(enrollment=enrollment, order=i, session=session, module=module)
        RouteItem.objects.create(enrollment=enrollment, order=i, activity=session.activity, title=f"Шаг {i}")
    person = enrollment.person
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    section = next(s for s in registered_sections() if s.key == "route")
    with django_assert_num_queries(1):
        context = section.context(ctx)
    steps = context["routes"][0]["steps"]
    assert len(steps) == 2 * count
    assert context["routes"][0]["done"] == count


# --- the route admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _form_data(enrollment, **extra):
    data = {"enrollment": enrollment.pk, "order": 1, "status": S.PLANNED, "title": "", "form": "", "note": ""}
    data.update({k: v.pk if hasattr(v, "pk") else v for k, v in extra.items()})
    return data


def test_admin_builds_a_route_step(client, superuser):
    enrollment = _enrollment()
    session = _session(enrollment.season)
    url = reverse("admin:activities_routeitem_add")
    page = client.get(url, {"enrollment": enrollment.pk})
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields["session"].queryset) == [session]
    response = client.post(url, _form_data(enrollment, session=session, activity=session.activity))
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = RouteItem.objects.get()
    assert (item.enrollment, item.session, item.activity) == (enrollment, session, session.activity)


def test_admin_refuses_choices_of_another_season(client, superuser):
    enrollment = _enrollment()
    other_season = SeasonFactory(program=enrollment.season.program)
    foreign_session = _session(other_season)
    foreign_module = RoadmapModuleFactory(season=other_season)
    url = reverse("admin:activities_routeitem_add")
    response = client.post(
        url, _form_data(enrollment, session=foreign_session, activity=foreign_session.activity, module=foreign_module)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"session", "activity", "module"} <= set(errors)
    own_session = _session(enrollment.season)
    mismatched = client.post(
        url, _form_data(enrollment, session=own_session, activity=ActivityFactory(season=enrollment.season))
    )
    assert "другому мероприятию" in str(mismatched.context["adminform"].form.errors["session"])
    empty = client.post(url, _form_data(enrollment))
    assert "Укажите, что запланировано" in str(empty.context["adminform"].form.non_field_errors())
    assert not RouteItem.objects.exists()


def test_admin_refuses_a_participant_outside_the_subscription(client, superuser):
    enrollment = EnrollmentFactory()
    response = client.post(reverse("admin:activities_routeitem_add"), _form_data(enrollment, title="Шаг"))
    assert response.status_code == 200
    assert "enrollment" in response.context["adminform"].form.errors
    assert not RouteItem.objects.exists()


def test_admin_autocomplete_and_list(client, superuser):
    enrollment = _enrollment()
    EnrollmentFactory(person=enrollment.person)
    RouteItem.objects.create(enrollment=enrollment, order=2, title="Второй")
    RouteItem.objects.create(enrollment=enrollment, order=1, title="Первый")
    url = reverse("admin:activities_routeitem_subscription_enrollments")
    params = {"app_label": "activities", "model_name": "routeitem", "field_name": "enrollment", "term": ""}
    assert [r["id"] for r in client.get(url, params).json()["results"]] == [str(enrollment.pk)]
    listing = client.get(reverse("admin:activities_routeitem_changelist"))
    assert [i.title for i in listing.context["cl"].result_list] == ["Первый", "Второй"]
    change = client.get(reverse("admin:activities_routeitem_change", args=[RouteItem.objects.first().pk]))
    assert change.status_code == 200
