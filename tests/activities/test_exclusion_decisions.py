"""A coordinator's decisions on an exclusion case: confirm, dismiss, reinstate — each audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities.exclusion import (
    exclusion_case_confirm,
    exclusion_case_dismiss,
    exclusion_case_reinstate,
    exclusion_rules_apply,
)
from activities.models import ExclusionCase, ExclusionCaseEvent
from activities.rules import can_decide_exclusion_case, is_exclusion_case_coordinator
from core.models import Notification
from participants.models import Enrollment, EnrollmentStatusChange, User
from programs.models import Season
from tests.factories import SeasonFactory, UserFactory

from .exclusion_fixtures import absent, coordinator, participant, rules_season

pytestmark = pytest.mark.django_db
Status = ExclusionCase.Status
Action = ExclusionCaseEvent.Action


def _open_case(policy=Season.ExclusionPolicy.CONFIRMATION):
    season = rules_season(policy)
    enrollment = participant(season)
    absent(enrollment)
    exclusion_rules_apply(now=timezone.now())
    return ExclusionCase.objects.get(), coordinator(season.program.municipality)


def _teacher_notes(case, kind=Notification.Kind.EXCLUSION):
    return list(Notification.objects.filter(user=case.enrollment.person.user, kind=kind))


def test_confirm_excludes_with_the_written_reason_and_tells_the_teacher():
    case, by = _open_case()

    exclusion_case_confirm(case=case, by=by, reason="  Пропуск без уважительной причины подтверждён  ")

    case.refresh_from_db()
    assert (case.status, case.decided_by, case.decision_reason) == (
        Status.EXCLUDED,
        by,
        "Пропуск без уважительной причины подтверждён",
    )
    assert not case.automatic
    event = case.events.get(action=Action.CONFIRMED)
    assert (event.actor, event.note) == (by, "Пропуск без уважительной причины подтверждён")
    enrollment = Enrollment.objects.get(pk=case.enrollment_id)
    assert enrollment.status == Enrollment.Status.EXCLUDED
    change = EnrollmentStatusChange.objects.get(enrollment=enrollment, to_status=Enrollment.Status.EXCLUDED)
    assert change.changed_by == by and change.reason == "Пропуск без уважительной причины подтверждён"
    (note,) = _teacher_notes(case)
    assert note.email_template == "enrollment_excluded"
    assert note.email_context["decision"] == "Пропуск без уважительной причины подтверждён"
    assert "Пропуск без уважительной причины подтверждён" in note.body


def test_dismiss_keeps_the_participant_and_tells_the_teacher():
    case, by = _open_case()

    exclusion_case_dismiss(case=case, by=by, reason="Справка о болезни")

    case.refresh_from_db()
    assert case.status == Status.DISMISSED
    assert case.events.get(action=Action.DISMISSED).note == "Справка о болезни"
    assert Enrollment.objects.get(pk=case.enrollment_id).status == Enrollment.Status.ACTIVE
    (note,) = _teacher_notes(case)
    assert "остаётесь" in note.title and note.email_template == "exclusion_closed"


def test_reinstate_brings_an_excluded_participant_back():
    case, by = _open_case(Season.ExclusionPolicy.AUTOMATIC)
    assert case.status == Status.EXCLUDED

    exclusion_case_reinstate(case=case, by=by, reason="Решение пересмотрено")

    case.refresh_from_db()
    assert case.status == Status.REINSTATED
    assert [e.action for e in case.events.all()] == [Action.OPENED, Action.EXCLUDED, Action.REINSTATED]
    assert case.events.last().actor == by
    assert Enrollment.objects.get(pk=case.enrollment_id).status == Enrollment.Status.ACTIVE
    titles = [n.title for n in _teacher_notes(case)]
    assert any("восстановлены" in t for t in titles) and any("исключены" in t for t in titles)


@pytest.mark.parametrize("service", [exclusion_case_confirm, exclusion_case_dismiss])
def test_a_decision_needs_a_written_reason(service):
    case, by = _open_case()

    with pytest.raises(ValidationError) as error:
        service(case=case, by=by, reason="   ")

    assert "обоснование" in str(error.value)
    case.refresh_from_db()
    assert case.status == Status.OPEN and not case.events.filter(actor=by).exists()


def test_wrong_state_is_refused():
    case, by = _open_case()
    exclusion_case_dismiss(case=case, by=by, reason="Справка")

    with pytest.raises(ValidationError):
        exclusion_case_confirm(case=case, by=by, reason="Передумали")
    with pytest.raises(ValidationError):
        exclusion_case_reinstate(case=case, by=by, reason="Передумали")


def test_confirm_of_a_participant_who_left_meanwhile_changes_nothing():
    case, by = _open_case()
    Enrollment.objects.filter(pk=case.enrollment_id).update(status=Enrollment.Status.WITHDRAWN)

    with pytest.raises(ValidationError):
        exclusion_case_confirm(case=case, by=by, reason="Подтверждаю")

    case.refresh_from_db()
    assert case.status == Status.OPEN


@pytest.mark.parametrize("who", ["other_municipality", "teacher", "plain_staff"])
def test_only_the_municipality_coordinator_decides(who):
    case, _by = _open_case()
    users = {
        "other_municipality": lambda: coordinator(SeasonFactory().program.municipality),
        "teacher": lambda: case.enrollment.person.user,
        "plain_staff": lambda: UserFactory(is_staff=True, municipality=case.enrollment.season.program.municipality),
    }
    user = users[who]()

    with pytest.raises(PermissionDenied):
        exclusion_case_confirm(case=case, by=user, reason="Подтверждаю")

    assert ExclusionCase.objects.get().status == Status.OPEN


def test_rules_predicate():
    case, by = _open_case()
    other = coordinator(SeasonFactory().program.municipality)
    role_only = UserFactory(
        is_staff=True, role=User.Role.COORDINATOR, municipality=case.enrollment.season.program.municipality
    )

    assert is_exclusion_case_coordinator.test(by, case)
    assert is_exclusion_case_coordinator.test(role_only, case)
    assert not is_exclusion_case_coordinator.test(other, case)
    assert not is_exclusion_case_coordinator.test(case.enrollment.person.user, case)
    assert not is_exclusion_case_coordinator.test(by, None)
    assert can_decide_exclusion_case.test(UserFactory(is_staff=True, is_superuser=True), case)
    assert by.has_perm("activities.decide_exclusion_case", case)
    assert not other.has_perm("activities.decide_exclusion_case", case)
