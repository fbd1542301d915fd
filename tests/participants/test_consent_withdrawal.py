"""Consents on «Мои данные»: the person sees each consent with its version and dates, gives or withdraws the
rating one, and withdraws the consent to processing (152-FZ art. 9 §2, 21 §5): participation ends, the
coordinator is told, an erasure is opened and carried out by the nightly job within 30 days — or sooner by a
coordinator — unless the person gives the consent again by applying anew."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from participants import consents
from participants.models import Consent, Enrollment, EnrollmentStatusChange, Person, PersonalDataRequest, User
from participants.retention import personal_data_retention_run
from participants.roles import COORDINATORS
from participants.services import consent_set, personal_data_consent_withdraw
from tests.factories import EnrollmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

WITHDRAW = "my_data_consent_withdraw"
# The page: session and user, the person, every registered exporter (a fixed number each), the consents and the
# open erasure (one query each), whatever the number of rows. The exporters of the expert's quarterly feedback, the
# mentors' meetings, the extension requests, the management teams' programmes and the staff roster rows add one
# query each (33 → 38); the letters sent to the person's address (core.OutgoingEmail) one more (39); the
# cascade's parts (seed 001: communities, practices, ratings, accelerator, lab offers/requests/survey lines, working
# groups, the reserve's six sections, mentoring practices) 14 more (53).
QUERIES_MY_DATA = 53


@pytest.fixture(autouse=True)
def waiting(settings):
    settings.PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS = 25


def give(person, kind=consents.PERSONAL_DATA_PROCESSING.kind, at=None):
    return consent_set(person=person, kind=kind, given=True, now=at or timezone.now() - timedelta(days=100))


@pytest.fixture
def person():
    person = PersonFactory(last_name="Смирнова", phone="+7 900 123-45-67")
    give(person)
    municipality = person.organisation.municipality
    for status in ("active", "applied", "completed"):
        EnrollmentFactory(person=person, status=status, season__program__municipality=municipality)
    return person


@pytest.fixture
def coordinator(person):
    municipality = person.organisation.municipality
    user = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=municipality, email="coord@example.ru")
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


def test_owner_sees_consents_with_version_and_the_consequences(client, person):
    client.force_login(person.user)
    html = client.get(reverse("my_data")).content.decode()
    assert "Мои согласия" in html and consents.PERSONAL_DATA_PROCESSING.version in html
    assert "Обработка персональных данных" in html and "действует" in html
    assert "Отозвать согласие" in html and "не позднее чем через 30 дней" in html


def test_withdrawal_needs_the_confirmation_and_changes_nothing_without_it(client, person):
    client.force_login(person.user)
    response = client.post(reverse(WITHDRAW), {})
    assert response.status_code == 200
    assert "Подтвердите, что понимаете последствия отзыва согласия." in response.content.decode()
    assert Consent.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1
    assert not PersonalDataRequest.objects.exists()
    assert set(Enrollment.objects.filter(person=person).values_list("status", flat=True)) == {
        "active",
        "applied",
        "completed",
    }


def test_withdrawal_ends_participation_records_it_and_opens_an_erasure(
    client, person, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(person.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(WITHDRAW), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"].endswith("#my-data-consents")

    consent = Consent.objects.get(person=person, kind="pd_processing")
    assert consent.withdrawn_at is not None and consent.text_version == consents.PERSONAL_DATA_PROCESSING.version
    assert sorted(Enrollment.objects.filter(person=person).values_list("status", flat=True)) == [
        "completed",
        "withdrawn",
        "withdrawn",
    ]
    reasons = set(
        EnrollmentStatusChange.objects.filter(enrollment__person=person, to_status="withdrawn").values_list(
            "reason", "changed_by"
        )
    )
    assert reasons == {("Отозвано согласие на обработку персональных данных", person.user_id)}
    request = PersonalDataRequest.objects.get()
    assert (request.kind, request.basis, request.status, request.person_ref) == (
        "erasure",
        "consent_withdrawn",
        "requested",
        str(person.pk),
    )
    assert len([m for m in mail.outbox if m.to == ["coord@example.ru"]]) == 2
    # Nothing is erased yet: the person can still sign in and download their data.
    person.refresh_from_db()
    assert not person.is_anonymised
    page = client.get(reverse("my_data")).content.decode()
    erase_by = timezone.localtime(request.requested_at + timedelta(days=25)).strftime("%d.%m.%Y")
    assert "Вы отозвали согласие" in page and erase_by in page
    assert client.post(reverse("my_data_download"), {"format": "json"}).status_code == 200


def test_withdrawing_twice_keeps_one_request(person):
    first = personal_data_consent_withdraw(person=person, by=person.user)
    second = personal_data_consent_withdraw(person=person, by=person.user)
    assert first.pk == second.pk
    assert PersonalDataRequest.objects.filter(kind="erasure").count() == 1
    assert Consent.objects.filter(person=person).count() == 1


def test_the_job_erases_after_the_waiting_time_and_not_before(person):
    request = personal_data_consent_withdraw(person=person, by=person.user)
    personal_data_retention_run(now=request.requested_at + timedelta(days=25) - timedelta(minutes=1))
    assert not Person.objects.get(pk=person.pk).is_anonymised

    outcome = personal_data_retention_run(now=request.requested_at + timedelta(days=25))
    assert outcome.withdrawn == [request.pk]
    person = Person.objects.get(pk=person.pk)
    assert person.is_anonymised and person.phone == "" and person.last_name == "Удалённый участник"
    request.refresh_from_db()
    assert (request.status, request.processed_by_id, request.basis) == ("done", None, "consent_withdrawn")
    assert "ФИО, пол, дата рождения" in request.result
    assert PersonalDataRequest.objects.filter(kind="erasure").count() == 1
    # Idempotent: nothing left to do the next night.
    again = personal_data_retention_run(now=request.requested_at + timedelta(days=26))
    assert (again.withdrawn, again.expired) == ([], [])


def test_consent_given_again_cancels_the_erasure(person):
    request = personal_data_consent_withdraw(person=person, by=person.user)
    give(person, at=request.requested_at + timedelta(days=2))  # applied anew: the registration gives it
    outcome = personal_data_retention_run(now=request.requested_at + timedelta(days=30))
    assert outcome.consent_renewed == [request.pk] and outcome.withdrawn == []
    assert not Person.objects.get(pk=person.pk).is_anonymised
    request.refresh_from_db()
    assert request.status == "refused" and "снова дал согласие" in request.result


def test_coordinator_carries_out_the_erasure_sooner(client, person, coordinator):
    request = personal_data_consent_withdraw(person=person, by=person.user)
    client.force_login(coordinator)
    url = reverse("admin:participants_personaldatarequest_changelist")
    response = client.post(
        url, {"action": "carry_out_erasure", "_selected_action": [request.pk], "index": 0}, follow=True
    )
    assert "Обезличено: 1" in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.processed_by) == ("done", coordinator)
    assert Person.objects.get(pk=person.pk).is_anonymised


def test_coordinator_of_another_municipality_cannot_carry_it_out(client, person):
    request = personal_data_consent_withdraw(person=person, by=person.user)
    other = UserFactory(
        is_staff=True, role=User.Role.COORDINATOR, municipality=PersonFactory().organisation.municipality
    )
    other.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(other)
    url = reverse("admin:participants_personaldatarequest_changelist")
    client.post(url, {"action": "carry_out_erasure", "_selected_action": [request.pk], "index": 0})
    request.refresh_from_db()
    assert request.status == "requested" and not Person.objects.get(pk=person.pk).is_anonymised


def test_rating_consent_is_given_and_withdrawn(client, person):
    client.force_login(person.user)
    url = reverse("my_data_rating_consent")
    assert client.post(url, {"given": "1"}).status_code == 302
    given = Consent.objects.get(person=person, kind="rating_publication")
    assert given.withdrawn_at is None and given.text_version == consents.RATING_PUBLICATION.version
    assert client.post(url, {"given": "0"}).status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_at is not None
    assert client.post(url, {"given": "maybe"}).status_code == 400
    # The processing consent is untouched by the rating one.
    assert Consent.objects.filter(person=person, kind="pd_processing", withdrawn_at__isnull=True).exists()


def test_another_teacher_withdraws_only_their_own_consent(client, person):
    other = PersonFactory()
    give(other)
    client.force_login(other.user)
    client.post(reverse(WITHDRAW), {"confirm": "on"})
    assert Consent.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1
    assert Consent.objects.filter(person=other, withdrawn_at__isnull=False).count() == 1


@pytest.mark.parametrize("name", [WITHDRAW, "my_data_rating_consent"])
def test_anonymous_visitor_is_sent_to_login_and_get_is_refused(client, person, name):
    response = client.post(reverse(name), {"confirm": "on", "given": "0"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Consent.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1
    client.force_login(person.user)
    assert client.get(reverse(name)).status_code == 405


def test_an_account_without_a_person_gets_404(client):
    staff = UserFactory(is_staff=True, role=User.Role.COORDINATOR)
    client.force_login(staff)
    assert client.post(reverse(WITHDRAW), {"confirm": "on"}).status_code == 404
    assert client.post(reverse("my_data_rating_consent"), {"given": "1"}).status_code == 404
    assert not PersonalDataRequest.objects.exists()


def test_the_cabinet_leads_to_the_consents(client, person):
    client.force_login(person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert "Мои данные: согласия, выгрузка и удаление" in html and reverse("my_data") in html


def test_management_reads_the_journal_but_cannot_erase(client, person):
    from participants.roles import MANAGEMENT

    request = personal_data_consent_withdraw(person=person, by=person.user)
    viewer = UserFactory(is_staff=True, role=User.Role.MANAGEMENT, municipality=person.organisation.municipality)
    viewer.groups.add(Group.objects.get(name=MANAGEMENT))
    client.force_login(viewer)
    url = reverse("admin:participants_personaldatarequest_changelist")
    response = client.get(url)
    assert response.status_code == 200 and "carry_out_erasure" not in response.content.decode()
    client.post(url, {"action": "carry_out_erasure", "_selected_action": [request.pk], "index": 0})
    request.refresh_from_db()
    assert request.status == "requested" and not Person.objects.get(pk=person.pk).is_anonymised


@pytest.mark.parametrize("n", [1, 3])
def test_my_data_page_queries_do_not_grow_with_consents(client, person, n, django_assert_num_queries):
    for i in range(n):  # a history of the rating consent given and withdrawn n times
        at = timezone.now() - timedelta(days=50 - i)
        consent_set(person=person, kind="rating_publication", given=True, now=at)
        consent_set(person=person, kind="rating_publication", given=False, now=at + timedelta(hours=1))
    personal_data_consent_withdraw(person=person, by=person.user)
    client.force_login(person.user)
    with django_assert_num_queries(QUERIES_MY_DATA):
        response = client.get(reverse("my_data"))
    assert response.content.decode().count("Публикация имени в рейтинге</td>") == n
