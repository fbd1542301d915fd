import pytest

from activities.certificates import _no_remote_fetcher, certificates_render
from activities.models import Certificate
from activities.tasks import certificates_batch_task, certificates_zip_task, issue_certificates_task
from core.models import JobRun
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, SeasonFactory

pytestmark = pytest.mark.django_db


def test_scheduled_task_issues_and_logs_its_run():
    season = SeasonFactory()
    activity = activity_with_sessions(season)
    attend(EnrollmentFactory(season=season), activity, 1)

    issue_certificates_task()
    issue_certificates_task()

    assert Certificate.objects.count() == 1
    first, second = JobRun.objects.filter(job="issue_certificates").order_by("pk")
    assert first.status == second.status == JobRun.Status.SUCCESS
    assert first.summary["issued"] == 1 and second.summary["issued"] == 0


def test_job_tasks_return_quietly_for_a_missing_job():
    certificates_batch_task(999999)
    certificates_zip_task(999999)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("url", ["http://example.com/a.css", "https://example.com/font.woff", "file:///etc/passwd"])
def test_rendering_never_fetches_anything(url):
    with pytest.raises(ValueError):
        _no_remote_fetcher().fetch(url)


def test_render_of_nothing_is_nothing():
    assert certificates_render([]) == {}
