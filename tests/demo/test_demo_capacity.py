"""The whole district demo keeps every season within its number of places: the tutor course of сид 001 («Тьютор в
федеральном проекте «Демография»») is «экспериментальной группе (30 педагогов)», its seasons have 30 places, and no
demo season seats more applicants, participants and graduates than it has places."""

import pytest
from django.db.models import Count, F, Q

from participants.models import Enrollment
from programs.models import Season
from tests.demo.test_seed_demo import HAS_LOAD_PROGRAMS, _seed

pytestmark = pytest.mark.django_db
S = Enrollment.Status


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_no_demo_season_holds_more_than_its_places():
    _seed()
    seated = Season.objects.filter(capacity__isnull=False).annotate(
        seated=Count("enrollments", filter=Q(enrollments__status__in=[S.APPLIED, S.ACTIVE, S.COMPLETED]))
    )
    if HAS_LOAD_PROGRAMS:
        tutor = seated.filter(program__slug="tyutor-demografiya")
        assert tutor.exists() and all(s.capacity == 30 for s in tutor)
        assert tutor.filter(seated__gt=0).exists()
    assert not seated.filter(seated__gt=F("capacity")).exists(), list(
        seated.filter(seated__gt=F("capacity")).values_list("program__slug", "title", "capacity", "seated")
    )
