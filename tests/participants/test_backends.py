"""participants.backends.PortalModelBackend: the signed-in user comes with their person record in one query."""

import pytest
from django.urls import reverse

from participants.backends import PortalModelBackend
from participants.selectors import person_for_user
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_person_comes_with_the_user(django_assert_num_queries):
    person = PersonFactory(user=UserFactory())
    with django_assert_num_queries(1):
        user = PortalModelBackend().get_user(person.user_id)
        assert person_for_user(user) == person


def test_an_account_without_a_person_costs_no_second_query(django_assert_num_queries):
    user = UserFactory()
    with django_assert_num_queries(1):
        loaded = PortalModelBackend().get_user(user.pk)
        assert loaded == user and person_for_user(loaded) is None


def test_inactive_or_missing_accounts_are_not_signed_in():
    user = UserFactory(is_active=False)
    assert PortalModelBackend().get_user(user.pk) is None
    assert PortalModelBackend().get_user(10**9) is None


def test_a_request_signs_in_through_it_and_reads_the_person_for_free(client, django_assert_num_queries):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert client.session["_auth_user_backend"] == "participants.backends.PortalModelBackend"
    with django_assert_num_queries(0):
        assert response.wsgi_request.user.person == person
