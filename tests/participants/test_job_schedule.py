"""The scheduled jobs as the overview shows them: schedule in words, next run, last run in one query."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings

from core.job_schedule import schedule_describe, schedule_next_run, scheduled_jobs
from core.models import JobRun

MOSCOW = ZoneInfo("Europe/Moscow")


def test_schedule_in_words():
    assert schedule_describe(crontab(minute="*/15")) == "каждые 15 минут"
    assert schedule_describe(crontab(minute="*/5")) == "каждые 5 минут"
    assert schedule_describe(crontab(minute="*")) == "каждую 1 минуту"
    assert schedule_describe(crontab(minute=5)) == "каждый час в :05"
    assert schedule_describe(crontab(hour=2, minute=30)) == "ежедневно в 02:30"
    # Anything else is written as crontab writes it, never a wrong sentence.
    assert schedule_describe(crontab(hour=2, minute=30, day_of_week=1)).startswith("<crontab: 30 2 * * 1")


def test_next_run_follows_the_crontab_in_the_portal_zone(settings):
    assert settings.CELERY_TIMEZONE == "Europe/Moscow"
    now = datetime(2025, 3, 10, 10, 7, tzinfo=MOSCOW)
    assert schedule_next_run(crontab(minute="*/15"), now=now) == datetime(2025, 3, 10, 10, 15, tzinfo=MOSCOW)
    assert schedule_next_run(crontab(minute=5), now=now) == datetime(2025, 3, 10, 11, 5, tzinfo=MOSCOW)
    assert schedule_next_run(crontab(hour=2, minute=30), now=now) == datetime(2025, 3, 11, 2, 30, tzinfo=MOSCOW)
    night = datetime(2025, 3, 10, 1, 0, tzinfo=MOSCOW)
    assert schedule_next_run(crontab(hour=2, minute=30), now=night) == datetime(2025, 3, 10, 2, 30, tzinfo=MOSCOW)


@pytest.mark.django_db
def test_scheduled_jobs_lists_the_beat_schedule_with_last_runs_in_one_query(django_assert_num_queries):
    JobRun.objects.create(job="check_deadlines", status=JobRun.Status.SUCCESS, message="старый")
    latest = JobRun.objects.create(job="check_deadlines", status=JobRun.Status.FAILED, message="новый")
    JobRun.objects.create(job="send_reminders", status=JobRun.Status.SUCCESS)
    now = datetime(2025, 3, 10, 10, 7, tzinfo=MOSCOW)
    with django_assert_num_queries(1):
        jobs = {job.job: job for job in scheduled_jobs(now=now)}
    assert list(jobs) == list(settings.CELERY_BEAT_SCHEDULE)
    assert jobs["check_deadlines"].title == "Проверка сроков и правил исключения"
    assert jobs["check_deadlines"].schedule_words == "каждые 15 минут"
    assert jobs["check_deadlines"].last_run == latest
    assert jobs["check_deadlines"].next_run_at == datetime(2025, 3, 10, 10, 15, tzinfo=MOSCOW)
    assert jobs["kpi_snapshot"].last_run is None
    assert jobs["kpi_snapshot"].schedule_words == "ежедневно в 02:30"
    assert jobs["kpi_half_year_snapshot"].title == "Срез показателей за полугодие (мониторинг)"
    assert jobs["kpi_half_year_snapshot"].schedule_words == "ежедневно в 02:45"
    assert jobs["prune_job_runs"].title == "Очистка журнала"


def test_every_scheduled_job_has_a_russian_title_and_every_title_a_job(settings):
    assert set(settings.JOB_TITLES) == set(settings.CELERY_BEAT_SCHEDULE)
    for job, title in settings.JOB_TITLES.items():
        assert str(title) and str(title) != job and any("а" <= ch <= "я" for ch in str(title).lower())
