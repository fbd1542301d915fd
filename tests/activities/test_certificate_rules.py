import pytest

from activities.models import Certificate
from activities.rules import can_manage_certificate
from participants.models import User
from tests.factories import ActivityFactory, EnrollmentFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    enrollment = EnrollmentFactory()
    activity = ActivityFactory(season=enrollment.season)
    return Certificate.objects.create(number="P-1", code="abc", enrollment=enrollment, activity=activity)


def _coordinator(municipality, **extra):
    return UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality, **extra)


def test_coordinator_of_the_municipality_manages_certificates_activities_and_seasons(certificate):
    user = _coordinator(certificate.enrollment.season.program.municipality)
    assert can_manage_certificate.test(user, certificate)
    assert user.has_perm("activities.manage_certificate", certificate)
    assert user.has_perm("activities.issue_certificates", certificate.activity)
    assert user.has_perm("activities.issue_certificates", certificate.enrollment.season)


def test_coordinator_of_another_municipality_does_not(certificate):
    user = _coordinator(MunicipalityFactory())
    assert not user.has_perm("activities.manage_certificate", certificate)
    assert not user.has_perm("activities.issue_certificates", certificate.activity)
    assert not user.has_perm("activities.issue_certificates", certificate.enrollment.season)


def test_teacher_inactive_or_non_staff_do_not(certificate):
    municipality = certificate.enrollment.season.program.municipality
    for user in (
        certificate.enrollment.person.user,
        _coordinator(municipality, is_active=False),
        UserFactory(role=User.Role.COORDINATOR, municipality=municipality),
    ):
        assert not user.has_perm("activities.manage_certificate", certificate)


def test_superuser_does(certificate):
    assert UserFactory(is_superuser=True, is_staff=True).has_perm("activities.manage_certificate", certificate)
