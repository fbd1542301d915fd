"""The tutor's bank of requests (/expert/requests/) and a request's page with the tutor's status change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole, IndividualRequest
from experts.rules_mentoring import is_pair_mentor, is_request_tutor
from experts.services import individual_request_assign_tutor, individual_request_submit, mentoring_pair_create
from participants.models import SubscriptionForm
from programs.models import Program
from tests.factories import (
    AdmittedEnrollmentFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
R = IndividualRequest.Status
LIST = "tutor_requests"


def _season():
    return SeasonFactory(program=ProgramFactory(kind=Program.Kind.SUBSCRIPTION))


def _tutor(season, **kwargs):
    kwargs.setdefault("person__user", UserFactory())
    return ExpertAssignmentFactory(season=season, role=ExpertRole.TUTOR, **kwargs)


def _request(season, *, tutor=None, topic="Формирующее оценивание", form=SubscriptionForm.PRACTICUM):
    item = individual_request_submit(
        enrollment=AdmittedEnrollmentFactory(season=season),
        deficit="Не умею выстраивать формирующее оценивание",
        topic=topic,
        preferred_form=form,
    )
    if tutor is not None:
        individual_request_assign_tutor(requests=[item], tutor=tutor)
        item.refresh_from_db()
    return item


def test_my_requests_come_first_then_new_ones_of_my_seasons(client):
    season = _season()
    me, colleague = _tutor(season), _tutor(season)
    mine = _request(season, tutor=me, topic="Мой запрос")
    new = _request(season, topic="Новый запрос")
    _request(season, tutor=colleague, topic="Запрос коллеги")
    _request(_season(), topic="Запрос чужого сезона")
    client.force_login(me.person.user)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert response.context["mine"] == [mine]
    assert response.context["waiting"] == [new]
    page = response.content.decode()
    assert "Запрос коллеги" not in page and "Запрос чужого сезона" not in page
    assert reverse("route_builder", args=[mine.pk]) in page
    assert reverse("route_builder", args=[new.pk]) not in page


def test_filters_by_status_and_form(client):
    season = _season()
    me = _tutor(season)
    practicum = _request(season, tutor=me, topic="Практикум")
    _request(season, tutor=me, topic="Тренинг", form=SubscriptionForm.TRAINING)
    new = _request(season, topic="Новый")
    client.force_login(me.person.user)
    response = client.get(reverse(LIST), {"form": SubscriptionForm.PRACTICUM, "status": R.ASSIGNED})
    assert response.context["mine"] == [practicum] and response.context["waiting"] == []
    response = client.get(reverse(LIST), {"status": R.NEW})
    assert response.context["mine"] == [] and response.context["waiting"] == [new]
    # An unknown filter value is ignored, not an error.
    assert len(client.get(reverse(LIST), {"status": "bogus"}).context["mine"]) == 2


def test_a_teacher_and_another_role_get_404_and_anonymous_is_sent_to_login(client):
    season = _season()
    item = _request(season)
    assert reverse("login") in client.get(reverse(LIST))["Location"]
    client.force_login(item.enrollment.person.user)
    assert client.get(reverse(LIST)).status_code == 404
    curator = ExpertAssignmentFactory(season=season, role=ExpertRole.CURATOR, person__user=UserFactory())
    client.force_login(curator.person.user)
    assert client.get(reverse(LIST)).status_code == 404
    assert client.get(reverse("tutor_request_detail", args=[item.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_constant_queries(client, django_assert_num_queries, count):
    season = _season()
    me = _tutor(season)
    for n in range(count):
        _request(season, tutor=me, topic=f"Запрос {n}")
        _request(season, topic=f"Новый {n}")
    client.force_login(me.person.user)
    # session, user with person, assignments, requests
    with django_assert_num_queries(4):
        response = client.get(reverse(LIST))
    assert len(response.context["mine"]) == len(response.context["waiting"]) == count


# --- a request's page ----------------------------------------------------------------------------------


def _detail(item):
    return reverse("tutor_request_detail", args=[item.pk])


def test_the_tutor_takes_the_request_in_work_and_marks_it_done(client):
    season = _season()
    me = _tutor(season)
    item = _request(season, tutor=me)
    client.force_login(me.person.user)
    response = client.post(_detail(item), {"to_status": R.IN_WORK, "reason": "Маршрут согласован"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (R.IN_WORK, "Маршрут согласован")
    client.post(_detail(item), {"to_status": R.DONE, "reason": ""})
    item.refresh_from_db()
    assert item.status == R.DONE


def test_reopening_without_a_reason_is_explained_and_keeps_the_form(client):
    season = _season()
    me = _tutor(season)
    item = _request(season, tutor=me)
    client.force_login(me.person.user)
    client.post(_detail(item), {"to_status": R.DONE})
    response = client.post(_detail(item), {"to_status": R.IN_WORK, "reason": ""})
    assert response.status_code == 200
    assert "Укажите причину" in " ".join(response.context["form"].non_field_errors())
    item.refresh_from_db()
    assert item.status == R.DONE


def test_a_status_outside_the_tutors_choice_is_a_field_error(client):
    season = _season()
    me = _tutor(season)
    item = _request(season, tutor=me)
    client.force_login(me.person.user)
    response = client.post(_detail(item), {"to_status": R.DECLINED, "reason": "нет"})
    assert response.status_code == 200
    assert "to_status" in response.context["form"].errors
    item.refresh_from_db()
    assert item.status == R.ASSIGNED


def test_a_new_request_of_my_season_is_read_only_and_another_tutors_is_not_found(client):
    season = _season()
    me, colleague = _tutor(season), _tutor(season)
    new = _request(season)
    theirs = _request(season, tutor=colleague)
    client.force_login(me.person.user)
    response = client.get(_detail(new))
    assert response.status_code == 200
    assert response.context["form"] is None and not response.context["is_tutor"]
    assert client.post(_detail(new), {"to_status": R.IN_WORK}).status_code == 404
    assert client.get(_detail(theirs)).status_code == 404
    assert client.post(_detail(theirs), {"to_status": R.DONE}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == R.ASSIGNED


def test_a_tutor_of_another_season_does_not_see_the_request(client):
    item = _request(_season())
    stranger = _tutor(_season())
    client.force_login(stranger.person.user)
    assert client.get(_detail(item)).status_code == 404


# --- predicates (experts/rules_mentoring.py) -------------------------------------------------------------


def test_is_request_tutor():
    season = _season()
    me, colleague = _tutor(season), _tutor(season)
    item = _request(season, tutor=me)
    assert is_request_tutor(me.person.user, item)
    assert not is_request_tutor(colleague.person.user, item)
    assert not is_request_tutor(item.enrollment.person.user, item)
    assert not is_request_tutor(me.person.user, _request(season))
    me.is_active = False
    me.save()
    item.refresh_from_db()
    assert not is_request_tutor(me.person.user, item)


def test_is_pair_mentor():
    from django.contrib.auth.models import AnonymousUser

    season = SeasonFactory()
    mentor = ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, person__user=UserFactory())
    other = ExpertAssignmentFactory(season=season, role=ExpertRole.MENTOR, person__user=UserFactory())
    pair = mentoring_pair_create(
        season=season,
        mentor=mentor,
        mentee=EnrollmentFactory(season=season),
        goals="",
        started_on=timezone.localdate() - timedelta(days=1),
        by=None,
    )
    assert is_pair_mentor(mentor.person.user, pair)
    assert mentor.person.user.has_perm("experts.work_with_mentoring_pair", pair)
    assert not is_pair_mentor(other.person.user, pair)
    assert not is_pair_mentor(pair.mentee.person.user, pair)
    assert not is_pair_mentor(AnonymousUser(), pair)
