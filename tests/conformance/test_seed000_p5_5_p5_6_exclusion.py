"""Seed 000 (order № 643-од, «Прогрессивный педагог») §5.5 and §5.6, on the real services with explicit dates.

«5.5. При невыполнении одного из обязательных пунктов участник исключается из Проекта.»
«5.6. Предусмотрен добровольный выход через информирование руководителя Проекта.»

The order does not say who decides an exclusion: the season's policy does (portal default: a coordinator confirms,
the automatic policy is the coordinator's choice), and every decision carries a written reason and an audit trail.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from activities.deadlines import check_deadlines_job
from activities.exclusion import exclusion_case_confirm, exclusion_case_dismiss, exclusion_case_reinstate
from activities.models import Attendance, ExclusionCase, ExclusionCaseEvent
from core.models import JobRun
from participants.models import Enrollment, EnrollmentStatusChange
from participants.services import enrollment_withdraw_by_participant
from programs.models import Season
from tests.activities.exclusion_fixtures import coordinator, rules_season
from tests.factories import ActivityFactory, AttendanceFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Yekaterinburg")
SEMINAR = datetime(2024, 9, 20, 15, 0, tzinfo=TZ)
S = Enrollment.Status


def _season(policy):
    season = rules_season(
        policy, starts_on=SEMINAR.date() - timedelta(days=30), ends_on=SEMINAR.date() + timedelta(300)
    )
    return season


def _participant(season):
    return EnrollmentFactory(season=season, status=S.ACTIVE, status_changed_at=SEMINAR - timedelta(days=10))


def _missed_the_seminar(enrollment, *, status=Attendance.Status.ABSENT, reason=""):
    session = SessionFactory(
        activity=ActivityFactory(season=enrollment.season, title="Установочная встреча", is_mandatory=True),
        starts_at=SEMINAR,
        ends_at=SEMINAR + timedelta(hours=2),
    )
    AttendanceFactory(
        session=session, enrollment=enrollment, status=status, reason=reason, is_default=False, marked_at=SEMINAR
    )
    return session


def _run(day: datetime):
    check_deadlines_job(now=day, trigger=JobRun.Trigger.MANUAL)


# --- §5.5 under the confirmation policy (portal default) --------------------------------------------------------


def test_p5_5_a_breach_opens_a_case_and_the_participant_stays_until_a_coordinator_decides():
    season = _season(Season.ExclusionPolicy.CONFIRMATION)
    anna = _participant(season)
    _missed_the_seminar(anna)

    _run(SEMINAR + timedelta(days=2))

    case = ExclusionCase.objects.get(enrollment=anna)
    assert case.status == ExclusionCase.Status.OPEN and not case.automatic
    assert "Установочная встреча" in case.reasons[0]["evidence"]
    anna.refresh_from_db()
    assert anna.status == S.ACTIVE

    by = coordinator(season.program.municipality)
    with pytest.raises(ValidationError, match="обоснование"):
        exclusion_case_confirm(case=case, by=by, reason="   ")
    exclusion_case_confirm(case=case, by=by, reason="Пропуск без уважительной причины, объяснений нет")

    anna.refresh_from_db()
    assert anna.status == S.EXCLUDED
    change = EnrollmentStatusChange.objects.get(enrollment=anna, to_status=S.EXCLUDED)
    assert (change.changed_by, change.reason) == (by, "Пропуск без уважительной причины, объяснений нет")


def test_p5_5_an_excused_absence_is_not_a_breach():
    season = _season(Season.ExclusionPolicy.AUTOMATIC)
    anna = _participant(season)
    _missed_the_seminar(anna, status=Attendance.Status.EXCUSED, reason="Курсы повышения квалификации")

    _run(SEMINAR + timedelta(days=2))

    assert not ExclusionCase.objects.exists()
    anna.refresh_from_db()
    assert anna.status == S.ACTIVE


def test_p5_5_a_dismissed_ground_never_opens_a_case_again():
    season = _season(Season.ExclusionPolicy.CONFIRMATION)
    anna = _participant(season)
    _missed_the_seminar(anna)
    _run(SEMINAR + timedelta(days=2))
    case = ExclusionCase.objects.get()

    exclusion_case_dismiss(case=case, by=coordinator(season.program.municipality), reason="Была на больничном")
    _run(SEMINAR + timedelta(days=3))
    _run(SEMINAR + timedelta(days=30))

    assert ExclusionCase.objects.count() == 1
    anna.refresh_from_db()
    assert anna.status == S.ACTIVE


def test_p5_5_a_reinstated_participant_is_back_and_the_old_ground_stays_settled():
    season = _season(Season.ExclusionPolicy.AUTOMATIC)
    anna = _participant(season)
    _missed_the_seminar(anna)
    _run(SEMINAR + timedelta(days=2))
    case = ExclusionCase.objects.get()
    assert case.status == ExclusionCase.Status.EXCLUDED and case.automatic

    exclusion_case_reinstate(
        case=case, by=coordinator(season.program.municipality), reason="Справка об уважительной причине"
    )
    _run(SEMINAR + timedelta(days=5))

    anna.refresh_from_db()
    assert anna.status == S.ACTIVE
    assert ExclusionCase.objects.count() == 1
    actions = list(case.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        ExclusionCaseEvent.Action.OPENED,
        ExclusionCaseEvent.Action.EXCLUDED,
        ExclusionCaseEvent.Action.REINSTATED,
    ]


# --- §5.5 under the automatic policy (the coordinator's choice for the season) ------------------------------------


def test_p5_5_automatic_policy_excludes_on_the_first_run_after_the_breach_with_the_reason_recorded():
    season = _season(Season.ExclusionPolicy.AUTOMATIC)
    anna, boris = _participant(season), _participant(season)
    _missed_the_seminar(anna)

    _run(SEMINAR + timedelta(days=1))

    anna.refresh_from_db()
    boris.refresh_from_db()
    assert (anna.status, boris.status) == (S.EXCLUDED, S.ACTIVE)
    change = EnrollmentStatusChange.objects.get(enrollment=anna, to_status=S.EXCLUDED)
    assert change.changed_by is None and change.reason
    assert ExclusionCase.objects.get(enrollment=anna).decision_reason == change.reason


# --- §5.6: voluntary withdrawal, informing the project's head --------------------------------------------------------


def test_p5_6_the_participant_withdraws_with_a_reason_and_the_coordinator_is_told(django_capture_on_commit_callbacks):
    season = _season(Season.ExclusionPolicy.CONFIRMATION)
    anna = _participant(season)
    head = coordinator(season.program.municipality)

    with pytest.raises(ValidationError):
        enrollment_withdraw_by_participant(enrollment=anna, by=anna.person.user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_withdraw_by_participant(enrollment=anna, by=anna.person.user, reason="Перехожу в другую школу")

    anna.refresh_from_db()
    assert anna.status == S.WITHDRAWN
    change = EnrollmentStatusChange.objects.get(enrollment=anna, to_status=S.WITHDRAWN)
    assert (change.changed_by, change.reason) == (anna.person.user, "Перехожу в другую школу")
    (letter,) = [m for m in mail.outbox if head.email in m.to]
    assert "Перехожу в другую школу" in letter.body


def test_p5_6_a_withdrawn_participant_is_no_longer_checked_by_the_rules():
    season = _season(Season.ExclusionPolicy.AUTOMATIC)
    anna = _participant(season)
    _missed_the_seminar(anna)
    enrollment_withdraw_by_participant(enrollment=anna, by=anna.person.user, reason="Семейные обстоятельства")

    _run(SEMINAR + timedelta(days=2))

    assert not ExclusionCase.objects.exists()
    anna.refresh_from_db()
    assert anna.status == S.WITHDRAWN
