"""Two certificate batches over the same owed certificates at the same moment: every certificate issued once,
numbers unique and gapless per program and year (the counter's row lock lines the batches up)."""

import pytest
from django.db.models import Count
from django.utils import timezone

from activities.models import Certificate, CertificateCounter
from activities.services_certificates import certificates_issue
from tests.activities.certificate_fixtures import activity_with_sessions, attend
from tests.factories import EnrollmentFactory, SeasonFactory
from tests.faults_support import needs_postgresql, race

pytestmark = pytest.mark.django_db(transaction=True)
TEACHERS = 12


def test_two_batches_at_once_issue_each_certificate_once_with_gapless_numbers():
    needs_postgresql()
    season = SeasonFactory()
    first, second = activity_with_sessions(season), activity_with_sessions(season)
    for _ in range(TEACHERS):
        enrollment = EnrollmentFactory(season=season)
        attend(enrollment, first, 1)
        attend(enrollment, second, 1)

    def batch(**scope):
        return lambda: certificates_issue(now=timezone.now(), batch_size=5, **scope)

    # Two runs over everything, and one over one activity only: they overlap entirely.
    results = race(batch(season=season), batch(season=season), batch(activity=first))
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r["issued"] for r in results) == 2 * TEACHERS

    certificates = Certificate.objects.filter(program=season.program)
    assert certificates.count() == 2 * TEACHERS
    assert not certificates.values("enrollment", "activity").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert sorted(certificates.values_list("sequence", flat=True)) == list(range(1, 2 * TEACHERS + 1))
    assert certificates.values("number").distinct().count() == 2 * TEACHERS
    assert CertificateCounter.objects.get(program=season.program).last == 2 * TEACHERS
