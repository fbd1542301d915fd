"""The coordinator's admin of exclusion cases: scoped to the municipality, decisions with a written reason."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from activities.exclusion import exclusion_rules_apply
from activities.models import ExclusionCase
from participants.models import Enrollment
from programs.models import Season
from tests.factories import SeasonFactory

from .exclusion_fixtures import absent, coordinator, participant, rules_season

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:activities_exclusioncase_changelist")


def _cases(count=1, policy=Season.ExclusionPolicy.CONFIRMATION):
    season = rules_season(policy)
    for _n in range(count):
        absent(participant(season), title="Установочный семинар")
    exclusion_rules_apply(now=timezone.now())
    return season, list(ExclusionCase.objects.order_by("pk"))


def _change_url(case):
    return reverse("admin:activities_exclusioncase_change", args=[case.pk])


def test_coordinator_sees_the_cases_of_the_municipality_with_reasons_and_trail(client):
    season, (case,) = _cases()
    client.force_login(coordinator(season.program.municipality))

    listing = client.get(CHANGELIST).content.decode()
    page = client.get(_change_url(case)).content.decode()

    assert str(case.enrollment.person) in listing and "Ждёт решения координатора" in listing
    assert "«Установочный семинар»" in page and "Пропуск обязательного мероприятия" in page
    assert "Открыто" in page and "Участник предупреждён" in page
    assert 'name="_save"' not in page  # read-only: decided only through the actions


def test_another_municipality_sees_no_rows_and_no_page(client):
    _season, (case,) = _cases()
    client.force_login(coordinator(SeasonFactory().program.municipality))

    listing = client.get(CHANGELIST).content.decode()
    response = client.get(_change_url(case))

    assert str(case.enrollment.person) not in listing
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_teacher_and_anonymous_are_sent_to_log_in(client):
    _season, (case,) = _cases()
    login = reverse("admin:login")
    assert client.get(_change_url(case))["Location"].startswith(login)
    client.force_login(case.enrollment.person.user)
    assert client.get(CHANGELIST)["Location"].startswith(login)
    assert client.get(_change_url(case))["Location"].startswith(login)


def _act(client, action, cases, reason=None):
    data = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in cases]}
    if reason is not None:
        data.update(apply="1", reason=reason)
    return client.post(CHANGELIST, data, follow=reason is not None and bool(reason.strip()))


def test_confirm_asks_for_a_written_reason_then_excludes(client):
    season, (case,) = _cases()
    client.force_login(coordinator(season.program.municipality))

    page = _act(client, "confirm", [case]).content.decode()
    assert "Обоснование решения" in page and str(case.enrollment.person) in page

    refused = _act(client, "confirm", [case], reason="  ").content.decode()
    assert "Напишите обоснование решения" in refused
    assert ExclusionCase.objects.get().status == ExclusionCase.Status.OPEN

    done = _act(client, "confirm", [case], reason="Пропуск подтверждён").content.decode()
    assert "Исключение подтверждено: 1" in done
    case.refresh_from_db()
    assert case.status == ExclusionCase.Status.EXCLUDED and case.decision_reason == "Пропуск подтверждён"
    assert Enrollment.objects.get(pk=case.enrollment_id).status == Enrollment.Status.EXCLUDED


def test_dismiss_and_reinstate_report_skipped_cases_with_why(client):
    season, (open_case,) = _cases()
    excluded_season = rules_season(Season.ExclusionPolicy.AUTOMATIC, program=season.program)
    absent(participant(excluded_season))
    exclusion_rules_apply(now=timezone.now())
    excluded = ExclusionCase.objects.get(status=ExclusionCase.Status.EXCLUDED)
    client.force_login(coordinator(season.program.municipality))

    page = _act(client, "dismiss", [open_case, excluded], reason="Справка принята").content.decode()

    assert "Исключение отклонено, 1 участник остаётся в программе." in page
    assert f"{excluded.enrollment.person}: Это решение нельзя принять" in page
    assert ExclusionCase.objects.get(pk=open_case.pk).status == ExclusionCase.Status.DISMISSED

    page = _act(client, "reinstate", [excluded], reason="Пересмотрено").content.decode()
    assert "Восстановлен в программе: 1" in page
    assert Enrollment.objects.get(pk=excluded.enrollment_id).status == Enrollment.Status.ACTIVE


def test_another_municipality_cannot_act_on_the_cases(client):
    _season, (case,) = _cases()
    client.force_login(coordinator(SeasonFactory().program.municipality))

    _act(client, "confirm", [case], reason="Подтверждаю")

    assert ExclusionCase.objects.get().status == ExclusionCase.Status.OPEN
    assert Enrollment.objects.get(pk=case.enrollment_id).status == Enrollment.Status.ACTIVE


@pytest.mark.parametrize("count", [1, 3])
def test_changelist_query_count_does_not_grow(client, django_assert_num_queries, count):
    season, _cases_ = _cases(count)
    client.force_login(coordinator(season.program.municipality))
    client.get(CHANGELIST)  # warm the session and the content types

    with django_assert_num_queries(9):
        client.get(CHANGELIST)
