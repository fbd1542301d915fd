"""The coordinator's certificate admin: revoke / re-issue with a reason, issue now and the ZIP as long jobs."""

import io
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from activities.models import Certificate
from activities.services_certificates import certificates_issue
from activities.tasks import certificates_batch_task, certificates_zip_task
from core.models import BackgroundJob, Notification
from participants.models import User
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, MunicipalityFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
OUR_APPS = set(settings.PORTAL_APPS) - {"core"}
CHANGELIST = "admin:activities_certificate_changelist"


def coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


@pytest.fixture
def season():
    return SeasonFactory()


@pytest.fixture
def webinar(season):
    activity = activity_with_sessions(season)
    for _ in range(2):
        attend(EnrollmentFactory(season=season), activity, 1)
    return activity


@pytest.fixture
def issued(webinar):
    certificates_issue(now=timezone.now())
    return list(Certificate.objects.order_by("sequence"))


@pytest.fixture
def own(season):
    return coordinator(season.program.municipality)


@pytest.fixture
def stranger():
    return coordinator(MunicipalityFactory())


def test_changelist_shows_own_municipality_only(client, issued, own, stranger):
    client.force_login(own)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert issued[0].number in html and "Действителен" in html
    assert issued[0].enrollment.person.full_name in html

    client.force_login(stranger)
    assert issued[0].number not in client.get(reverse(CHANGELIST)).content.decode()
    assert client.get(reverse("admin:activities_certificate_change", args=[issued[0].pk])).status_code == 302


def test_changelist_query_count(client, own, season, django_assert_num_queries):
    activity = activity_with_sessions(season)
    attend(EnrollmentFactory(season=season), activity, 1)
    certificates_issue(now=timezone.now())
    client.force_login(own)
    with django_assert_num_queries(10):
        assert client.get(reverse(CHANGELIST)).status_code == 200
    for _ in range(2):
        attend(EnrollmentFactory(season=season), activity, 1)
    certificates_issue(now=timezone.now())
    assert Certificate.objects.count() == 3
    with django_assert_num_queries(10):
        assert client.get(reverse(CHANGELIST)).status_code == 200


def _action(client, action, certificates, reason=None):
    data = {"action": action, "_selected_action": [c.pk for c in certificates]}
    if reason is not None:
        data |= {"apply": "1", "reason": reason}
    return client.post(reverse(CHANGELIST), data)


def test_revoke_asks_for_a_reason_then_revokes(client, issued, own):
    client.force_login(own)

    page = _action(client, "revoke", issued[:1])
    assert page.status_code == 200 and "Причина" in page.content.decode()
    empty = _action(client, "revoke", issued[:1], reason="")
    assert empty.status_code == 200 and "Обязательное поле" in empty.content.decode()
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()

    done = _action(client, "revoke", issued[:1], reason="Ошибка в посещаемости")
    assert done.status_code == 302
    revoked = Certificate.objects.get(pk=issued[0].pk)
    assert revoked.revoked_by == own and revoked.revoke_reason == "Ошибка в посещаемости"
    assert Certificate.objects.get(pk=issued[1].pk).revoked_at is None


def test_reissue_gives_a_new_number(client, issued, own):
    client.force_login(own)
    _action(client, "reissue", issued[:1], reason="Опечатка в ФИО")
    new = Certificate.objects.get(reissue_of=issued[0])
    assert new.sequence == 3 and new.pdf and new.issued_by == own


def test_another_municipality_cannot_revoke(client, issued, stranger):
    client.force_login(stranger)
    _action(client, "revoke", issued, reason="Чужой")
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()


def test_teacher_and_anonymous_are_kept_out(client, issued):
    teacher = issued[0].enrollment.person.user
    for user in (teacher, None):
        client.logout()
        if user:
            client.force_login(user)
        for url in (
            reverse(CHANGELIST),
            reverse("admin:activities_certificate_issue"),
            reverse("admin:activities_certificate_zip", args=[issued[0].activity_id]),
        ):
            response = client.get(url)
            assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    _action(client, "revoke", issued, reason="x")
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()


def test_issue_now_starts_a_job_that_issues(client, webinar, own):
    client.force_login(own)
    assert client.get(reverse("admin:activities_certificate_issue") + f"?activity={webinar.pk}").status_code == 200

    response = client.post(reverse("admin:activities_certificate_issue"), {"activity": webinar.pk})

    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("background_job", args=[job.pk])
    assert job.started_by == own and job.params == {"activity": webinar.pk}
    certificates_batch_task(job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.done == job.total == 2
    assert Certificate.objects.filter(activity=webinar, issued_by=own).count() == 2
    assert Notification.objects.filter(user=own, kind=Notification.Kind.JOB).exists()
    certificates_batch_task(job.pk)  # a repeated delivery of the task changes nothing
    assert Certificate.objects.count() == 2


def test_issue_now_for_a_season(client, season, webinar, own):
    client.force_login(own)
    client.post(reverse("admin:activities_certificate_issue"), {"season": season.pk})
    certificates_batch_task(BackgroundJob.objects.get().pk)
    assert Certificate.objects.count() == 2


def test_issue_form_needs_a_choice_and_hides_other_municipalities(client, own, webinar):
    foreign = activity_with_sessions(SeasonFactory())
    client.force_login(own)
    empty = client.post(reverse("admin:activities_certificate_issue"), {})
    assert "Выберите сезон или мероприятие" in empty.content.decode()
    forged = client.post(reverse("admin:activities_certificate_issue"), {"activity": foreign.pk})
    assert forged.status_code == 200 and not BackgroundJob.objects.exists()
    assert foreign.title not in client.get(reverse("admin:activities_certificate_issue")).content.decode()


def test_zip_of_an_activity(client, issued, own, webinar):
    client.force_login(own)
    url = reverse("admin:activities_certificate_zip", args=[webinar.pk])
    assert "2" in client.get(url).content.decode()

    response = client.post(url)

    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("background_job", args=[job.pk])
    certificates_zip_task(job.pk)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.result_file
    archive = zipfile.ZipFile(io.BytesIO(job.result_file.read()))
    assert sorted(archive.namelist()) == sorted(f"{c.number}.pdf" for c in issued)
    assert archive.read(f"{issued[0].number}.pdf") == issued[0].pdf.open("rb").read()
    download = client.get(reverse("background_job_result", args=[job.pk]))
    assert download.status_code == 200


def test_zip_and_issue_of_another_municipality_are_404(client, webinar, stranger):
    client.force_login(stranger)
    url = reverse("admin:activities_certificate_zip", args=[webinar.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not BackgroundJob.objects.exists()
