"""Redis down: the pages keep answering, a task queued meanwhile waits in the outbox and reaches a real worker
once Redis is back — once; cached pages never come back stale (docs/deploy.md, «Отказы»).

The test runs its own Redis (with its data kept on disk across the restart, the hard case: old versions and
old cached pages come back with it) and points this process's cache and Celery producer at it.
"""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import Attendance
from activities.services import checkin_open
from core.models import BackgroundJob, Notification, TaskOutbox
from core.task_outbox import task_outbox_flush
from experts.models import ExpertRole
from participants.models import Enrollment, User
from tests.activities.attendance_fixtures import coordinator_of, session_with_participants
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    AttendanceFactory,
    EnrollmentFactory,
    ExpertAssignmentFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)
from tests.faults_support import OwnRedis, Worker, needs_real_services, portal_on, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis(tmp_path, settings):
    needs_real_services()
    server = OwnRedis(tmp_path)
    server.start()
    with portal_on(server, settings):
        yield server
    server.stop()


@pytest.fixture
def people(settings):
    settings.KPI_CACHE_SECONDS = 600
    enrollment = EnrollmentFactory(status=Enrollment.Status.ACTIVE)
    season = enrollment.season
    activity = ActivityFactory(season=season, title="Старое название мастерской")
    session = SessionFactory(activity=activity, starts_at=timezone.now() - timedelta(days=2))
    AttendanceFactory(session=session, enrollment=enrollment)
    expert = ExpertAssignmentFactory(
        season=season, role=ExpertRole.METHODIST, person=PersonFactory(user=UserFactory(role=User.Role.EXPERT))
    ).person.user
    management = UserFactory(role=User.Role.MANAGEMENT, municipality=season.program.municipality)
    return {"teacher": enrollment.person.user, "expert": expert, "management": management, "activity": activity}


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get(reverse("notifications"))  # a browser that has opened a page: it holds its CSRF cookie
    return client


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_pages_work_without_redis_and_queued_work_is_delivered_once_it_is_back(redis, people, tmp_path):
    teacher, expert, management = (_browser(people[k]) for k in ("teacher", "expert", "management"))
    # Redis up: the KPI page is cached (the cabinet is computed on every request).
    assert "Старое название мастерской" in _get(teacher, reverse("cabinet"))
    _get(management, reverse("kpi_dashboard"))
    assert list(cache.keys("reports:kpi:entry:*"))

    redis.stop()
    # Every page answers, computed afresh; signing in works (sessions live in the database).
    for client, url in ((teacher, "/"), (teacher, reverse("cabinet")), (expert, reverse("review_queue"))):
        _get(client, url)
    _get(expert, reverse("expert_workspace"))
    _get(management, reverse("kpi_dashboard"))
    _get(Client(), reverse("login"))
    signing_in = Client()
    response = signing_in.post(reverse("login"), {"username": people["teacher"].email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    _get(signing_in, reverse("cabinet"))

    # A change the cabinet and the KPI pages show, committed while the KPI version bump cannot reach Redis…
    activity = people["activity"]
    activity.title = "Новое название мастерской"
    activity.save()
    assert "Новое название мастерской" in _get(teacher, reverse("cabinet"))
    # …and a request that queues a long job: it answers and the task waits in the outbox. The publish was tried
    # once and gave up (no retry loop holding the request: speed itself is bench's business, not a test's).
    response = management.post(reverse("kpi_download"), {"year": timezone.localdate().year})
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    export = TaskOutbox.objects.get(task="reports.tasks.export_task")
    assert export.kwargs == {"job_id": job.pk} and export.sent_at is None and export.attempts == 1
    assert export.last_error
    # The lost version bump of the KPI pages, kept for the other processes.
    bumps = TaskOutbox.objects.filter(task="participants.tasks.cache_versions_bump_task", sent_at=None)
    lost = {key for row in bumps for key in row.kwargs["keys"]}
    assert "reports:kpi:data-version" in lost
    waiting = TaskOutbox.objects.filter(sent_at=None).count()
    assert task_outbox_flush() == {"sent": 0, "failed": waiting}  # the minute job, Redis still down

    redis.start()
    # Redis came back with the old KPI version and its entries: the lost bump is replayed before any read.
    html = _get(teacher, reverse("cabinet"))
    assert "Новое название мастерской" in html and "Старое название мастерской" not in html
    _get(management, reverse("kpi_dashboard"))

    worker = Worker(redis.url, tmp_path, "outbox")
    try:
        worker.wait_ready()
        assert task_outbox_flush() == {"sent": waiting, "failed": 0}  # the minute job, Redis back
        wait_for(
            lambda: BackgroundJob.objects.get(pk=job.pk).status == BackgroundJob.Status.DONE,
            what="the export job",
            worker=worker,
        )
        wait_for(lambda: "cache_versions_bump_task" in worker.log() and "succeeded" in worker.log(), worker=worker)
        assert task_outbox_flush() == {"sent": 0, "failed": 0}
        time.sleep(1)  # a duplicate delivery would show up in the log by now
    finally:
        worker.stop()
    log = worker.log()
    assert log.count("Task reports.tasks.export_task[") == 2, log[-4000:]  # received and succeeded, once each
    assert log.count("Task participants.tasks.cache_versions_bump_task[") == 2 * bumps.count(), log[-4000:]
    job.refresh_from_db()
    assert job.result_file and job.finished_at
    assert Notification.objects.filter(user=people["management"], dedupe_key=f"job:{job.pk}").count() == 1
    assert not TaskOutbox.objects.filter(sent_at=None).exists()


def test_the_checkin_limit_holds_while_redis_is_down(redis):
    """The wrong-code count guards a six-digit secret: it lives in the database, so a stopped Redis forgets nothing
    (docs/decisions/0005-limiters.md: eight wrong codes in a row all answered «Осталось попыток: 4»)."""
    session, (enrollment,) = session_with_participants(1, starts_at=timezone.now() - timedelta(minutes=5))
    code = checkin_open(session=session, by=coordinator_of(session))
    wrong = "000000" if code != "000000" else "111111"
    teacher = _browser(enrollment.person.user)
    redis.stop()

    address = reverse("session_checkin", args=[session.pk])
    pages = [teacher.post(address, {"code": wrong}) for _ in range(8)]

    assert [p.status_code for p in pages] == [200] * 8
    texts = [p.content.decode() for p in pages]
    assert "Осталось попыток: 4" in texts[0] and "Осталось попыток: 1" in texts[3]
    assert "Попытки закончились" in texts[4]
    assert all("Слишком много неверных попыток" in t for t in texts[5:])
    right = teacher.post(address, {"code": code})
    assert right.status_code == 200 and "Слишком много неверных попыток" in right.content.decode()
    assert not Attendance.objects.filter(session=session, enrollment=enrollment).exists()
