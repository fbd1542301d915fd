"""Query strings and bare POST ids of any shape: never a 500. «²» passes str.isdigit() but not int(), and a
year of forty digits overflows a date; both used to reach int() or a date lookup."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from experts.models import ExpertRole
from participants.models import User
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory
from tests.hostile.helpers import hostile_number, rolled_back

pytestmark = pytest.mark.django_db
VALUES = st.one_of(st.sampled_from(["²", "٣", "9" * 40, "-1", "0", "1e3", "", "12345"]), hostile_number())


@pytest.fixture
def season():
    return SeasonFactory()


def _admin_pages(season):
    return [
        (reverse("admin:activities_certificate_issue"), ("season", "activity")),
        (reverse("admin:experts_groups_split"), ("season",)),
        (reverse("admin:experts_visit_coverage", args=[season.pk]), ("year", "quarter")),
        (reverse("admin:participants_professionaldevelopment_changelist"), ("year",)),
        (reverse("admin:activities_routeitem_add"), ("enrollment",)),
    ]


@settings(max_examples=6)  # five admin pages an example
@given(data=st.data())
def test_admin_pages_answer_any_query(admin_client, season, data):
    for url, keys in _admin_pages(season):
        query = {key: data.draw(VALUES) for key in keys}
        with rolled_back():
            assert admin_client.get(url, query).status_code in (200, 302, 404), (url, query)


@pytest.fixture
def teacher(client):
    client.force_login(EnrollmentFactory().person.user)
    return client


@pytest.fixture
def psychologist(client, season):
    expert = ExpertAssignmentFactory(season=season, role=ExpertRole.PSYCHOLOGIST, person__user__role=User.Role.EXPERT)
    client.force_login(expert.person.user)
    return client


@pytest.fixture
def methodist(client, season):
    expert = ExpertAssignmentFactory(season=season, role=ExpertRole.METHODIST, person__user__role=User.Role.EXPERT)
    client.force_login(expert.person.user)
    return client


@settings(max_examples=15)
@given(value=VALUES)
def test_achievement_form_answers_any_preselected_enrollment(teacher, value):
    client = teacher
    with rolled_back():
        assert client.get(reverse("achievement_create"), {"enrollment": value}).status_code == 200


@settings(max_examples=15)
@given(value=VALUES, chosen=VALUES)
def test_consultation_form_answers_any_preselected_participant(psychologist, value, chosen):
    with rolled_back():
        response = psychologist.get(reverse("expert_consultation_create"), {"enrollment": value, "as": chosen})
        assert response.status_code in (200, 302, 404)


@settings(max_examples=15)
@given(value=VALUES)
def test_expert_achievement_decisions_answer_any_id(methodist, value):
    with rolled_back():
        for data in ({"confirm_one": value}, {"bulk_reject": "1", "ids": [value, "1"], "bulk_comment": "нет"}):
            assert methodist.post(reverse("expert_achievements"), data).status_code in (200, 302), data
