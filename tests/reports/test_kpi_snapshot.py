"""kpi_snapshot_take, its task and the snapshot_kpis command: one nightly snapshot per running season and day."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Attendance
from core.models import JobRun
from participants.feedback import season_quarter
from participants.models import FeedbackResponse
from reports.models import KpiSnapshot
from reports.services import kpi_snapshot_take
from reports.tasks import kpi_snapshot_task
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    SeasonFactory,
    SessionFactory,
    SubmissionFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db


def test_one_snapshot_per_running_season_and_day_updated_when_run_again():
    season = SeasonFactory()
    now = timezone.now().astimezone(season.tz).replace(hour=2, minute=30)  # an hour later is the same day there
    EnrollmentFactory(season=season)
    finished = SeasonFactory(
        starts_on=timezone.localdate() - timedelta(days=400), ends_on=timezone.localdate() - timedelta(days=40)
    )
    EnrollmentFactory(season=finished)

    assert kpi_snapshot_take(now=now) == 1
    snapshot = KpiSnapshot.objects.get()
    assert snapshot.season == season and snapshot.kind == KpiSnapshot.Kind.NIGHTLY
    assert snapshot.municipality_id == season.program.municipality_id
    assert snapshot.taken_on == timezone.localdate(now, season.tz)
    assert snapshot.values["participants_active"]["value"] == 1

    EnrollmentFactory(season=season)
    assert kpi_snapshot_take(now=now + timedelta(hours=1)) == 1
    again = KpiSnapshot.objects.get()
    assert again.pk == snapshot.pk
    assert again.values["participants_active"]["value"] == 2
    assert again.taken_at == now + timedelta(hours=1)

    kpi_snapshot_take(now=now + timedelta(days=1))
    assert KpiSnapshot.objects.filter(season=season).count() == 2


def _season_with(n: int):
    now = timezone.now()
    season = SeasonFactory()
    session = SessionFactory(activity__season=season, starts_at=now - timedelta(days=1))
    assignment = VideoAssignmentFactory(
        activity__season=season, opens_at=now - timedelta(days=9), due_at=now - timedelta(days=2)
    )
    year, quarter = season_quarter(season, now)
    for _i in range(n):
        enrollment = EnrollmentFactory(season=season)
        AttendanceFactory(session=session, enrollment=enrollment, status=Attendance.Status.PRESENT)
        SubmissionFactory(assignment=assignment, enrollment=enrollment)
        FeedbackResponse.objects.create(enrollment=enrollment, year=year, quarter=quarter)
    return season


@pytest.mark.parametrize("n", [1, 3])
def test_query_count_does_not_grow_with_enrollments(django_assert_num_queries, n):
    season = _season_with(n)
    # seasons, 4 aggregates (the enrollments with each one's certificates, videos due, on time and missed, feedback,
    # pulse, lesson visits and achievements; attendance; review turnaround; criterion scores); per season
    # update_or_create: savepoints, select for update, insert.
    with django_assert_num_queries(11):
        assert kpi_snapshot_take(now=timezone.now()) == 1
    assert KpiSnapshot.objects.get(season=season).values["attendance_rate"]["numerator"] == n


def test_task_logs_the_run_and_command_runs_it_as_the_operator(capsys):
    EnrollmentFactory(season=SeasonFactory())
    kpi_snapshot_task(trigger=JobRun.Trigger.MANUAL)
    run = JobRun.objects.get(job="kpi_snapshot")
    assert run.status == JobRun.Status.SUCCESS and run.trigger == JobRun.Trigger.MANUAL
    assert run.summary == {"snapshots": 1} and run.message == "Сняты показатели сезонов: 1"

    call_command("snapshot_kpis")
    assert "kpi_snapshot: Выполнено (snapshots=1)" in capsys.readouterr().out
    assert JobRun.objects.filter(job="kpi_snapshot", trigger=JobRun.Trigger.COMMAND).count() == 1
    assert KpiSnapshot.objects.count() == 1  # the same day again: updated, not doubled
