"""The scheduled job «check_deadlines» and its commands; default marks seen and corrected on the attendance page."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.deadlines import DEFAULTS_AFTER
from activities.models import Attendance, ExclusionCase, MissedVideo
from activities.tasks import check_deadlines_task
from core.jobs import job_run
from core.models import JobRun
from participants.models import Enrollment
from programs.models import Season
from tests.factories import ActivityFactory, SessionFactory

from .attendance_fixtures import coordinator_of
from .exclusion_fixtures import closed_video, participant, rules_season

pytestmark = pytest.mark.django_db


def _ended_session(season):
    ends = timezone.now() - DEFAULTS_AFTER - timedelta(hours=1)
    return SessionFactory(
        activity=ActivityFactory(season=season, is_mandatory=True, title="Установочная встреча"),
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
    )


def _state():
    return (
        sorted(MissedVideo.objects.values_list("enrollment_id", "assignment_id")),
        sorted(Attendance.objects.values_list("session_id", "enrollment_id", "status", "is_default")),
        sorted(ExclusionCase.objects.values_list("enrollment_id", "status", "reasons")),
        sorted(Enrollment.objects.values_list("pk", "status")),
    )


def test_task_runs_deadlines_then_the_rules_and_logs_the_run():
    season = rules_season(Season.ExclusionPolicy.AUTOMATIC, default_attendance_status="absent")
    enrollment = participant(season)
    closed_video(season)
    _ended_session(season)

    assert check_deadlines_task.name == "activities.tasks.check_deadlines_task"
    summary = check_deadlines_task.apply().get()

    run = JobRun.objects.get()
    assert (run.job, run.trigger, run.status) == ("check_deadlines", JobRun.Trigger.SCHEDULE, JobRun.Status.SUCCESS)
    assert run.summary == summary
    assert summary["missed"] == 1 and summary["default_marks"] == 1 and summary["excluded"] == 1
    assert "несданных видеоуроков: 1" in run.message and "Исключено автоматически: 1" in run.message
    # The missed video lesson is the case's ground; the default «absent» is not evidence until a coordinator
    # confirms it (a default mark never opens a ground on its own).
    case = ExclusionCase.objects.get(enrollment=enrollment)
    assert {key.split(":")[0] for key in case.reason_keys} == {"video"}


def test_running_the_job_twice_gives_the_same_state():
    season = rules_season(default_attendance_status="absent")
    for _n in range(2):
        participant(season)
    closed_video(season)
    _ended_session(season)

    check_deadlines_task.apply()
    state = _state()
    check_deadlines_task.apply()

    assert _state() == state
    first, second = JobRun.objects.order_by("pk")
    assert second.summary["missed"] == second.summary["default_marks"] == second.summary["cases_opened"] == 0


def test_a_run_while_another_holds_the_lock_is_skipped():
    with job_run("check_deadlines"):  # another run holds the lock meanwhile
        check_deadlines_task.apply()

    assert JobRun.objects.filter(status=JobRun.Status.SKIPPED).count() == 1


def test_commands():
    season = rules_season()
    participant(season)
    closed_video(season)

    out = StringIO()
    call_command("apply_exclusion_rules", stdout=out)
    assert "Открыто дел об исключении: 1" in out.getvalue()
    assert "несданных видеоуроков" not in out.getvalue()  # the deadlines are not checked by this one
    out = StringIO()
    call_command("check_deadlines", stdout=out)
    assert "Зафиксировано несданных видеоуроков: 1" in out.getvalue()
    assert "Открыто дел об исключении: 0" in out.getvalue()

    runs = JobRun.objects.order_by("pk")
    assert [r.trigger for r in runs] == [JobRun.Trigger.COMMAND, JobRun.Trigger.COMMAND]
    assert "missed" not in runs[0].summary and runs[1].summary["missed"] == 1


def test_coordinator_sees_default_marks_and_a_correction_replaces_them(client):
    season = rules_season(default_attendance_status="absent", exclude_on_unexcused_absence=False)
    session = _ended_session(season)
    enrollment = participant(season)
    check_deadlines_task.apply()
    client.force_login(coordinator_of(session))
    url = reverse("session_attendance", args=[session.pk])

    html = client.get(url).content.decode()
    assert "attendance-row--default" in html and "по умолчанию стоит «отсутствовал», проверьте" in html

    response = client.post(url, {f"status_{enrollment.pk}": "present"})

    assert response.status_code == 302
    mark = Attendance.objects.get(session=session, enrollment=enrollment)
    assert (mark.status, mark.is_default, mark.source) == ("present", False, "manual")
    assert "attendance-row--default" not in client.get(url).content.decode()
    # The job never overwrites the correction.
    check_deadlines_task.apply()
    assert Attendance.objects.get(pk=mark.pk).status == "present"
