"""A director (or a teacher) of a school in another municipality than the program's is told so — not that
registration is closed, which would have them wait for a window that never opens for their school."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.services import enrollment_apply
from programs.models import Program
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    SeasonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _subscription_season():
    """An open season of the «Методический абонемент» in Армавир."""
    armavir = MunicipalityFactory(name="Армавир")
    program = ProgramFactory(title="Методический абонемент", kind=Program.Kind.SUBSCRIPTION, municipality=armavir)
    return SeasonFactory(program=program)


def _director_elsewhere(**kwargs):
    school = OrganisationFactory(
        municipality=MunicipalityFactory(name="Октябрьский район"), short_name="МБОУ «СОШ № 1»"
    )
    return PersonFactory(
        organisation=school, position="Директор", is_manager=True, user=UserFactory(role="director"), **kwargs
    )


def test_applying_to_another_municipality_s_program_says_so():
    season = _subscription_season()
    director = _director_elsewhere()
    with pytest.raises(ValidationError) as info:
        enrollment_apply(person=director, season=season, consent_given=True)
    assert info.value.code == "other_municipality"
    text = " ".join(info.value.messages)
    assert "Армавир" in text and "Октябрьский район" in text and "закрыт" not in text


def test_a_school_of_the_program_s_municipality_still_hears_about_its_request():
    season = _subscription_season()
    teacher = PersonFactory(organisation=OrganisationFactory(municipality=season.program.municipality))
    with pytest.raises(ValidationError) as info:
        enrollment_apply(person=teacher, season=season, consent_given=True)
    assert info.value.code == "school_not_admitted"


def test_the_register_page_shows_the_other_municipality_message(client):
    season = _subscription_season()
    director = _director_elsewhere()
    client.force_login(director.user)
    url = reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})
    response = client.post(url, {"consent_personal_data": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "проводится для школ муниципалитета «Армавир»" in html.replace("&laquo;", "«").replace("&raquo;", "»")
    assert not director.enrollments.exists()


def test_the_cabinet_of_a_director_elsewhere_names_the_program_s_municipality(client):
    season = _subscription_season()
    director = _director_elsewhere()
    client.force_login(director.user)
    html = client.get(reverse("cabinet")).content.decode().replace("&laquo;", "«").replace("&raquo;", "»")
    assert "относится к муниципалитету «Октябрьский район»" in html
    assert f"{season.program.title} — Армавир" in html
    assert "сейчас приём заявок закрыт" not in html


def test_the_cabinet_of_a_director_of_the_program_s_municipality_offers_the_season(client):
    season = _subscription_season()
    school = OrganisationFactory(municipality=season.program.municipality)
    director = PersonFactory(organisation=school, is_manager=True, user=UserFactory(role="director"))
    client.force_login(director.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Школа может подать заявку на сезон:" in html
    assert reverse("school_application", args=[season.pk]) in html
    assert "относится к муниципалитету" not in html
