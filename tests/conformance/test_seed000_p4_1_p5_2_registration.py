"""Seed 000 (order № 643-од, «Прогрессивный педагог») §4.1–4.3 and §5.2, on the real registration service with the
season the program template builds and explicit dates.

«4.1. Участником Проекта может быть любой руководящий или педагогический работник имеющий высшее или среднее
профессиональное образование и работающий в образовательной организации.
4.2. Условия участия в Проекте не предусматривают возрастных ограничений участников.»
«5.2. Регистрация участников Проекта начинается с 10 по 23 сентября 2024 года» — the window is the season's setting;
the template sets 10.09.2024 00:00 to 24.09.2024 00:00 in Asia/Yekaterinburg (the whole of 23 September).
"""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from participants.models import Consent, Enrollment, Person, User
from participants.services import RegistrationData, registration_submit
from programs.models import Organisation
from programs.program_templates import PROGRESSIVE_TEACHER
from programs.templates_service import program_template_apply

pytestmark = pytest.mark.django_db

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=YEKATERINBURG)


@pytest.fixture
def season():
    return program_template_apply(template=PROGRESSIVE_TEACHER)


@pytest.fixture
def teacher(season):
    school = Organisation.objects.filter(municipality=season.program.municipality).order_by("pk").first()
    return RegistrationData(
        email="ivanova@school.ru",
        password="Vernyi-Parol-2026",
        last_name="Иванова",
        first_name="Мария",
        middle_name="Петровна",
        birth_date=date(1985, 3, 1),
        phone="+7 900 000-00-01",
        organisation=school,
        position="Учитель русского языка и литературы",
        education_level="higher",
        consent_personal_data=True,
    )


def _nothing_created():
    return not (User.objects.exists() or Person.objects.exists() or Enrollment.objects.exists())


# --- §5.2: the registration window ------------------------------------------------------------------------------


def test_p5_2_registration_opens_on_10_september(season, teacher):
    with pytest.raises(ValidationError, match="закрыта"):
        registration_submit(season=season, data=teacher, now=_at(2024, 9, 9, 23, 59))
    assert _nothing_created()

    enrollment = registration_submit(season=season, data=teacher, now=_at(2024, 9, 10, 0, 0))

    assert enrollment.status == Enrollment.Status.APPLIED


def test_p5_2_registration_takes_the_whole_of_23_september_and_closes_after(season, teacher):
    assert registration_submit(season=season, data=teacher, now=_at(2024, 9, 23, 23, 59)) is not None

    late = replace(teacher, email="late@school.ru", last_name="Опоздавшая")
    with pytest.raises(ValidationError, match="закрыта"):
        registration_submit(season=season, data=late, now=_at(2024, 9, 24, 0, 1))
    assert not User.objects.filter(email="late@school.ru").exists()


# --- §4.1: higher or secondary vocational education -------------------------------------------------------------


@pytest.mark.parametrize("level", ["higher", "secondary_vocational"])
def test_p4_1_higher_or_secondary_vocational_education_is_admitted(season, teacher, level):
    enrollment = registration_submit(season=season, data=replace(teacher, education_level=level), now=_at(2024, 9, 12))
    assert enrollment.person.education_level == level


@pytest.mark.parametrize("level", ["secondary_general", "other"])
def test_p4_1_other_education_is_refused_with_the_clause_levels_named(season, teacher, level):
    with pytest.raises(ValidationError) as refused:
        registration_submit(season=season, data=replace(teacher, education_level=level), now=_at(2024, 9, 12))

    message = refused.value.message_dict["education_level"][0]
    assert "высшее" in message and "среднее профессиональное" in message
    assert _nothing_created()


# --- §4.2: no age limit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("born", [date(2005, 9, 1), date(1950, 1, 1)])
def test_p4_2_no_age_limit(season, teacher, born):
    enrollment = registration_submit(season=season, data=replace(teacher, birth_date=born), now=_at(2024, 9, 12))
    assert enrollment.person.birth_date == born


# --- Domain rule 1: consent, one enrollment per person and season -----------------------------------------------


def test_registration_needs_the_personal_data_consent_and_records_it(season, teacher):
    with pytest.raises(ValidationError) as refused:
        registration_submit(season=season, data=replace(teacher, consent_personal_data=False), now=_at(2024, 9, 12))
    assert "согласия" in refused.value.message_dict["consent_personal_data"][0]
    assert _nothing_created()

    enrollment = registration_submit(season=season, data=teacher, now=_at(2024, 9, 12))
    consent = Consent.objects.get(person=enrollment.person)
    assert consent.given_at == _at(2024, 9, 12)


def test_the_same_person_under_another_address_is_refused(season, teacher):
    registration_submit(season=season, data=teacher, now=_at(2024, 9, 12))

    again = replace(teacher, email="other@school.ru", last_name=" иванова ", first_name="МАРИЯ")
    with pytest.raises(ValidationError, match="уже есть на портале"):
        registration_submit(season=season, data=again, now=_at(2024, 9, 13))
    assert Enrollment.objects.count() == 1


def test_a_known_address_creates_nothing_more(season, teacher):
    registration_submit(season=season, data=teacher, now=_at(2024, 9, 12))

    assert registration_submit(season=season, data=teacher, now=_at(2024, 9, 13) + timedelta(hours=1)) is None
    assert (User.objects.count(), Person.objects.count(), Enrollment.objects.count()) == (1, 1, 1)
