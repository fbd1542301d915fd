"""The scheduled jobs as a coordinator sees them: a title, the schedule in words, the last and the next run.

The schedule itself is settings.CELERY_BEAT_SCHEDULE, keyed by job name (the name each task logs its runs
under in JobRun), and settings.JOB_TITLES, beside it, gives each job its Russian title. Tasks are referred to
by name only, so this module imports no app. A coordinator's «Запустить сейчас» queues the task by name with
trigger="manual", so every scheduled task accepts a `trigger` keyword argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .jobs import job_last_runs
from .models import JobRun
from .task_outbox import task_enqueue


def job_titles() -> dict[str, str]:
    """Titles by job name, in the order settings.JOB_TITLES gives them."""
    return {job: str(title) for job, title in settings.JOB_TITLES.items()}


def job_title(job: str) -> str:
    return str(settings.JOB_TITLES.get(job, job))


@dataclass(frozen=True)
class ScheduledJob:
    job: str
    task: str
    title: str
    schedule: object
    schedule_words: str
    last_run: JobRun | None
    next_run_at: datetime | None


def schedule_describe(schedule) -> str:
    """A crontab in words: «каждые 15 минут», «каждый час в :05», «ежедневно в 02:30»; else as crontab writes it."""
    if not isinstance(schedule, crontab):
        return str(schedule)
    every_day = (
        len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31 and len(schedule.month_of_year) == 12
    )
    minutes, hours = sorted(schedule.minute), sorted(schedule.hour)
    if every_day and len(hours) == 24:
        if len(minutes) == 1:
            return str(_("каждый час в :%(minute)02d") % {"minute": minutes[0]})
        step = minutes[1] - minutes[0]
        if minutes[0] == 0 and 60 % step == 0 and minutes == list(range(0, 60, step)):
            return ngettext("каждую %(n)d минуту", "каждые %(n)d минут", step) % {"n": step}
    if every_day and len(hours) == 1 and len(minutes) == 1:
        return str(_("ежедневно в %(hour)02d:%(minute)02d") % {"hour": hours[0], "minute": minutes[0]})
    return str(schedule)


def schedule_next_run(schedule, *, now: datetime) -> datetime | None:
    """When the schedule fires next after `now` (an aware time; crontab works in CELERY_TIMEZONE)."""
    if not isinstance(schedule, crontab):
        return None
    # remaining_delta works from a "last run" time: the next firing after `now` is what we want.
    start, delta, _now = schedule.remaining_delta(timezone.localtime(now, schedule.tz))
    return start + delta


def scheduled_jobs(*, now: datetime | None = None) -> list[ScheduledJob]:
    """Every job of the beat schedule with its last run (one query for all) and its next planned time."""
    now = now or timezone.now()
    last_runs = job_last_runs()
    jobs = []
    for job, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        jobs.append(
            ScheduledJob(
                job=job,
                task=entry["task"],
                title=job_title(job),
                schedule=schedule,
                schedule_words=schedule_describe(schedule),
                last_run=last_runs.get(job),
                next_run_at=schedule_next_run(schedule, now=now),
            )
        )
    return jobs


def scheduled_job_start(*, job: str) -> str:
    """Queue a scheduled job now, as a coordinator's manual run (after the surrounding commit, if any).

    Returns the task name; raises KeyError for a job that is not on the schedule.
    """
    task = settings.CELERY_BEAT_SCHEDULE[job]["task"]
    task_enqueue(task, {"trigger": JobRun.Trigger.MANUAL})
    return task
