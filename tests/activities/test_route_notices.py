"""Who is told what about an individual route (seed 004, разд. III): the tutor of a request assigned to them, the
teacher of their tutor and of every change of their route — one notification per change, none for no change."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import RouteItem
from activities.route_builder import route_item_add, route_item_update
from activities.route_notices import route_step_added_notify
from core.models import Notification
from core.notifications import notifications_deliver
from experts.models import ExpertRole
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.models import SubscriptionForm
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AdmittedEnrollmentFactory,
    ExpertAssignmentFactory,
    ProgramFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ROUTE_URL = f"{reverse('cabinet')}#route"


def _season():
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))


def _tutor(season, last_name="Тьюторова"):
    return ExpertAssignmentFactory(
        season=season, role=ExpertRole.TUTOR, person__user=UserFactory(), person__last_name=last_name
    )


def _request(season=None):
    season = season or _season()
    return individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season),
        deficit="Формирующее оценивание на уроках математики",
        topic="Оценивание",
        preferred_form=SubscriptionForm.PRACTICUM,
    )


def _notes(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


# --- the tutor is assigned -------------------------------------------------------------------------------


def test_assigning_a_tutor_tells_the_tutor_and_the_teacher():
    item = _request()
    tutor = _tutor(item.enrollment.season)
    teacher = item.enrollment.person.user
    assert individual_request_assign_tutor(requests=[item], tutor=tutor) == (1, [])

    [to_tutor] = _notes(tutor.person.user)
    assert to_tutor.title == "Вам назначен запрос «Оценивание»"
    assert "Формирующее оценивание" in to_tutor.body
    assert to_tutor.url == reverse("tutor_request_detail", args=[item.pk])
    assert to_tutor.email_template == "request_tutor_assigned"
    assert to_tutor.email_status == Notification.EmailStatus.PENDING
    [to_teacher] = _notes(teacher)
    assert to_teacher.title == f"Вам назначен тьютор: {tutor.person.full_name}"
    assert to_teacher.url == ROUTE_URL
    assert "выстроит ваш индивидуальный образовательный маршрут" in to_teacher.body


def test_the_same_tutor_again_tells_nobody_and_a_new_tutor_is_a_change():
    item = _request()
    season = item.enrollment.season
    first, second = _tutor(season), _tutor(season, last_name="Новикова")
    teacher = item.enrollment.person.user
    individual_request_assign_tutor(requests=[item], tutor=first)
    individual_request_assign_tutor(requests=[item], tutor=first)  # nothing changed
    assert len(_notes(first.person.user)) == 1
    assert len(_notes(teacher)) == 1

    individual_request_assign_tutor(requests=[item], tutor=second)
    assert len(_notes(second.person.user)) == 1
    assert [n.title for n in _notes(teacher)][-1] == f"Ваш тьютор сменился: {second.person.full_name}"
    assert len(_notes(first.person.user)) == 1  # the former tutor is not told anything new


def test_a_skipped_request_tells_nobody():
    item = _request()
    tutor_elsewhere = _tutor(_season())
    changed, skipped = individual_request_assign_tutor(requests=[item], tutor=tutor_elsewhere)
    assert changed == 0 and len(skipped) == 1
    assert not Notification.objects.exists()


def test_the_tutors_e_mail_links_to_the_request():
    item = _request()
    tutor = _tutor(item.enrollment.season)
    individual_request_assign_tutor(requests=[item], tutor=tutor)
    mail.outbox.clear()
    notifications_deliver()
    by_address = {m.to[0]: m for m in mail.outbox}
    letter = by_address[tutor.person.user.email]
    assert letter.subject == "Вам назначен запрос «Оценивание»"
    assert reverse("tutor_request_detail", args=[item.pk]) in letter.body
    teacher_letter = by_address[item.enrollment.person.user.email]
    assert "#route" in teacher_letter.body


# --- the route is built and changed ----------------------------------------------------------------------


@pytest.fixture
def assigned():
    item = _request()
    individual_request_assign_tutor(requests=[item], tutor=_tutor(item.enrollment.season))
    Notification.objects.all().delete()
    item.refresh_from_db()
    return item


def test_the_first_step_builds_the_route_and_later_ones_are_added(assigned):
    enrollment = assigned.enrollment
    teacher = enrollment.person.user
    first = route_item_add(enrollment=enrollment, title="Разбор урока", planned_on=enrollment.season.starts_on)
    second = route_item_add(enrollment=enrollment, title="Практикум по оцениванию")
    built, added = _notes(teacher)
    assert built.title == "Тьютор составил ваш индивидуальный образовательный маршрут"
    assert built.dedupe_key == f"route:{enrollment.pk}:built"
    assert "Разбор урока" in built.body
    assert added.title == "В ваш маршрут добавлен шаг «Практикум по оцениванию»"
    assert added.dedupe_key == f"route-step:{second.pk}:added"
    assert {built.url, added.url} == {ROUTE_URL}
    assert {built.email_template, added.email_template} == {"route_changed"}
    # The same news again is not a second notification.
    assert route_step_added_notify(item=first, first=True) == 0
    assert len(_notes(teacher)) == 2


def test_an_edit_is_one_notification_and_no_change_is_none(assigned):
    enrollment = assigned.enrollment
    teacher = enrollment.person.user
    step = route_item_add(enrollment=enrollment, title="Разбор урока")
    Notification.objects.all().delete()

    day = enrollment.season.starts_on + timedelta(days=3)
    route_item_update(item=step, title="Разбор урока с тьютором", planned_on=day, note=" взять конспект ")
    [changed] = _notes(teacher)
    assert changed.title == "Шаг маршрута изменён: «Разбор урока с тьютором»"
    assert changed.body.startswith("Изменено: что запланировано, дата, примечание.")
    assert changed.url == ROUTE_URL

    route_item_update(item=step, title="Разбор урока с тьютором", planned_on=day, note="взять конспект")
    assert len(_notes(teacher)) == 1  # the same values: nothing saved, nothing told


def test_each_status_change_is_told_even_back_and_forth(assigned):
    enrollment = assigned.enrollment
    teacher = enrollment.person.user
    step = route_item_add(enrollment=enrollment, title="Мастер-класс")
    Notification.objects.all().delete()
    route_item_update(item=step, status=RouteItem.Status.CANCELLED)
    route_item_update(item=step, status=RouteItem.Status.CANCELLED)  # already cancelled: nothing
    route_item_update(item=step, status=RouteItem.Status.PLANNED)
    route_item_update(item=step, status=RouteItem.Status.CANCELLED)
    route_item_update(item=step, status=RouteItem.Status.PLANNED)
    route_item_update(item=step, status=RouteItem.Status.DONE)
    titles = [n.title for n in _notes(teacher)]
    assert titles == [
        "Шаг маршрута отменён: «Мастер-класс»",
        "Шаг маршрута снова запланирован: «Мастер-класс»",
        "Шаг маршрута отменён: «Мастер-класс»",
        "Шаг маршрута снова запланирован: «Мастер-класс»",
        "Шаг маршрута пройден: «Мастер-класс»",
    ]
    assert len({n.dedupe_key for n in _notes(teacher)}) == 5


def test_a_refused_change_tells_nothing_and_saves_nothing(assigned):
    enrollment = assigned.enrollment
    step = route_item_add(enrollment=enrollment, title="Мастер-класс")
    Notification.objects.all().delete()
    with pytest.raises(ValidationError):
        route_item_update(item=step, activity=ActivityFactory(season=_season()))
    with pytest.raises(ValidationError) as exc:
        route_item_update(item=step, planned_on=enrollment.season.ends_on + timedelta(days=1))
    assert "в пределах сезона" in exc.value.message_dict["planned_on"][0]
    route_item_update(item=step, status=RouteItem.Status.DONE)
    Notification.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        route_item_update(item=step, title="Другое")  # a done step is history
    assert "только запланированный шаг" in exc.value.messages[0]
    step.refresh_from_db()
    assert step.title == "Мастер-класс"
    assert not Notification.objects.exists()


def test_a_session_step_names_the_sessions_time_in_the_seasons_zone(assigned):
    enrollment = assigned.enrollment
    season = enrollment.season
    session = SessionFactory(activity=ActivityFactory(season=season, title="Практикум"))
    route_item_add(enrollment=enrollment, activity=session.activity, session=session)
    [note] = _notes(enrollment.person.user)
    local = session.starts_at.astimezone(season.tz)
    assert local.strftime("%H:%M") in note.body


def test_a_teacher_without_an_account_is_not_told(assigned):
    enrollment = assigned.enrollment
    enrollment.person.user = None
    enrollment.person.save()
    route_item_add(enrollment=enrollment, title="Шаг")
    assert not Notification.objects.exists()


def test_the_teachers_e_mail_links_to_the_route(assigned):
    route_item_add(enrollment=assigned.enrollment, title="Разбор урока")
    mail.outbox.clear()
    assert notifications_deliver()["sent"] == 1
    [letter] = mail.outbox
    assert letter.subject == "Тьютор составил ваш индивидуальный образовательный маршрут"
    assert "/cabinet/#route" in letter.body
    assert "Разбор урока" in letter.body
    html = letter.alternatives[0][0]
    assert 'href="http' in html and "#route" in html
