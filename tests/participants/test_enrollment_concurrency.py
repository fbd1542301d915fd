"""Two applications of the same person to the same season at the same moment: one enrollment, and the other
request gets a clear Russian answer, never a server error (the unique constraint enrollment_one_per_person_season
holds; the season's row lock lines the two up)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from participants.models import Enrollment, User
from participants.services import RegistrationData, enrollment_apply, registration_submit
from programs.models import EducationLevel
from tests.factories import PASSWORD, OrganisationFactory, PersonFactory, SeasonFactory
from tests.faults_support import needs_postgresql, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    needs_postgresql()


def test_two_applications_at_once_make_one_enrollment():
    person = PersonFactory()
    season = SeasonFactory(requires_approval=False)
    results = race(*(lambda: enrollment_apply(person=person, season=season, consent_given=True) for _ in range(2)))
    made = [r for r in results if isinstance(r, Enrollment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].messages == ["Вы уже подали заявку на этот сезон."]
    assert Enrollment.objects.filter(person=person, season=season).count() == 1


def test_two_apply_requests_at_once_answer_without_a_server_error():
    person = PersonFactory()
    season = SeasonFactory(requires_approval=False)
    season.program.is_published = True
    season.program.save()
    url = reverse("season_register", args=[season.program.slug, season.pk])

    def post():
        client = Client()
        client.force_login(person.user)
        return client.post(url, {"preferred_format": "", "consent_personal_data": "on"})

    responses = race(post, post)
    assert sorted(r.status_code for r in responses) == [200, 302], responses
    assert Enrollment.objects.filter(person=person, season=season).count() == 1


def test_the_same_registration_twice_at_once_makes_one_account_and_one_enrollment():
    season = SeasonFactory(requires_approval=False)
    school = OrganisationFactory(municipality=season.program.municipality)

    def register():
        data = RegistrationData(
            last_name="Иванова",
            first_name="Мария",
            middle_name="Петровна",
            birth_date=season.starts_on.replace(year=1985),
            email="ivanova@example.ru",
            phone="",
            organisation=school,
            position="учитель",
            education_level=EducationLevel.values[0],
            experience_years=5,
            category="",
            subjects=[],
            password=PASSWORD,
            consent_personal_data=True,
            consent_rating=False,
            preferred_format="",
        )
        return registration_submit(season=season, data=data)

    results = race(register, register)
    # The second finds the address known: no error to tell the visitor so, nothing created (the address is mailed).
    assert sum(isinstance(r, Enrollment) for r in results) == 1 and results.count(None) == 1, results
    assert User.objects.filter(email="ivanova@example.ru").count() == 1
    assert Enrollment.objects.filter(season=season).count() == 1


def test_the_same_address_for_two_seasons_at_once_makes_one_account_without_a_server_error():
    seasons = [SeasonFactory(requires_approval=False) for _ in range(2)]

    def register(season):
        data = RegistrationData(
            last_name="Иванова",
            first_name="Мария",
            middle_name="Петровна",
            birth_date=date(1985, 1, 1) + timedelta(days=season.pk),  # two people: only the address is the same
            email="ivanova@example.ru",
            phone="",
            organisation=OrganisationFactory(municipality=season.program.municipality),
            position="учитель",
            education_level=EducationLevel.values[0],
            experience_years=5,
            category="",
            subjects=[],
            password=PASSWORD,
            consent_personal_data=True,
            consent_rating=False,
            preferred_format="",
        )
        return lambda: registration_submit(season=season, data=data)

    results = race(*[register(season) for season in seasons])
    assert sum(isinstance(r, Enrollment) for r in results) == 1 and results.count(None) == 1, results
    assert User.objects.filter(email="ivanova@example.ru").count() == 1
