"""Run inside `manage.py shell` over a SQLite file database (see test_sqlite_first_job.py): the data of a fresh
demo whose certificates are still owed, and a person signing in and loading the cabinet over and over."""

import json
import os
import time
from pathlib import Path

PASSWORD = "Pervyi-Chas-2026"
TEACHER = "uchitel@example.org"


def prepare(owed: int) -> None:
    from django.contrib.auth.hashers import make_password

    from participants.models import User
    from tests.activities.certificate_fixtures import activity_with_sessions, attend
    from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory

    season = SeasonFactory()
    activity = activity_with_sessions(season)
    for _ in range(owed):
        attend(EnrollmentFactory(season=season), activity, 1)
    user = User.objects.create(email=TEACHER, password=make_password(PASSWORD), role=User.Role.TEACHER)
    User.objects.filter(pk=user.pk).update(email_confirmed_at=user.date_joined)
    person = PersonFactory(user=user, email=TEACHER)
    attend(EnrollmentFactory(season=season, person=person), activity, 1)


def browse(stop_file: str, report: str, started_file: str | None = None) -> None:
    """Sign in and load the cabinet until the stop file appears; write every status code seen. `started_file` is
    created once the first sign-in and cabinet have answered, so the caller starts the jobs while it browses."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    statuses, errors = [], []
    deadline = time.monotonic() + 300
    while not os.path.exists(stop_file) and time.monotonic() < deadline:
        client = Client(raise_request_exception=False)
        try:
            response = client.post("/accounts/login/", {"username": TEACHER, "password": PASSWORD})
            statuses.append(response.status_code)
            statuses.append(client.get("/cabinet/").status_code)
        except Exception as exc:  # anything the request did not turn into a response
            errors.append(repr(exc))
        if started_file is not None and not os.path.exists(started_file):
            Path(started_file).touch()
    Path(report).write_text(json.dumps({"statuses": statuses, "errors": errors}))
