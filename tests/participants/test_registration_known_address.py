"""Registration does not tell who is registered: an address that already has an account gets exactly the answer a
new one gets («Проверьте почту»), and the address itself is mailed the way in — sign in or reset the password —
at most MAIL_REQUESTS_PER_ADDRESS times an hour. A signed-in person applying keeps the helpful messages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.outgoing_emails import masked_address
from participants.models import Enrollment, Person, User
from programs.models import Organisation
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory, SeasonFactory, UserFactory

from .test_registration_views import _form, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(client, season, school, django_capture_on_commit_callbacks):
    """POST the form as an anonymous visitor: the answer, the page it leads to, and the letters sent for it."""

    def run(email, ip="203.0.113.5"):
        sent_before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):  # letters go out after the commit
            response = client.post(_url(season), _form(school, email=email), REMOTE_ADDR=ip)
        followed = client.get(response["Location"]) if response.status_code == 302 else response
        return response, followed, mail.outbox[sent_before:]

    return run


def _visible(response, email):
    """The page as a visitor reads it, with the typed address, in full or masked (the only thing expected to
    differ), blanked out."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return html.replace(email, "ADDRESS").replace(masked_address(email), "ADDRESS")


@pytest.fixture
def season():
    return SeasonFactory(program=ProgramFactory(slug="progressive"), requires_approval=True)


@pytest.fixture
def school(season):
    school, _created = Organisation.objects.get_or_create(
        municipality=season.program.municipality, short_name="МБОУ СОШ № 5", defaults={"name": "Школа № 5"}
    )
    return school


@pytest.fixture
def known(db):
    person = PersonFactory(user=UserFactory(email="known@school5.ru"), first_name="Вера", middle_name="Ивановна")
    person.user.last_login = person.user.date_joined  # has signed in before: nothing awaits confirmation
    person.user.save()
    return person


def test_a_known_address_gets_the_same_answer_as_a_new_one(client, register, known):
    new = register("newcomer@school5.ru")
    client.cookies.clear()  # another visitor
    old = register("Known@School5.ru")

    (new_response, new_page, new_letters), (old_response, old_page, old_letters) = new, old
    assert (new_response.status_code, new_response["Location"]) == (302, reverse("registration_sent"))
    assert (old_response.status_code, old_response["Location"]) == (302, reverse("registration_sent"))
    assert new_page.status_code == old_page.status_code == 200
    assert _visible(new_page, "newcomer@school5.ru") == _visible(old_page, "known@school5.ru")
    assert "уже зарегистрирован" not in old_page.content.decode()
    # The new address is asked to confirm; the known one is told it has an account, and nothing is created.
    assert [m.to for m in new_letters] == [["newcomer@school5.ru"]]
    assert [m.to for m in old_letters] == [["known@school5.ru"]]
    assert Person.objects.filter(user__email="known@school5.ru").count() == 1
    assert not Enrollment.objects.filter(person=known).exists()
    assert User.objects.get(email="known@school5.ru").check_password("Vernyi-Parol-2026") is False


def test_the_letter_to_a_known_address_shows_the_way_in(register, season, known):
    _response, _page, (letter,) = register("known@school5.ru")

    html = letter.alternatives[0][0]
    for text in (letter.body, html):
        assert "уже есть учётная запись" in text
        assert "http://testserver" + reverse("login") in text
        assert "http://testserver" + reverse("password_reset") in text
        assert "Если это были не вы" in text
        assert season.program.title in text
    assert "уже есть учётная запись" in letter.subject
    assert "Вера Ивановна" in letter.body


def test_an_unconfirmed_known_address_gets_a_fresh_confirmation_link(register):
    user = UserFactory(email="waiting@school5.ru", last_login=None, email_confirmed_at=None)
    enrollment = EnrollmentFactory(person__user=user)
    enrollment.status_changes.create(from_status="", to_status=enrollment.status, changed_by=user)

    response, _page, (letter,) = register("waiting@school5.ru")

    assert response["Location"] == reverse("registration_sent")
    assert "Подтвердите адрес электронной почты" in letter.subject
    assert letter.to == ["waiting@school5.ru"]


def test_letters_to_a_known_address_are_limited_and_the_answer_stays_the_same(register, known, settings):
    settings.MAIL_REQUESTS_PER_ADDRESS = 2
    answers = [register("known@school5.ru", ip=f"203.0.113.{n}") for n in range(4)]

    assert {(r.status_code, r["Location"]) for r, _page, _letters in answers} == {(302, reverse("registration_sent"))}
    assert len(mail.outbox) == 2 and all(m.to == ["known@school5.ru"] for m in mail.outbox)


def test_a_new_address_registers_even_over_the_letter_limit_of_its_client(client, register, known, settings):
    settings.MAIL_REQUESTS_PER_CLIENT = 1
    register("known@school5.ru", ip="198.51.100.7")
    client.cookies.clear()
    _response, _page, letters = register("newcomer@school5.ru", ip="198.51.100.7")

    assert Person.objects.filter(user__email="newcomer@school5.ru").exists()
    assert [m.to for m in letters] == [["newcomer@school5.ru"]]


def test_an_inactive_account_is_sent_nothing_and_answered_the_same(register):
    UserFactory(email="gone@school5.ru", is_active=False)
    response, _page, letters = register("gone@school5.ru")
    assert response["Location"] == reverse("registration_sent") and letters == []


def test_errors_of_the_form_do_not_depend_on_the_address(client, season, known, school):
    # A weak password: the same error, at the same field, for a known and for a new address.
    pages = [
        client.post(_url(season), _form(school, email=email, password1="123", password2="123"))
        for email in ("known@school5.ru", "newcomer@school5.ru")
    ]
    assert [p.status_code for p in pages] == [200, 200]
    assert pages[0].context["form"].errors == pages[1].context["form"].errors
    assert _visible(pages[0], "known@school5.ru") == _visible(pages[1], "newcomer@school5.ru")


def test_a_signed_in_teacher_applying_again_is_still_told_so(client, season):
    enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.ACTIVE)
    client.force_login(enrollment.person.user)
    html = client.get(_url(season)).content.decode()
    assert "Вы уже зарегистрированы на этот сезон" in html
