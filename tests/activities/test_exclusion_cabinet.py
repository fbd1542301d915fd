"""The teacher's cabinet shows an exclusion with its reasons, and grounds awaiting a coordinator."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.cabinet import exclusions_context
from activities.exclusion import exclusion_case_confirm, exclusion_rules_apply
from activities.models import ExclusionCase
from participants.cabinet import CabinetContext
from participants.selectors import person_enrollments
from programs.models import Season
from tests.factories import EnrollmentFactory

from .exclusion_fixtures import absent, coordinator, participant, rules_season

pytestmark = pytest.mark.django_db


def test_excluded_teacher_sees_the_reasons_and_the_decision(client):
    season = rules_season()
    enrollment = participant(season)
    absent(enrollment, title="Установочный семинар")
    exclusion_rules_apply(now=timezone.now())
    case = ExclusionCase.objects.get()
    client.force_login(enrollment.person.user)

    pending = client.get(reverse("cabinet")).content.decode()
    assert "Исключение из программы" not in pending  # the risk banner tells of the breach meanwhile
    assert "Внимание: есть риск исключения" in pending

    exclusion_case_confirm(case=case, by=coordinator(season.program.municipality), reason="Пропуск подтверждён")
    html = client.get(reverse("cabinet")).content.decode()

    assert "Исключение из программы" in html and "решение координатора" in html
    assert "Пропуск подтверждён" in html and "«Установочный семинар»" in html


def test_automatic_exclusion_is_shown_as_such_and_not_to_another_teacher(client):
    season = rules_season(Season.ExclusionPolicy.AUTOMATIC)
    enrollment = participant(season)
    absent(enrollment)
    exclusion_rules_apply(now=timezone.now())

    client.force_login(enrollment.person.user)
    assert "автоматически, по правилам программы" in client.get(reverse("cabinet")).content.decode()

    client.force_login(EnrollmentFactory().person.user)
    assert "Исключение из программы" not in client.get(reverse("cabinet")).content.decode()


def test_no_section_without_a_case(rf):
    enrollment = EnrollmentFactory()
    ctx = CabinetContext(rf.get("/"), enrollment.person, person_enrollments(enrollment.person), timezone.now())

    assert exclusions_context(ctx) is None


@pytest.mark.parametrize("count", [1, 3])
def test_section_query_count_does_not_grow(rf, django_assert_num_queries, count):
    first = participant(rules_season(Season.ExclusionPolicy.AUTOMATIC))
    person = first.person
    for n in range(count):
        enrollment = first if n == 0 else participant(rules_season(Season.ExclusionPolicy.AUTOMATIC), person=person)
        absent(enrollment)
    exclusion_rules_apply(now=timezone.now())
    ctx = CabinetContext(rf.get("/"), person, person_enrollments(person), timezone.now())

    with django_assert_num_queries(1):
        context = exclusions_context(ctx)

    assert len(context["cases"]) == count
