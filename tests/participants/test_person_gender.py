"""participants.gender and Person.gender: the person's own answer, else a guess from the names, else neutral; asked
(optionally) at registration, kept in the admin, exported and erased with the other personal data."""

import json

import pytest
from django.urls import reverse

from participants.gender import FEMALE, MALE, NEUTRAL, gender_from_names, person_gender
from participants.models import Person
from participants.services import person_erase
from tests.factories import PersonFactory
from tests.participants.test_registration_views import _form, _url, school, season  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first_name", "middle_name", "expected"),
    [
        ("Олег", "Петрович", MALE),
        ("Ольга", "Петровна", FEMALE),
        ("Ольга", "Ильинична", FEMALE),  # -чна
        ("Никита", "Ильич", MALE),  # -ич of «Ильич»: the first name's list decides
        ("Саша", "Александрович", MALE),  # the patronymic wins over an unsure first name
        ("Айдан", "Рашид кызы", FEMALE),
        ("Эльчин", "Рашид оглы", MALE),
        ("Никита", "", MALE),  # male names in -а
        ("Илья", "", MALE),
        ("Мария", "", FEMALE),
        ("Любовь", "", FEMALE),  # female names ending otherwise
        ("Иван", "", MALE),
        ("Саша", "", NEUTRAL),  # worn by both
        ("Женя", "", NEUTRAL),
        ("Мишель", "", NEUTRAL),
        ("Ноэми", "", NEUTRAL),  # unsure ending
        ("Анна-Мария", "", NEUTRAL),
        ("", "", NEUTRAL),
        ("  МАРИЯ ", " ", FEMALE),  # as typed: capitals and spaces
    ],
)
def test_gender_is_guessed_from_the_patronymic_then_the_first_name(first_name, middle_name, expected):
    assert gender_from_names(first_name, middle_name) == expected


def test_the_persons_own_answer_wins_over_the_guess():
    person = PersonFactory.build(first_name="Саша", middle_name="", gender=Person.Gender.FEMALE)
    assert person_gender(person) == FEMALE
    person.gender = Person.Gender.MALE
    assert person_gender(person) == MALE
    person.gender = ""
    assert person_gender(person) == NEUTRAL


def test_registration_keeps_the_chosen_gender_and_leaves_it_unset_otherwise(client, season, school):  # noqa: F811
    html = client.get(_url(season)).content.decode()
    assert 'name="gender"' in html and "— не указывать —" in html

    client.post(_url(season), _form(school, gender="male", first_name="Саша", middle_name=""))
    client.post(_url(season), _form(school, email="other@school5.ru", last_name="Орлова", birth_date="1991-01-02"))

    assert Person.objects.get(email="petrova@school5.ru").gender == Person.Gender.MALE
    assert Person.objects.get(email="other@school5.ru").gender == ""


def test_an_unknown_gender_is_refused_at_its_field_and_nothing_typed_is_lost(client, season, school):  # noqa: F811
    response = client.post(_url(season), _form(school, gender="other"))

    assert response.status_code == 200
    assert "gender" in response.context["form"].errors
    assert 'value="Петрова"' in response.content.decode()
    assert not Person.objects.filter(email="petrova@school5.ru").exists()


def test_personal_data_export_gives_the_gender_and_erasure_clears_it(client):
    person = PersonFactory(gender=Person.Gender.FEMALE)
    client.force_login(person.user)

    data = json.loads(client.post(reverse("my_data_download"), {"format": "json"}).content)
    profile = next(s["rows"][0] for s in data["sections"] if s["key"] == "person")
    assert profile["Пол"] == "женский"

    person_erase(person=person, by=person.user, reason="Ухожу из профессии")
    person.refresh_from_db()
    assert person.gender == "" and person.is_anonymised
