"""Seed 004 (приказ № 18 от 10.02.2021, «Методический абонемент»), Положение, раздел III, п. 2 «Алгоритм
деятельности»: «формирование банка запросов от тьюторантов», «формирование команды специалистов … муниципальных
тьюторов», «выбор адресной тематики образовательного маршрута педагогов»; раздел II, задача 4: «выстраивание
индивидуальных маршрутов развития профессиональной компетентности педагогов»; принцип адресности: «обучение
строится на основе индивидуального запроса педагога».

The route flow with explicit dates, through the real services: a teacher's request → a tutor assigned (both told)
→ the tutor builds the route (the teacher told) → its planned steps are in «Ближайшие сроки» and the calendar →
a step edited within the season (told once), refused outside it → a step done leaves the deadlines and the
calendar → the tutor changes (the teacher told)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from activities.calendar import person_calendar
from activities.models import RouteItem
from activities.route_builder import route_item_add, route_item_update
from activities.selectors import DeadlineKind, enrollment_deadlines
from core.models import Notification
from experts.models import ExpertRole, IndividualRequest
from experts.services import individual_request_assign_tutor, individual_request_submit
from participants.models import SubscriptionForm
from participants.selectors import person_enrollments
from programs.models import Program
from tests.factories import (
    ActivityFactory,
    AdmittedEnrollmentFactory,
    ExpertAssignmentFactory,
    ProgramFactory,
    SeasonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
SEASON_START, SEASON_END = date(2025, 9, 1), date(2026, 5, 31)


def _titles(user):
    return [n.title for n in Notification.objects.filter(user=user).order_by("pk")]


def _calendar_uids(person, now):
    return {str(e["UID"]): e for e in Calendar.from_ical(person_calendar(person=person, now=now)).walk("VEVENT")}


def test_the_route_flow_from_request_to_done_step():
    season = SeasonFactory(
        program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION, title="Методический абонемент"),
        title="2025–2026",
        starts_on=SEASON_START,
        ends_on=SEASON_END,
        time_zone="Europe/Moscow",
    )
    enrollment = AdmittedEnrollmentFactory(season=season)
    teacher = enrollment.person
    tutor = ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR, person__last_name="Соколова")
    other_tutor = ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR, person__last_name="Белова")

    # The teacher's request lands in the bank; the coordinator assigns a tutor on 1 October.
    request = individual_request_submit(
        enrollment=enrollment,
        deficit="Формирование функциональной грамотности на уроках математики",
        topic="Функциональная грамотность",
        preferred_form=SubscriptionForm.PRACTICUM,
    )
    assigned_at = datetime(2025, 10, 1, 10, 0, tzinfo=MSK)
    assert individual_request_assign_tutor(requests=[request], tutor=tutor, now=assigned_at) == (1, [])
    request.refresh_from_db()
    assert (request.status, request.tutor) == (IndividualRequest.Status.ASSIGNED, tutor)
    assert _titles(tutor.person.user) == ["Вам назначен запрос «Функциональная грамотность»"]
    assert _titles(teacher.user) == [f"Вам назначен тьютор: {tutor.person.full_name}"]

    # The tutor builds the route: a practicum session on 15 October at 15:00, a lesson review on 20 October.
    session = SessionFactory(
        activity=ActivityFactory(season=season, title="Практикум «Задачи PISA»", kind=SubscriptionForm.PRACTICUM),
        title="",
        starts_at=datetime(2025, 10, 15, 15, 0, tzinfo=MSK),
        ends_at=datetime(2025, 10, 15, 17, 0, tzinfo=MSK),
    )
    practicum = route_item_add(enrollment=enrollment, activity=session.activity, session=session)
    review = route_item_add(
        enrollment=enrollment,
        form=SubscriptionForm.MENTORING_HOUR,
        title="Разбор урока с тьютором",
        planned_on=date(2025, 10, 20),
    )
    assert _titles(teacher.user)[1:] == [
        "Тьютор составил ваш индивидуальный образовательный маршрут",
        "В ваш маршрут добавлен шаг «Разбор урока с тьютором»",
    ]

    # On 10 October both steps are ahead: the session at its time (listed once), the review all day.
    now = datetime(2025, 10, 10, 12, 0, tzinfo=MSK)
    deadlines = enrollment_deadlines(person_enrollments(teacher), now=now)
    assert [(d.kind, d.at, d.all_day) for d in deadlines] == [
        (DeadlineKind.ROUTE_STEP, datetime(2025, 10, 15, 15, 0, tzinfo=MSK), False),
        (DeadlineKind.ROUTE_STEP, datetime(2025, 10, 20, 0, 0, tzinfo=MSK), True),
    ]
    events = _calendar_uids(teacher, now)
    assert set(events) == {f"route-step-{practicum.pk}@localhost", f"route-step-{review.pk}@localhost"}
    assert events[f"route-step-{review.pk}@localhost"].decoded("DTSTART") == date(2025, 10, 20)

    # The tutor moves the review to 22 October: one notification; a date after the season is refused.
    before = len(_titles(teacher.user))
    route_item_update(item=review, planned_on=date(2025, 10, 22))
    assert _titles(teacher.user)[before:] == ["Шаг маршрута изменён: «Разбор урока с тьютором»"]
    with pytest.raises(ValidationError) as refused:
        route_item_update(item=review, planned_on=date(2026, 6, 15))
    assert refused.value.message_dict["planned_on"] == [
        "Дата шага должна быть в пределах сезона: с 01.09.2025 по 31.05.2026."
    ]
    review.refresh_from_db()
    assert review.planned_on == date(2025, 10, 22)
    assert len(_titles(teacher.user)) == before + 1
    events = _calendar_uids(teacher, now)
    assert events[f"route-step-{review.pk}@localhost"].decoded("DTSTART") == date(2025, 10, 22)

    # The practicum is done: it leaves the deadlines and the calendar, and the teacher is told.
    route_item_update(item=practicum, status=RouteItem.Status.DONE)
    assert _titles(teacher.user)[-1] == "Шаг маршрута пройден: «Практикум «Задачи PISA»»"
    deadlines = enrollment_deadlines(person_enrollments(teacher), now=now)
    assert [d.route_step.item.pk for d in deadlines if d.route_step] == [review.pk]
    # The session stays the season's session, no longer a step of the route.
    assert [d.session.pk for d in deadlines if d.kind == DeadlineKind.SESSION] == [session.pk]
    assert f"route-step-{practicum.pk}@localhost" not in _calendar_uids(teacher, now)

    # After 22 October the review's day has passed: nothing of the route is ahead.
    later = datetime(2025, 10, 23, 9, 0, tzinfo=MSK)
    assert not [d for d in enrollment_deadlines(person_enrollments(teacher), now=later) if d.route_step]

    # The coordinator hands the request to another tutor: the teacher hears of the change.
    individual_request_assign_tutor(requests=[request], tutor=other_tutor, now=assigned_at + timedelta(days=30))
    assert _titles(teacher.user)[-1] == f"Ваш тьютор сменился: {other_tutor.person.full_name}"
    assert _titles(other_tutor.person.user) == ["Вам назначен запрос «Функциональная грамотность»"]
