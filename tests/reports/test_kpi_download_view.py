"""The KPI workbook download: POST the dashboard's filters, get a queued job and its page."""

import time
from datetime import date

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from core.models import BackgroundJob
from participants.models import User
from reports.exports import export_run, export_start
from reports.selectors import dashboard_filters
from reports.workbooks import KIND
from tests.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    SeasonFactory,
    SessionFactory,
    UserFactory,
)

URL = "/reports/download/"


@pytest.fixture
def place(db):
    home, other = MunicipalityFactory(name="Октябрьский"), MunicipalityFactory(name="Заречный")
    school = OrganisationFactory(municipality=home, short_name="Школа № 1")
    season = SeasonFactory(program__municipality=home, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    management = UserFactory(role=User.Role.MANAGEMENT, municipality=home)
    return {"home": home, "other": other, "school": school, "season": season, "management": management}


def test_management_queues_the_workbook_and_follows_the_job(place, client, django_capture_on_commit_callbacks):
    client.force_login(place["management"])
    data = {"year": "2026", "season": place["season"].pk, "organisation": place["school"].pk}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, data)

    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert len(callbacks) == 1 and job.status == BackgroundJob.Status.QUEUED
    assert job.kind == f"export:{KIND}" and job.started_by == place["management"]
    assert job.params == {
        "user": place["management"].pk,
        "year": 2026,
        "season": place["season"].pk,
        "municipality": place["home"].pk,
        "organisation": place["school"].pk,
    }
    assert job.title.startswith("Показатели (KPI) за 2026: Школа № 1")


def test_get_is_not_allowed(place, client):
    client.force_login(place["management"])
    assert client.get(URL).status_code == 405


def test_a_teacher_is_answered_not_found(place, client):
    teacher = PersonFactory(organisation=place["school"]).user
    client.force_login(teacher)
    assert client.post(URL, {"year": "2026"}).status_code == 404
    assert not BackgroundJob.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(place, client):
    response = client.post(URL, {"year": "2026"})
    assert response.status_code == 302 and response.url.startswith(f"{reverse('login')}?next=")
    assert not BackgroundJob.objects.exists()


def test_another_municipality_is_not_found(place, client):
    client.force_login(place["management"])
    assert client.post(URL, {"year": "2026", "municipality": place["other"].pk}).status_code == 404
    far = OrganisationFactory(municipality=place["other"])
    assert client.post(URL, {"year": "2026", "organisation": far.pk}).status_code == 404
    assert not BackgroundJob.objects.exists()


def test_a_reader_whose_access_was_removed_before_the_worker_ran_gets_a_failed_job(
    place, client, django_capture_on_commit_callbacks
):
    client.force_login(place["management"])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(URL, {"year": "2026"})
    job = BackgroundJob.objects.get()
    place["management"].municipality = place["other"]  # moved to the neighbouring district meanwhile
    place["management"].save(update_fields=["municipality"])

    export_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and not job.result_file
    assert job.message == "Выгрузка не сформирована: у вас больше нет доступа к этим показателям."


def test_the_partial_posts_the_filters_as_hidden_inputs(place):
    request = RequestFactory().get("/")
    request.user = place["management"]
    filters = dashboard_filters(user=place["management"], data={"year": "2026", "season": str(place["season"].pk)})
    html = render_to_string("reports/_download.html", {"filters": filters}, request=request)

    assert 'method="post"' in html and f'action="{URL}"' in html and "csrfmiddlewaretoken" in html
    assert '<input type="hidden" name="year" value="2026">' in html
    assert f'<input type="hidden" name="season" value="{place["season"].pk}">' in html
    assert "Скачать XLSX" in html and "уведомление" in html


@pytest.mark.worker
def test_a_real_worker_writes_the_workbook(celery_worker_process, transactional_db):
    home = MunicipalityFactory(name="Октябрьский")
    season = SeasonFactory(program__municipality=home, starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
    session = SessionFactory(activity__season=season)
    for _ in range(2):
        AttendanceFactory(
            session=session, enrollment=EnrollmentFactory(season=season, person__organisation__municipality=home)
        )
    reader = UserFactory(role=User.Role.MANAGEMENT, municipality=home)
    with transaction.atomic():
        params = {"user": reader.pk, "year": 2026, "municipality": home.pk}
        job = export_start(kind=KIND, title="Показатели", params=params, by=reader)

    deadline = time.monotonic() + 90
    while not BackgroundJob.objects.get(pk=job.pk).is_finished:
        assert celery_worker_process.poll() is None, celery_worker_process.log_tail()
        assert time.monotonic() < deadline, f"no finished export after 90 s:\n{celery_worker_process.log_tail()}"
        time.sleep(0.2)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    assert job.result_file.name.endswith(".xlsx") and f"kpi-2026-mun{home.pk}-" in job.result_file.name
    assert job.done == job.total and job.total > 4  # the two enrollments, two marks and the KPI sheets
