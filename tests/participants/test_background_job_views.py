"""The long-job status page /jobs/<id>/, its JSON and the result download: for the starter only."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.jobs import background_job_create, background_job_finish, background_job_progress
from core.models import BackgroundJob, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URLS = ("background_job", "background_job_status", "background_job_result")


@pytest.fixture
def starter():
    return UserFactory()


@pytest.fixture
def job(starter):
    return background_job_create(kind="export", title="Выгрузка участников", by=starter, total=8)


def _done(job) -> BackgroundJob:
    return background_job_finish(
        job_id=job.pk, message="Выгружено 8 строк", result_name="uchastniki.csv", result_content=b"a;b\n1;2\n"
    )


def test_starter_follows_a_running_job(client, starter, job):
    background_job_progress(job_id=job.pk, done=2)
    client.force_login(starter)
    response = client.get(reverse("background_job", args=[job.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Выгрузка участников" in html and "Сделано 2 из 8" in html and 'aria-valuenow="25"' in html
    # Without JavaScript the page reloads itself while the job runs; there is nothing to download yet.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert reverse("background_job_result", args=[job.pk]) not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_status_json_fields(client, starter, job):
    background_job_progress(job_id=job.pk, done=6, message="Готовим файл")
    client.force_login(starter)
    data = client.get(reverse("background_job_status", args=[job.pk])).json()
    assert data == {
        "status": "running",
        "status_display": "Выполняется",
        "done": 6,
        "total": 8,
        "percent": 75,
        "message": "Готовим файл",
        "finished": False,
    }
    _done(job)
    data = client.get(reverse("background_job_status", args=[job.pk])).json()
    assert data["finished"] is True and data["percent"] == 100 and data["done"] == 8 and data["status"] == "done"


def test_finished_page_offers_the_download_and_stops_refreshing(client, starter, job):
    _done(job)
    client.force_login(starter)
    html = client.get(reverse("background_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert reverse("background_job_result", args=[job.pk]) in html and "Скачать результат" in html
    assert Notification.objects.get(user=starter).title == "Готово: Выгрузка участников"


def test_result_download_streams_the_stored_file(client, starter, job):
    _done(job)
    client.force_login(starter)
    response = client.get(reverse("background_job_result", args=[job.pk]))
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content) == b"a;b\n1;2\n"
    assert "attachment" in response["Content-Disposition"] and "uchastniki" in response["Content-Disposition"]


def test_no_result_before_the_job_is_done(client, starter, job):
    job.result_file.save("early.csv", ContentFile(b"x"))
    client.force_login(starter)
    assert client.get(reverse("background_job_result", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_another_user_gets_404(client, job, name):
    _done(job)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(name, args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_a_job_that_does_not_exist_is_404_too(client, starter, name):
    client.force_login(starter)
    assert client.get(reverse(name, args=[987654])).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_login(client, job, name):
    _done(job)
    response = client.get(reverse(name, args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_superuser_may_look(client, job):
    _done(job)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("background_job", args=[job.pk])).status_code == 200


def _back_link(response) -> str:
    import re

    return re.search(r'<a href="([^"]*)" data-job="back">', response.content.decode()).group(1)


def test_the_job_page_links_back_to_where_the_job_was_started(client, starter, job):
    client.force_login(starter)
    started_at = "http://testserver/admin/activities/certificate/issue/?season=3"

    first = client.get(reverse("background_job", args=[job.pk]), HTTP_REFERER=started_at)
    # The noscript reload comes from the job page itself: the link still leads back to the start page.
    reload = client.get(
        reverse("background_job", args=[job.pk]),
        HTTP_REFERER=f"http://testserver{reverse('background_job', args=[job.pk])}",
    )

    assert _back_link(first) == "/admin/activities/certificate/issue/?season=3"
    assert _back_link(reload) == "/admin/activities/certificate/issue/?season=3"


def test_a_foreign_referer_is_not_linked(client, starter, job):
    client.force_login(starter)

    response = client.get(reverse("background_job", args=[job.pk]), HTTP_REFERER="https://evil.example/phish/")

    assert _back_link(response) == reverse("cabinet")  # the starter's own landing page instead


def test_without_a_referer_the_link_leads_to_the_landing_page(client, job):
    coordinator = UserFactory(role="coordinator", is_staff=True)
    job.started_by = coordinator
    job.save()
    client.force_login(coordinator)

    assert _back_link(client.get(reverse("background_job", args=[job.pk]))) == reverse("admin:index")
