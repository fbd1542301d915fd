"""The public registration form under hostile input: never a 500, a Russian message at the field, no person,
account, consent or enrollment left behind by a refused form; markup typed into a name shows as text."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from participants.models import Person
from programs.models import Organisation
from tests.factories import ProgramFactory, SeasonFactory, SubjectFactory
from tests.hostile.helpers import (
    IMG,
    SCRIPT,
    TEMPLATE,
    assert_escaped,
    assert_russian,
    form_errors,
    hostile_date,
    hostile_number,
    hostile_text,
    rolled_back,
    row_counts,
)

pytestmark = pytest.mark.django_db
MODELS = ("participants.User", "participants.Person", "participants.Consent", "participants.Enrollment")


@pytest.fixture
def season():
    return SeasonFactory(program=ProgramFactory(slug="progressive"), requires_approval=True)


@pytest.fixture
def school(season):
    school, _created = Organisation.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "Школа № 5"}
    )
    return school


def _url(season):
    return reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})


def _valid(school, **changes):
    data = {
        "last_name": "Петрова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "birth_date": "1990-04-12",
        "email": "petrova@school5.ru",
        "phone": "+7 900 123-45-67",
        "organisation": str(school.pk),
        "position": "Учитель математики",
        "education_level": "higher",
        "experience_years": "12",
        "category": "first",
        "password1": "Vernyi-Parol-2026",
        "password2": "Vernyi-Parol-2026",
        "consent_personal_data": "on",
    }
    data.update(changes)
    return data


FIELDS = {
    "last_name": hostile_text(),
    "first_name": hostile_text(),
    "middle_name": hostile_text(),
    "birth_date": hostile_date(),
    "email": st.one_of(hostile_text(), st.emails().map(str)),
    "phone": hostile_text(40),
    "organisation": hostile_number(),
    "position": hostile_text(),
    "subjects": st.one_of(hostile_number(), st.lists(hostile_number(), max_size=3)),
    "education_level": hostile_text(12),
    "experience_years": hostile_number(),
    "category": hostile_text(12),
    "password1": hostile_text(),
    "consent_personal_data": st.sampled_from(["on", "", "\x00", "<b>"]),
}


@given(changes=st.fixed_dictionaries({}, optional=FIELDS))
def test_hostile_registration_is_answered_and_refused_whole(season, school, changes):
    data = _valid(school, **changes)
    with rolled_back():
        before = row_counts(MODELS)
        response = Client().post(_url(season), data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert_russian(form_errors(response))
            assert row_counts(MODELS) == before
        else:
            assert Person.objects.count() == before["participants.Person"] + 1


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE])
def test_markup_in_a_refused_form_is_shown_back_as_text(season, school, payload):
    SubjectFactory(name=payload)
    response = Client().post(_url(season), _valid(school, last_name=payload, position=payload, password2="другой"))
    page = response.content.decode()
    assert response.status_code == 200
    assert_escaped(page, payload)  # «{{ 7*7 }}» included: shown as typed, never evaluated


@pytest.mark.parametrize("payload", [SCRIPT, IMG, TEMPLATE])
def test_markup_in_a_saved_name_is_text_in_the_cabinet(season, school, payload):
    response = Client().post(_url(season), _valid(school, last_name=payload, middle_name=payload))
    assert response.status_code == 302
    person = Person.objects.get(last_name=payload)
    assert person.middle_name == payload
    client = Client()
    client.force_login(person.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert_escaped(page, payload)


@pytest.mark.parametrize("value", ["9" * 40, "-1", "1.5", "<b>"])
def test_a_subject_that_cannot_be_a_row_is_an_unknown_choice(season, school, value):
    # 10**40 used to reach SQLite as an integer it cannot hold: OverflowError, a 500.
    before = row_counts(MODELS)
    response = Client().post(_url(season), _valid(school, subjects=[value]))
    assert response.status_code == 200
    assert response.context["form"].errors["subjects"]
    assert_russian(response.context["form"].errors["subjects"])
    assert row_counts(MODELS) == before
