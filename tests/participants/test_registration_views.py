"""The public registration page of a season: the form, its errors at the right fields, closed and full
seasons, and signed-in people applying without a second account."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from participants.models import Consent, Enrollment, Person, User
from programs.models import Organisation
from tests.factories import (
    EnrollmentFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
    RoadmapModuleFactory,
    SeasonFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = Enrollment.Status


@pytest.fixture
def season():
    program = ProgramFactory(slug="progressive")
    return SeasonFactory(program=program, requires_approval=True)


@pytest.fixture
def school(season):
    school, _created = Organisation.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "Школа № 5"}
    )
    return school


def _url(season):
    return reverse("season_register", kwargs={"slug": season.program.slug, "season_id": season.pk})


def _form(school, **changes):
    data = {
        "last_name": "Петрова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "birth_date": "1990-04-12",
        "email": "Petrova@School5.ru",
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
    return {k: v for k, v in data.items() if v is not None}


def test_program_page_links_to_the_form_while_the_window_is_open(client, season):
    html = client.get(reverse("program_detail", kwargs={"slug": "progressive"})).content.decode()
    assert "Зарегистрироваться" in html
    assert _url(season) in html


def test_program_page_has_no_button_when_registration_is_closed(client):
    now = timezone.now()
    season = SeasonFactory(
        registration_opens_at=now - timedelta(days=20), registration_closes_at=now - timedelta(days=10)
    )
    html = client.get(reverse("program_detail", kwargs={"slug": season.program.slug})).content.decode()
    assert _url(season) not in html


def test_form_lists_only_the_municipality_organisations_sorted_and_unticked_consents(client, season, school):
    OrganisationFactory(municipality=season.program.municipality, short_name="Гимназия № 1")
    OrganisationFactory(short_name="Чужая школа")  # another municipality
    OrganisationFactory(municipality=season.program.municipality, short_name="Закрытая школа", is_active=False)
    response = client.get(_url(season))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Гимназия № 1") < html.index("МБОУ СОШ № 5")
    assert "Чужая школа" not in html and "Закрытая школа" not in html
    assert "data-org-filter" in html and "js/org-filter.js" in html
    assert "152-ФЗ" in html  # the consent text itself is shown
    assert 'name="consent_personal_data"' in html and 'name="consent_personal_data" checked' not in html
    assert 'name="consent_rating"' in html and 'name="consent_rating" checked' not in html


def test_preferred_format_offers_the_roadmap_formats(client, season):
    RoadmapModuleFactory(season=season, learning_formats=["Стажировка", "Онлайн-курс"])
    RoadmapModuleFactory(season=season, learning_formats=["Онлайн-курс", "Наставничество"])
    html = client.get(_url(season)).content.decode()
    assert html.count('value="Онлайн-курс"') == 1
    assert 'value="Наставничество"' in html


def test_form_has_no_format_question_without_formats(client, season):
    assert 'name="preferred_format"' not in client.get(_url(season)).content.decode()


def test_anonymous_registers_and_is_sent_to_check_the_mail(client, season, school, django_capture_on_commit_callbacks):
    maths = SubjectFactory(name="Математика")
    RoadmapModuleFactory(season=season, learning_formats=["Стажировка"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(season),
            _form(school, subjects=[str(maths.pk)], preferred_format="Стажировка", consent_rating="on"),
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("registration_sent")
    person = Person.objects.get(last_name="Петрова")
    assert person.user.email == "petrova@school5.ru"
    assert person.user.email_confirmed_at is None
    assert (person.organisation, person.category, person.experience_years) == (school, "first", 12)
    assert list(person.subjects.all()) == [maths]
    enrollment = person.enrollments.get()
    assert (enrollment.status, enrollment.preferred_format) == (S.APPLIED, "Стажировка")
    assert set(Consent.objects.filter(person=person).values_list("kind", flat=True)) == {
        "pd_processing",
        "rating_publication",
    }
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["petrova@school5.ru"]
    # The page tells what became of the letter, the address masked.
    page = client.get(response["Location"]).content.decode()
    assert "Письмо отправлено на адрес <strong>p***@school5.ru</strong>" in page


def test_consent_box_left_unticked_is_an_error_at_the_field_and_keeps_the_data(client, season, school):
    response = client.post(_url(season), _form(school, consent_personal_data=None))
    assert response.status_code == 200
    form = response.context["form"]
    assert "согласия на обработку персональных данных" in form.errors["consent_personal_data"][0]
    html = response.content.decode()
    assert 'value="Петрова"' in html and 'value="Учитель математики"' in html
    assert not Person.objects.exists()


def test_weak_and_mismatched_passwords_are_refused(client, season, school):
    response = client.post(_url(season), _form(school, password1="12345678", password2="12345678"))
    assert response.context["form"].errors["password1"]
    response = client.post(_url(season), _form(school, password2="Drugoi-Parol-2026"))
    assert response.context["form"].errors["password2"] == ["Пароли не совпадают."]
    assert not User.objects.exists()


def test_organisation_of_another_municipality_is_refused(client, season, school):
    stranger = OrganisationFactory(short_name="Чужая школа")
    response = client.post(_url(season), _form(school, organisation=str(stranger.pk)))
    assert response.context["form"].errors["organisation"]
    assert not Person.objects.exists()


def test_ineligible_education_level_is_explained_at_the_field(client, school):
    season = SeasonFactory(
        program=school.municipality.programs.first() or ProgramFactory(municipality=school.municipality)
    )
    season.eligible_education_levels = ["higher"]
    season.save()
    response = client.post(_url(season), _form(school, education_level="secondary_general"))
    errors = response.context["form"].errors["education_level"]
    assert "могут участвовать педагоги с таким образованием: высшее" in errors[0]
    assert 'value="Петрова"' in response.content.decode()


def test_known_email_is_answered_as_a_new_one_and_creates_nothing(client, season, school):
    # The way in goes to the address by letter (tests/participants/test_registration_known_address.py).
    PersonFactory(user__email="petrova@school5.ru")
    response = client.post(_url(season), _form(school))
    assert (response.status_code, response["Location"]) == (302, reverse("registration_sent"))
    assert Person.objects.count() == 1 and not Enrollment.objects.exists()


def test_duplicate_fio_and_birth_date_is_explained_above_the_form(client, season, school):
    PersonFactory(last_name="Петрова", first_name="Анна", middle_name="Сергеевна", birth_date=date(1990, 4, 12))
    response = client.post(_url(season), _form(school, email="new@school5.ru"))
    assert "с такими ФИО и датой рождения" in response.context["form"].non_field_errors()[0]
    assert reverse("password_reset") in response.content.decode()
    assert Person.objects.count() == 1


def test_window_closing_while_filling_in_keeps_the_data_and_says_so(client, season, school):
    client.get(_url(season))
    Season = type(season)
    Season.objects.filter(pk=season.pk).update(registration_closes_at=timezone.now() - timedelta(seconds=1))
    response = client.post(_url(season), _form(school))
    assert response.status_code == 200
    assert "Регистрация на этот сезон завершена" in response.content.decode()
    assert not Person.objects.exists()


def test_last_place_taken_while_filling_in(client, season, school):
    season.capacity = 1
    season.save()
    form = _form(school)
    EnrollmentFactory(season=season, status=S.APPLIED)
    response = client.post(_url(season), form)
    assert "Все места заняты" in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    "opens,closes,text",
    [
        (timedelta(days=2), timedelta(days=10), "Регистрация ещё не открыта"),
        (timedelta(days=-10), timedelta(days=-2), "Регистрация на этот сезон завершена"),
    ],
)
def test_closed_window_shows_a_notice_instead_of_the_form(client, opens, closes, text):
    now = timezone.now()
    season = SeasonFactory(registration_opens_at=now + opens, registration_closes_at=now + closes)
    html = client.get(_url(season)).content.decode()
    assert text in html
    assert 'name="password1"' not in html


def test_full_season_shows_a_notice_instead_of_the_form(client, season):
    season.capacity = 2
    season.save()
    EnrollmentFactory.create_batch(2, season=season, status=S.ACTIVE)
    html = client.get(_url(season)).content.decode()
    assert "Все места заняты" in html and 'name="password1"' not in html


def test_unpublished_program_or_foreign_season_is_404(client, season):
    other = SeasonFactory()
    url = reverse("season_register", kwargs={"slug": season.program.slug, "season_id": other.pk})
    assert client.get(url).status_code == 404
    season.program.is_published = False
    season.program.save()
    assert client.get(_url(season)).status_code == 404


def test_signed_in_teacher_applies_without_a_second_account(client, season, school):
    person = PersonFactory(organisation=school)
    client.force_login(person.user)
    html = client.get(_url(season)).content.decode()
    assert "Подать заявку" in html and 'name="password1"' not in html
    assert 'name="consent_personal_data"' in html  # this person has no consent in force: the application asks for it
    refused = client.post(_url(season), {})
    assert refused.status_code == 200 and "Без согласия на обработку" in refused.content.decode()
    assert not person.enrollments.exists()
    response = client.post(_url(season), {"consent_personal_data": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("cabinet")
    enrollment = person.enrollments.get()
    assert enrollment.season == season and enrollment.status == S.APPLIED
    assert User.objects.count() == 1


def test_owner_already_enrolled_sees_the_status(client, season):
    enrollment = EnrollmentFactory(season=season, status=S.ACTIVE)
    client.force_login(enrollment.person.user)
    html = client.get(_url(season)).content.decode()
    assert "Вы уже зарегистрированы на этот сезон" in html and "Участвует" in html
    client.post(_url(season), {})
    assert enrollment.person.enrollments.count() == 1


def test_another_teacher_sees_only_their_own_status(client, season):
    EnrollmentFactory(season=season, status=S.ACTIVE)
    other = PersonFactory()
    client.force_login(other.user)
    html = client.get(_url(season)).content.decode()
    assert "Вы уже зарегистрированы" not in html and "Подать заявку" in html


def test_ineligible_signed_in_teacher_is_told_why(client):
    season = SeasonFactory(eligible_education_levels=["higher"])
    person = PersonFactory(education_level="secondary_general")
    client.force_login(person.user)
    response = client.post(_url(season), {"consent_personal_data": "on"})
    assert "высшее" in response.content.decode()
    assert not person.enrollments.exists()


def test_staff_without_a_person_is_told_to_sign_out(client, season):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(_url(season)).content.decode()
    assert "служебная учётная запись" in html and 'name="password1"' not in html


def test_query_count_does_not_grow_with_organisations(client, season, django_assert_num_queries):
    def count(n):
        OrganisationFactory.create_batch(n, municipality=season.program.municipality)
        SubjectFactory.create_batch(n)
        RoadmapModuleFactory.create_batch(n, season=season, learning_formats=["Стажировка"])

    count(1)
    with django_assert_num_queries(5):
        client.get(_url(season))
    count(2)
    with django_assert_num_queries(5):
        assert client.get(_url(season)).status_code == 200
