"""The beat schedule (config/settings.py): every task it names exists, and each job runs as often as it should."""

from celery.schedules import crontab
from django.conf import settings

from config.celery import app

EVERY_HOUR = set(range(24))
EVERY_DAY = {"day_of_week": set(range(7)), "day_of_month": set(range(1, 32)), "month_of_year": set(range(1, 13))}


def unregistered_tasks(schedule: dict) -> list[str]:
    """Task names of the schedule that no installed app registers (a typo, or a task that was removed)."""
    app.loader.import_default_modules()  # what a worker does at start: import every app's tasks module
    return sorted(entry["task"] for entry in schedule.values() if entry["task"] not in app.tasks)


def test_every_scheduled_task_is_registered():
    assert unregistered_tasks(settings.CELERY_BEAT_SCHEDULE) == []


def test_a_misspelt_task_name_is_caught():
    schedule = {**settings.CELERY_BEAT_SCHEDULE, "typo": {"task": "participants.tasks.notifications_delivr_task"}}
    assert "participants.tasks.notifications_delivr_task" in unregistered_tasks(schedule)


def _cron(job: str) -> crontab:
    schedule = settings.CELERY_BEAT_SCHEDULE[job]["schedule"]
    assert isinstance(schedule, crontab), job
    for field, everything in EVERY_DAY.items():
        assert getattr(schedule, field) == everything, (job, field)
    return schedule


def test_the_jobs_and_their_tasks():
    assert {job: entry["task"] for job, entry in settings.CELERY_BEAT_SCHEDULE.items()} == {
        "check_deadlines": "activities.tasks.check_deadlines_task",
        "send_reminders": "participants.tasks.send_reminders_task",
        "issue_certificates": "activities.tasks.issue_certificates_task",
        "deliver_notifications": "participants.tasks.notifications_deliver_task",
        "kpi_snapshot": "reports.tasks.kpi_snapshot_task",
        "kpi_half_year_snapshot": "reports.tasks.kpi_half_year_snapshot_task",
        "prune_job_runs": "participants.tasks.job_runs_prune_task",
        "personal_data_retention": "participants.tasks.personal_data_retention_task",
        "clean_resumable_uploads": "activities.tasks.resumable_uploads_clean_task",
        "flush_task_outbox": "participants.tasks.flush_task_outbox_task",
    }


def test_the_task_outbox_is_flushed_every_minute():
    outbox = _cron("flush_task_outbox")
    assert outbox.hour == EVERY_HOUR and outbox.minute == set(range(60))


def test_deadlines_every_15_minutes_and_outbox_every_5():
    deadlines = _cron("check_deadlines")
    assert deadlines.hour == EVERY_HOUR and deadlines.minute == {0, 15, 30, 45}
    outbox = _cron("deliver_notifications")
    assert outbox.hour == EVERY_HOUR and outbox.minute == set(range(0, 60, 5))


def test_reminders_certificates_and_abandoned_uploads_hourly():
    for job in ("send_reminders", "issue_certificates", "clean_resumable_uploads"):
        schedule = _cron(job)
        assert schedule.hour == EVERY_HOUR and len(schedule.minute) == 1, job


def test_kpi_snapshot_nightly_and_log_pruning_daily():
    kpi = _cron("kpi_snapshot")
    assert kpi.hour == {2} and kpi.minute == {30}
    prune = _cron("prune_job_runs")
    assert len(prune.hour) == 1 and len(prune.minute) == 1
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


def test_personal_data_retention_nightly_after_the_log_pruning():
    retention = _cron("personal_data_retention")
    assert retention.hour == {4} and retention.minute == {10}


def test_a_queued_run_expires_before_the_next_one_is_due():
    for job, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        minutes = sorted(schedule.minute)
        if len(schedule.hour) == 24 and len(minutes) > 1:
            period = (minutes[1] - minutes[0]) * 60
        elif len(schedule.hour) == 24:
            period = 3600
        else:
            period = 24 * 3600
        assert 0 < entry["options"]["expires"] < period, job


def test_half_year_snapshot_daily_after_midnight_in_every_russian_zone():
    """Seed 002, п. 7.3: a daily run at 02:45 Moscow time is past midnight from Kaliningrad (UTC+2) eastwards."""
    half_year = _cron("kpi_half_year_snapshot")
    assert half_year.hour == {2} and half_year.minute == {45}
