"""The coordinator's admin for video lessons: extensions go through extension_grant; submissions are read-only."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from activities.models import SubmissionExtension
from participants.models import User
from tests.factories import (
    EnrollmentFactory,
    MunicipalityFactory,
    ProgramFactory,
    SeasonFactory,
    SubmissionFactory,
    UserFactory,
    VideoAssignmentFactory,
)

pytestmark = pytest.mark.django_db
OUR_APPS = set(settings.PORTAL_APPS) - {"core"}


def coordinator(municipality) -> User:
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


@pytest.fixture
def assignment(enrollment):
    return VideoAssignmentFactory(activity__season=enrollment.season)


def local_input(moment, tz):
    # The admin reads times in the coordinator's municipality zone (participants.middleware).
    local = timezone.localtime(moment, tz)
    return {"until_0": local.strftime("%d.%m.%Y"), "until_1": local.strftime("%H:%M:%S")}


def test_a_coordinator_grants_an_extension_in_the_admin(client, enrollment, assignment):
    user = coordinator(enrollment.season.program.municipality)
    client.force_login(user)
    until = (assignment.cutoff_at + timedelta(days=5)).replace(microsecond=0)
    data = {
        "assignment": assignment.pk,
        "enrollment": enrollment.pk,
        "reason": "Больничный лист",
        **local_input(until, ZoneInfo(enrollment.season.program.municipality.time_zone)),
    }
    response = client.post(reverse("admin:activities_submissionextension_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    extension = SubmissionExtension.objects.get()
    assert (extension.until, extension.reason, extension.granted_by) == (until, "Больничный лист", user)


def test_the_admin_shows_the_services_refusal_at_the_field(client, enrollment, assignment):
    client.force_login(coordinator(enrollment.season.program.municipality))
    data = {
        "assignment": assignment.pk,
        "enrollment": enrollment.pk,
        "reason": "Больничный",
        **local_input(assignment.due_at, ZoneInfo(enrollment.season.program.municipality.time_zone)),
    }
    response = client.post(reverse("admin:activities_submissionextension_add"), data)
    assert response.status_code == 200
    assert "Продление должно заканчиваться позже окончательного срока" in response.content.decode()
    assert not SubmissionExtension.objects.exists()


def test_a_coordinator_sees_only_own_municipalitys_submissions_read_only(client, enrollment, assignment):
    own = SubmissionFactory(enrollment=enrollment, assignment=assignment, is_current=False, topic="Первая версия")
    SubmissionFactory(enrollment=enrollment, assignment=assignment, version=2, topic="Вторая версия")
    other_enrollment = EnrollmentFactory(
        season=SeasonFactory(program=ProgramFactory(municipality=MunicipalityFactory()))
    )
    foreign = SubmissionFactory(
        enrollment=other_enrollment, assignment=VideoAssignmentFactory(activity__season=other_enrollment.season)
    )
    client.force_login(coordinator(enrollment.season.program.municipality))
    changelist = client.get(reverse("admin:activities_submission_changelist"), {"is_late__exact": "0"})
    assert changelist.status_code == 200
    assert {s.pk for s in changelist.context["cl"].result_list} == {own.pk, own.pk + 1}
    page = client.get(reverse("admin:activities_submission_change", args=[own.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="topic"' not in html  # read-only: no inputs
    assert html.count("<tr><td><a href=") == 2  # both versions listed
    assert client.post(reverse("admin:activities_submission_change", args=[own.pk]), {"topic": "x"}).status_code == 403
    assert client.get(reverse("admin:activities_submission_change", args=[foreign.pk])).status_code == 302
