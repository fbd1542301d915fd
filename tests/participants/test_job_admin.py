"""The coordinator's job log, the «Фоновые задачи» overview with «Запустить сейчас», and long jobs in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from core.models import BackgroundJob, JobRun
from participants.models import User
from participants.roles import COORDINATORS, MANAGEMENT
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

OVERVIEW = "admin:core_jobrun_overview"
CHANGELIST = "admin:core_jobrun_changelist"


def _staff(group: str, **kwargs) -> User:
    user = UserFactory(is_staff=True, municipality=MunicipalityFactory(), **kwargs)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def coordinator():
    return _staff(COORDINATORS, role=User.Role.COORDINATOR)


@pytest.fixture
def management():
    return _staff(MANAGEMENT)


@pytest.fixture
def memory_broker():
    """Celery publishes into kombu's in-memory transport: the test reads back exactly what was queued."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport_options
    conf.broker_url, conf.broker_transport_options = "memory://", {}
    celery_app._after_fork()  # drop the pools bound to the configured broker

    def queued() -> list[tuple[str, dict]]:
        messages = []
        with celery_app.connection_for_write() as connection:
            queue = connection.SimpleQueue("celery")
            while queue.qsize():
                message = queue.get(timeout=1)
                messages.append((message.headers["task"], message.payload[1]))
                message.ack()
            queue.close()
        return messages

    yield queued
    conf.broker_url, conf.broker_transport_options = saved
    celery_app._after_fork()


def _runs(n: int) -> None:
    start = timezone.now() - timedelta(hours=1)
    for i in range(n):
        JobRun.objects.create(
            job="check_deadlines",
            status=JobRun.Status.SUCCESS if i % 2 == 0 else JobRun.Status.FAILED,
            started_at=start + timedelta(minutes=i),
            finished_at=start + timedelta(minutes=i, seconds=75),
            summary={"late": i},
            message=f"Отмечено с опозданием: {i}",
            error="Traceback…\nValueError: сломалось" if i % 2 else "",
        )


def test_changelist_shows_runs_with_titles_statuses_and_durations(client, coordinator):
    _runs(2)
    client.force_login(coordinator)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Проверка сроков и правил исключения" in html
    assert "job-status-success" in html and "job-status-failed" in html
    assert "1 мин 15 с" in html
    assert "Отмечено с опозданием: 1" in html
    assert reverse(OVERVIEW) in html  # the link to the overview


def test_changelist_filters_by_job_status_and_trigger(client, coordinator):
    _runs(3)
    JobRun.objects.create(job="send_reminders", trigger=JobRun.Trigger.MANUAL, status=JobRun.Status.SUCCESS)
    client.force_login(coordinator)
    url = reverse(CHANGELIST)
    assert client.get(url, {"job": "send_reminders"}).context["cl"].result_count == 1
    assert client.get(url, {"status__exact": "failed"}).context["cl"].result_count == 1
    assert client.get(url, {"trigger__exact": "manual"}).context["cl"].result_count == 1


@pytest.mark.parametrize("n", [1, 3])
def test_changelist_query_count_is_constant(client, coordinator, django_assert_num_queries, n):
    _runs(n)
    client.force_login(coordinator)
    client.get(reverse(CHANGELIST))  # warm the session and the content types
    with django_assert_num_queries(6):
        assert client.get(reverse(CHANGELIST)).status_code == 200


def test_change_page_is_read_only_with_summary_and_error(client, coordinator):
    _runs(2)
    failed = JobRun.objects.get(status=JobRun.Status.FAILED)
    client.force_login(coordinator)
    response = client.get(reverse("admin:core_jobrun_change", args=[failed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ValueError: сломалось" in html and "<th scope='row'>late</th><td>1</td>" in html
    assert 'name="_save"' not in html
    assert client.post(reverse("admin:core_jobrun_delete", args=[failed.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:core_jobrun_add")).status_code == 403
    assert JobRun.objects.filter(pk=failed.pk).exists()


def test_overview_lists_every_scheduled_job_with_last_and_next_run(client, coordinator):
    JobRun.objects.create(job="kpi_snapshot", status=JobRun.Status.FAILED, message="Сезонов: 0")
    client.force_login(coordinator)
    response = client.get(reverse(OVERVIEW))
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Проверка сроков и правил исключения",
        "Напоминания",
        "Выдача сертификатов",
        "Срез показателей KPI",
        "Срез показателей за полугодие (мониторинг)",
        "Отправка писем",
        "Очистка журнала",
        "Уничтожение персональных данных по сроку и отзыву согласия",
        "Отправка отложенных задач",
        "Удаление брошенных загрузок видео",
    ):
        assert title in html
    assert "каждые 15 минут" in html and "ежедневно в 02:30" in html and "каждые 5 минут" in html
    assert "job-status-failed" in html and "Сезонов: 0" in html
    assert "ещё не запускалась" in html
    assert html.count("Запустить сейчас</button>") == 10


@pytest.mark.parametrize("n", [1, 3])
def test_overview_query_count_is_constant(client, coordinator, django_assert_num_queries, n):
    for job in ("check_deadlines", "send_reminders", "kpi_snapshot")[:n]:
        JobRun.objects.create(job=job, status=JobRun.Status.SUCCESS)
    client.force_login(coordinator)
    client.get(reverse(OVERVIEW))
    with django_assert_num_queries(5):
        assert client.get(reverse(OVERVIEW)).status_code == 200


def test_admin_index_links_to_the_overview(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse(OVERVIEW) in html and "Фоновые задачи" in html


def test_run_now_queues_the_task_with_the_manual_trigger(
    client, coordinator, memory_broker, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:core_jobrun_run", args=["kpi_snapshot"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(OVERVIEW)
    assert "«Срез показателей KPI» поставлена в очередь" in response.content.decode()
    assert memory_broker() == [("reports.tasks.kpi_snapshot_task", {"trigger": "manual"})]


def test_run_now_is_post_only_and_rejects_unknown_jobs(client, coordinator, memory_broker):
    client.force_login(coordinator)
    assert client.get(reverse("admin:core_jobrun_run", args=["kpi_snapshot"])).status_code == 405
    assert client.post(reverse("admin:core_jobrun_run", args=["no_such_job"])).status_code == 404
    assert memory_broker() == []


def test_run_now_needs_a_csrf_token(coordinator, memory_broker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert client.post(reverse("admin:core_jobrun_run", args=["kpi_snapshot"])).status_code == 403
    assert memory_broker() == []


def test_management_sees_the_log_but_cannot_run(client, management, memory_broker):
    client.force_login(management)
    html = client.get(reverse(OVERVIEW)).content.decode()
    assert "Проверка сроков и правил исключения" in html and "Запустить сейчас</button>" not in html
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.post(reverse("admin:core_jobrun_run", args=["kpi_snapshot"])).status_code == 403
    assert memory_broker() == []


def test_superuser_may_run(client, memory_broker, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:core_jobrun_run", args=["check_deadlines"]))
    assert memory_broker() == [("activities.tasks.check_deadlines_task", {"trigger": "manual"})]


def test_staff_without_the_permission_and_visitors_are_kept_out(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(OVERVIEW)).status_code == 403
    assert client.get(reverse(CHANGELIST)).status_code == 403
    client.force_login(UserFactory(role=User.Role.TEACHER))
    assert client.get(reverse(OVERVIEW)).status_code == 302
    client.logout()
    response = client.get(reverse(OVERVIEW))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_only_coordinators_group_and_superusers_hold_the_run_permission(coordinator, management):
    assert coordinator.has_perm("core.run_jobs")
    assert not management.has_perm("core.run_jobs")
    assert management.has_perm("core.view_jobrun") and management.has_perm("core.view_backgroundjob")
    assert coordinator.has_perm("core.view_backgroundjob")


# --- Long jobs ---------------------------------------------------------------------------------------


def _jobs(owner: User, n: int) -> list[BackgroundJob]:
    return [
        BackgroundJob.objects.create(
            kind="certificates", title=f"Сертификаты, пакет {i}", started_by=owner, total=10, done=4
        )
        for i in range(n)
    ]


def test_coordinator_sees_only_the_jobs_they_started(client, coordinator):
    other = _staff(COORDINATORS, role=User.Role.COORDINATOR)
    mine = _jobs(coordinator, 1)[0]
    theirs = _jobs(other, 1)[0]
    client.force_login(coordinator)
    response = client.get(reverse("admin:core_backgroundjob_changelist"))
    html = response.content.decode()
    assert mine.title in html and "40% (4 / 10)" in html
    assert list(response.context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:core_backgroundjob_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:core_backgroundjob_change", args=[mine.pk])).status_code == 200


def test_superuser_sees_all_long_jobs(client, coordinator):
    _jobs(coordinator, 2)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:core_backgroundjob_changelist"))
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize("n", [1, 3])
def test_long_jobs_changelist_query_count_is_constant(client, coordinator, django_assert_num_queries, n):
    _jobs(coordinator, n)
    client.force_login(coordinator)
    url = reverse("admin:core_backgroundjob_changelist")
    client.get(url)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
