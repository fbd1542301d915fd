"""The scheduled task and the operator's commands: send_reminders and deliver_notifications run their
services under the job log (with counts by source and a Russian sentence), twice without repeating, and
step aside while another run holds the lock."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from core.jobs import job_run
from core.models import JobRun, Notification
from core.tasks import notifications_deliver_task
from participants.reminders import reminders_send
from participants.tasks import send_reminders_task
from tests.factories import ActivityFactory, EnrollmentFactory, SeasonFactory, VideoAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_stale_locks():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def due_video():
    season = SeasonFactory(reminder_offsets="2д")
    now = timezone.now()
    assignment = VideoAssignmentFactory(
        activity=ActivityFactory(season=season, title="Открытый урок", kind="video_lesson"),
        opens_at=now - timedelta(days=3),
        due_at=now + timedelta(hours=20),
        cutoff_at=now + timedelta(days=3),
    )
    enrollment = EnrollmentFactory(season=season, person__user__email="teacher@school.ru")
    return assignment, enrollment


def _call(name) -> str:
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_the_commands_send_the_reminder_and_its_email_once(due_video, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        out = _call("send_reminders")
    assert "Отправлено напоминаний: 1 (видеоуроки: 1)." in out
    run = JobRun.objects.get(job="send_reminders")
    assert run.trigger == JobRun.Trigger.COMMAND and run.status == JobRun.Status.SUCCESS
    assert run.summary == {"review": 0, "video": 1} and run.finished_at is not None
    assert run.message == "Отправлено напоминаний: 1 (видеоуроки: 1)."

    assert "Напоминаний к отправке нет." in _call("send_reminders")
    assert Notification.objects.count() == 1

    out = _call("deliver_notifications")
    assert "Писем отправлено: 1, с ошибкой: 0, без адреса: 0." in out
    assert "Писем отправлено: 0" in _call("deliver_notifications")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["teacher@school.ru"]
    assert mail.outbox[0].subject.startswith("Напоминание: сдайте видеоурок «Открытый урок» до ")
    deliveries = JobRun.objects.filter(job="deliver_notifications").order_by("pk")
    assert [r.summary["sent"] for r in deliveries] == [1, 0]
    assert {r.trigger for r in deliveries} == {JobRun.Trigger.COMMAND}


def test_the_cutoff_reminder_email_renders(due_video):
    assignment, _enrollment = due_video
    reminders_send(now=assignment.cutoff_at - timedelta(hours=47))
    _call("deliver_notifications")
    message = mail.outbox[0]
    assert message.subject.startswith("Напоминание: последний срок сдачи видеоурока «Открытый урок» — ")
    assert "с отметкой «с опозданием»" in message.body
    assert f"/cabinet/videos/{assignment.pk}/" in message.alternatives[0][0]


def test_the_scheduled_task_logs_its_run(due_video):
    send_reminders_task()
    run = JobRun.objects.get(job="send_reminders")
    assert run.trigger == JobRun.Trigger.SCHEDULE and run.summary["video"] == 1
    notifications_deliver_task()
    assert JobRun.objects.get(job="deliver_notifications").summary["sent"] == 1
    assert len(mail.outbox) == 1


def test_a_run_in_progress_makes_the_command_step_aside(due_video):
    with job_run("send_reminders"):  # another run holds the lock meanwhile
        out = _call("send_reminders")
    assert "send_reminders: Пропущено: уже выполняется" in out
    assert JobRun.objects.get(job="send_reminders", status=JobRun.Status.SKIPPED)
    assert Notification.objects.count() == 0
