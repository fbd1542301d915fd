"""exclusion_rules_apply: cases with every breached rule and its evidence, per the season's policy."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from activities.exclusion import (
    _apply_chunk,
    exclusion_case_dismiss,
    exclusion_case_reinstate,
    exclusion_message,
    exclusion_rules_apply,
)
from activities.models import Activity, Attendance, ExclusionCase, ExclusionCaseEvent, SubmissionExtension
from core.models import Notification
from core.notifications import notifications_deliver
from participants.models import Enrollment, EnrollmentStatusChange
from programs.models import Season
from tests.factories import SeasonFactory, SubmissionFactory, VideoAssignmentFactory

from .exclusion_fixtures import absent, closed_video, coordinator, participant, rules_season

pytestmark = pytest.mark.django_db
Policy = Season.ExclusionPolicy
Status = ExclusionCase.Status
Action = ExclusionCaseEvent.Action


def _apply():
    return exclusion_rules_apply(now=timezone.now())


def _notifications(user, kind=None):
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.order_by("pk"))


# --- Confirmation policy --------------------------------------------------------------------------------------


def test_confirmation_opens_one_case_with_every_reason_and_tells_coordinators_and_teacher():
    season = rules_season(chat_join_days=3)
    enrollment = participant(season, status_changed_at=timezone.now() - timedelta(days=10))
    session = absent(enrollment)
    assignment = closed_video(season)
    ours = coordinator(season.program.municipality)
    not_in_group = coordinator(season.program.municipality, in_group=False)
    elsewhere = coordinator(SeasonFactory().program.municipality)

    counts = _apply()

    case = ExclusionCase.objects.get()
    assert case.enrollment == enrollment and case.status == Status.OPEN and not case.automatic
    assert case.reason_keys == {f"absence:{session.pk}", f"video:{assignment.pk}", "chat"}
    by_key = {r["key"]: r for r in case.reasons}
    assert "«Установочный семинар»" in by_key[f"absence:{session.pk}"]["evidence"]
    assert "«Урок в выбранном формате»" in by_key[f"video:{assignment.pk}"]["evidence"]
    assert "окончательный срок истёк" in by_key[f"video:{assignment.pk}"]["evidence"]
    assert "чат" in by_key["chat"]["evidence"] and by_key["chat"]["at"]
    assert [e.action for e in case.events.all()] == [Action.OPENED, Action.WARNED]
    assert Enrollment.objects.get(pk=enrollment.pk).status == Enrollment.Status.ACTIVE
    assert counts["cases_opened"] == 1 and counts["awaiting_decision"] == 1 and counts["excluded"] == 0

    (note,) = _notifications(ours)
    assert note.kind == Notification.Kind.EXCLUSION
    assert note.url == f"/admin/activities/exclusioncase/{case.pk}/change/"
    assert _notifications(not_in_group) == [] and _notifications(elsewhere) == []
    warnings = _notifications(enrollment.person.user, Notification.Kind.RISK)
    assert len(warnings) == 3
    assert {w.email_template for w in warnings} == {"exclusion_warning"}


def test_running_twice_gives_the_same_state_and_no_repeated_notifications():
    season = rules_season()
    enrollment = participant(season)
    absent(enrollment)
    coordinator(season.program.municipality)
    _apply()
    state = (
        list(ExclusionCase.objects.values_list("pk", "status", "reasons")),
        ExclusionCaseEvent.objects.count(),
        Notification.objects.count(),
    )

    counts = _apply()

    assert counts["cases_opened"] == counts["cases_grown"] == counts["notifications"] == 0
    assert (
        list(ExclusionCase.objects.values_list("pk", "status", "reasons")),
        ExclusionCaseEvent.objects.count(),
        Notification.objects.count(),
    ) == state


def test_new_reasons_are_added_to_the_open_case():
    season = rules_season()
    enrollment = participant(season)
    first = absent(enrollment, days_ago=5)
    ours = coordinator(season.program.municipality)
    _apply()

    second = absent(enrollment, days_ago=1, title="Интенсив")
    counts = _apply()

    case = ExclusionCase.objects.get()
    assert [r["key"] for r in case.reasons] == [f"absence:{first.pk}", f"absence:{second.pk}"]
    assert counts["cases_grown"] == 1
    added = case.events.get(action=Action.REASONS_ADDED)
    assert "«Интенсив»" in added.note and "Установочный" not in added.note
    assert len(_notifications(ours)) == 1  # one per case
    assert len(_notifications(enrollment.person.user, Notification.Kind.RISK)) == 2  # one per reason


def test_dismissed_reasons_never_reopen_a_case_but_new_ones_do():
    season = rules_season()
    enrollment = participant(season)
    first = absent(enrollment, days_ago=5)
    _apply()
    case = ExclusionCase.objects.get()
    exclusion_case_dismiss(case=case, by=coordinator(season.program.municipality), reason="Справка о болезни принята")

    _apply()
    assert ExclusionCase.objects.count() == 1

    second = absent(enrollment, days_ago=1, title="Интенсив")
    _apply()

    new = ExclusionCase.objects.get(status=Status.OPEN)
    assert new.pk != case.pk and new.reason_keys == {f"absence:{second.pk}"}
    assert f"absence:{first.pk}" not in new.reason_keys


def test_rules_switched_off_or_excused_give_no_case():
    season = rules_season(exclude_on_unexcused_absence=False, exclude_on_missed_video=False)
    enrollment = participant(season)
    absent(enrollment)
    closed_video(season)

    _apply()

    assert not ExclusionCase.objects.exists()


def test_extension_into_the_future_is_no_breach():
    season = rules_season()
    enrollment = participant(season)
    assignment = closed_video(season)
    SubmissionExtension.objects.create(
        assignment=assignment, enrollment=enrollment, until=timezone.now() + timedelta(days=2), reason="Болезнь"
    )

    _apply()

    assert not ExclusionCase.objects.exists()
    # …but the teacher is warned once that the extended cut-off is near.
    (warning,) = _notifications(enrollment.person.user, Notification.Kind.RISK)
    assert "Риск исключения" in warning.title
    _apply()
    assert len(_notifications(enrollment.person.user)) == 1


def test_upcoming_deadline_within_a_week_warns_once_and_later_ones_do_not():
    season = rules_season()
    enrollment = participant(season)
    now = timezone.now()
    VideoAssignmentFactory(activity__season=season, due_at=now + timedelta(days=2), cutoff_at=now + timedelta(days=5))
    VideoAssignmentFactory(activity__season=season, due_at=now + timedelta(days=6), cutoff_at=now + timedelta(days=20))

    _apply()
    _apply()

    (warning,) = _notifications(enrollment.person.user)
    assert warning.kind == Notification.Kind.RISK and warning.email_template == "exclusion_warning"
    assert not ExclusionCase.objects.exists()


def test_ended_seasons_and_inactive_enrollments_are_not_checked():
    ended = rules_season(
        starts_on=timezone.localdate() - timedelta(days=300), ends_on=timezone.localdate() - timedelta(days=10)
    )
    absent(participant(ended))
    season = rules_season()
    absent(participant(season, status=Enrollment.Status.WITHDRAWN))

    assert _apply()["enrollments"] == 0
    assert not ExclusionCase.objects.exists()


# --- Automatic policy ---------------------------------------------------------------------------------------


def test_automatic_policy_excludes_at_once_and_tells_the_teacher_every_reason(settings):
    settings.SITE_URL = "https://portal.example.ru"
    season = rules_season(Policy.AUTOMATIC)
    enrollment = participant(season)
    session = absent(enrollment)
    assignment = closed_video(season)
    ours = coordinator(season.program.municipality)

    counts = _apply()

    case = ExclusionCase.objects.get()
    assert case.status == Status.EXCLUDED and case.automatic and case.decided_at is not None
    assert case.reason_keys == {f"absence:{session.pk}", f"video:{assignment.pk}"}
    assert [e.action for e in case.events.all()] == [Action.OPENED, Action.EXCLUDED]
    assert counts["excluded"] == 1
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXCLUDED
    change = EnrollmentStatusChange.objects.get(enrollment=enrollment, to_status=Enrollment.Status.EXCLUDED)
    assert "пропуск обязательного мероприятия" in change.reason and "видеоурок не сдан" in change.reason
    assert change.changed_by is None
    assert _notifications(ours) == []  # nothing to decide
    (note,) = _notifications(enrollment.person.user)
    assert note.kind == Notification.Kind.EXCLUSION and note.email_template == "enrollment_excluded"

    notifications_deliver()

    (message,) = mail.outbox
    assert message.to == [enrollment.person.user.email]
    assert "исключены" in message.subject
    assert "«Установочный семинар»" in message.body and "«Урок в выбранном формате»" in message.body
    assert "https://portal.example.ru/cabinet/" in message.body
    html = message.alternatives[0][0]
    assert "«Установочный семинар»" in html and "«Урок в выбранном формате»" in html

    # Running again changes nothing: the enrollment is no longer active.
    assert _apply()["enrollments"] == 0
    assert ExclusionCase.objects.count() == 1


def test_reinstated_reasons_never_exclude_again():
    season = rules_season(Policy.AUTOMATIC)
    enrollment = participant(season)
    absent(enrollment)
    _apply()
    case = ExclusionCase.objects.get()

    exclusion_case_reinstate(case=case, by=coordinator(season.program.municipality), reason="Пропуск по болезни")
    _apply()

    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert list(ExclusionCase.objects.values_list("status", flat=True)) == [Status.REINSTATED]


# --- Only the enrollments with a signal are loaded ------------------------------------------------------------


def test_chat_deadline_within_a_week_warns_and_a_later_one_does_not():
    season = rules_season(chat_join_days=10)
    soon = participant(season, status_changed_at=timezone.now() - timedelta(days=5))  # joins by in 5 days
    later = participant(season, status_changed_at=timezone.now() - timedelta(days=1))  # joins by in 9 days

    counts = _apply()

    (warning,) = _notifications(soon.person.user)
    assert warning.kind == Notification.Kind.RISK and "чат" in warning.body
    assert _notifications(later.person.user) == []
    assert (counts["enrollments"], counts["at_risk"]) == (2, 1)
    assert "Проверено участников: 2, из них с признаками риска: 1." in exclusion_message(counts)


def _at_no_risk(season, closed, extended) -> Enrollment:
    """An active participant whose every trace stays short of a rule: nothing to act on, nothing to warn of."""
    enrollment = participant(season, status_changed_at=timezone.now() - timedelta(days=10))
    enrollment.chat_joined_at = timezone.now() - timedelta(days=9)
    enrollment.save(update_fields=["chat_joined_at"])
    SubmissionFactory(assignment=closed, enrollment=enrollment)
    SubmissionExtension.objects.create(
        assignment=extended, enrollment=enrollment, until=timezone.now() + timedelta(days=10), reason="Болезнь"
    )
    excused = absent(enrollment, title="Методический семинар")
    Attendance.objects.filter(session=excused, enrollment=enrollment).update(
        status=Attendance.Status.EXCUSED, reason="Справка о болезни"
    )
    optional = absent(enrollment, title="Открытый урок")
    Activity.objects.filter(pk=optional.activity_id).update(is_mandatory=False)
    return enrollment


def _world(policy, *, at_risk: int, safe: int = 0):
    season = rules_season(policy, chat_join_days=3)
    coordinator(season.program.municipality)
    assignment = closed_video(season)
    extended = closed_video(season, title="Урок с продлённым сроком")
    now = timezone.now()
    # Due within the week, but its cut-off is three weeks away: no warning yet for anyone.
    VideoAssignmentFactory(activity__season=season, due_at=now + timedelta(days=2), cutoff_at=now + timedelta(days=20))
    for _n in range(at_risk):
        enrollment = participant(season, status_changed_at=timezone.now() - timedelta(days=10))
        absent(enrollment)
    for _n in range(safe):
        _at_no_risk(season, assignment, extended)
    return assignment


@pytest.mark.parametrize("safe", [1, 3])
def test_enrollments_at_no_risk_are_counted_but_never_loaded(django_assert_num_queries, safe):
    _world(Policy.AUTOMATIC, at_risk=0, safe=safe)
    now = timezone.now()

    # The running seasons with their active enrollments counted, then the (empty) chunk of those at risk.
    with django_assert_num_queries(2):
        counts = exclusion_rules_apply(now=now)

    assert (counts["enrollments"], counts["at_risk"]) == (safe, 0)
    # Weighed one by one, the rules indeed find nothing to act on: leaving them out changed nothing.
    everyone = list(Enrollment.objects.select_related("season__program", "person"))
    found: Counter = Counter()
    _apply_chunk(everyone, now, found)
    assert found["notifications"] == found["cases_opened"] == found["excluded"] == 0
    assert not ExclusionCase.objects.exists() and not Notification.objects.exists()
    assert not Enrollment.objects.exclude(status=Enrollment.Status.ACTIVE).exists()


@pytest.mark.parametrize(("at_risk", "safe"), [(1, 0), (3, 0), (1, 3), (3, 3)])
# The audit trail adds one INSERT per kind of row written: the new cases (+1); with the automatic policy also
# the enrollments' new status and the cases' exclusion (+3), and the one UPDATE that ends the excluded mentees'
# mentoring pairs (experts, through participants' status-change registry: +1).
# The sessions each may attend by their audience (selectors_attendance.visible_pairs): +1.
@pytest.mark.parametrize(("policy", "queries"), [(Policy.CONFIRMATION, 19), (Policy.AUTOMATIC, 27)])
def test_query_count_does_not_grow_with_enrollments(django_assert_num_queries, at_risk, safe, policy, queries):
    _world(policy, at_risk=at_risk, safe=safe)
    now = timezone.now()

    with django_assert_num_queries(queries):
        counts = exclusion_rules_apply(now=now)

    assert counts["cases_opened"] == counts["at_risk"] == at_risk
    assert counts["enrollments"] == at_risk + safe
    assert ExclusionCase.objects.count() == at_risk
