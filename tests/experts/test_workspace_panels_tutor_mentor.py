"""The tutor's «Запросы и маршруты» and the mentor's «Наставнические пары» panels of the expert's workspace."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.route_builder import route_item_add
from experts.models import ExpertRole, IndividualRequest
from experts.selectors import person_expert_assignments
from experts.services import (
    individual_request_assign_tutor,
    individual_request_submit,
    mentoring_meeting_log,
    mentoring_pair_create,
)
from experts.workspace import WorkspaceContext
from experts.workspace_tutor import mentor_panel, tutor_panel
from participants.models import SubscriptionForm
from programs.models import Program
from tests.factories import (
    AdmittedEnrollmentFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    ProgramFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
R = IndividualRequest.Status


def _season():
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))


def _expert(season, role):
    return ExpertAssignmentFactory(season=season, role=role, person__user=UserFactory())


def _request(season, tutor=None, *, assigned_days_ago=0):
    item = individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season),
        deficit="Дефицит",
        topic="Тема",
        preferred_form=SubscriptionForm.TRAINING,
    )
    if tutor is not None:
        individual_request_assign_tutor(
            requests=[item], tutor=tutor, now=timezone.now() - timedelta(days=assigned_days_ago)
        )
    return item


def _ctx(person, rf):
    return WorkspaceContext(
        request=rf.get("/expert/"), person=person, assignments=person_expert_assignments(person), now=timezone.now()
    )


def test_the_tutor_panel_counts_new_waiting_in_work_and_overdue(rf):
    season = _season()
    me = _expert(season, ExpertRole.TUTOR)
    _request(season)  # new
    _request(season, me)  # waiting, fresh
    overdue = _request(season, me, assigned_days_ago=20)  # waiting, no route step for 20 days
    started = _request(season, me, assigned_days_ago=20)  # old, but the route has a step
    route_item_add(enrollment=started.enrollment, title="Первый шаг")
    IndividualRequest.objects.filter(pk=started.pk).update(status=R.IN_WORK)
    _request(_season())  # another season's new request
    context = tutor_panel(_ctx(me.person, rf))
    assert context["counts"] == {"new": 1, "waiting": 2, "in_work": 1, "overdue": 1}
    assert overdue in context["items"]


def test_the_tutor_panel_renders_with_the_overdue_explanation(client):
    season = _season()
    me = _expert(season, ExpertRole.TUTOR)
    _request(season, me, assigned_days_ago=20)
    client.force_login(me.person.user)
    page = client.get(reverse("expert_workspace")).content.decode()
    assert "Запросы и маршруты" in page
    assert "больше 14 дней назад" in page
    assert reverse("tutor_requests") in page


def test_the_mentor_panel_shows_pairs_and_quiet_mentees(rf, client):
    season = SeasonFactory()
    mentor = _expert(season, ExpertRole.MENTOR)
    started = timezone.localdate() - timedelta(days=60)
    quiet = mentoring_pair_create(
        season=season, mentor=mentor, mentee=EnrollmentFactory(season=season), goals="", started_on=started, by=None
    )
    busy = mentoring_pair_create(
        season=season, mentor=mentor, mentee=EnrollmentFactory(season=season), goals="", started_on=started, by=None
    )
    # The flag reads the mentor's meetings: an attended session is the mentee's own progress, not a meeting.
    recent = timezone.now() - timedelta(days=3)
    AttendanceFactory(
        enrollment=quiet.mentee,
        session=SessionFactory(activity__season=season, starts_at=recent, ends_at=recent + timedelta(hours=1)),
    )
    mentoring_meeting_log(
        pair=busy, held_on=timezone.localdate() - timedelta(days=3), form="remote", topic="План на месяц", by=None
    )
    context = mentor_panel(_ctx(mentor.person, rf))
    assert context["total"] == 2
    assert [p.pk for p in context["quiet"]] == [quiet.pk]
    client.force_login(mentor.person.user)
    page = client.get(reverse("expert_workspace")).content.decode()
    assert "Наставнические пары" in page and quiet.mentee.person.short_name in page
    assert "Нет встреч наставника с наставляемым 30 дней" in page


def test_panels_stay_hidden_for_other_roles(rf):
    curator = _expert(_season(), ExpertRole.CURATOR)
    ctx = _ctx(curator.person, rf)
    assert tutor_panel(ctx) is None and mentor_panel(ctx) is None


@pytest.mark.parametrize("count", [1, 3])
def test_tutor_panel_queries_are_constant(rf, django_assert_num_queries, count):
    season = _season()
    me = _expert(season, ExpertRole.TUTOR)
    for _ in range(count):
        _request(season)
        item = _request(season, me, assigned_days_ago=20)
        route_item_add(enrollment=item.enrollment, title="Шаг")
    ctx = _ctx(me.person, rf)
    with django_assert_num_queries(2):  # the counts, the first open requests
        context = tutor_panel(ctx)
    assert context["counts"]["waiting"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_mentor_panel_queries_are_constant(rf, django_assert_num_queries, count):
    season = SeasonFactory()
    mentor = _expert(season, ExpertRole.MENTOR)
    for _ in range(count):
        pair = mentoring_pair_create(
            season=season,
            mentor=mentor,
            mentee=EnrollmentFactory(season=season),
            goals="",
            started_on=timezone.localdate(),
            by=None,
        )
        AttendanceFactory(enrollment=pair.mentee, session=SessionFactory(activity__season=season))
    ctx = _ctx(mentor.person, rf)
    with django_assert_num_queries(1):
        context = mentor_panel(ctx)
    assert context["total"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_workspace_with_both_panels_runs_constant_queries(client, django_assert_num_queries, count):
    season = _season()
    tutor = _expert(season, ExpertRole.TUTOR)
    mentor = ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, person=tutor.person)
    for _ in range(count):
        _request(season, tutor)
        mentoring_pair_create(
            season=season,
            mentor=mentor,
            mentee=EnrollmentFactory(season=season),
            goals="",
            started_on=timezone.localdate(),
            by=None,
        )
    client.force_login(tutor.person.user)
    # session, user with person, assignments; tutor: counts and open requests; mentor: pairs.
    # «Посещения и обратная связь»: the seasons' feedback questions. Panels of other roles stay hidden without a query.
    with django_assert_num_queries(10):
        response = client.get(reverse("expert_workspace"))
    page = response.content.decode()
    assert "Запросы и маршруты" in page and "Наставнические пары" in page
