"""Voluntary withdrawal from the cabinet: owner only, applied/active only, a required reason, the history
records who and why, and the coordinators of the season's municipality — and only they — get an e-mail."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import Enrollment, EnrollmentStatusChange, User
from participants.roles import COORDINATORS, role_groups_ensure
from participants.services import enrollment_withdraw_by_participant
from tests.factories import EnrollmentFactory, MunicipalityFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status


def _coordinator(municipality, email, **kwargs) -> User:
    user = UserFactory(email=email, is_staff=True, role=User.Role.COORDINATOR, municipality=municipality, **kwargs)
    role_groups_ensure()
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user


@pytest.fixture
def enrollment():
    return EnrollmentFactory(status=S.ACTIVE)


def _url(enrollment):
    return reverse("enrollment_withdraw", args=[enrollment.pk])


def test_owner_withdraws_with_a_reason_and_the_right_coordinators_are_told(
    client, enrollment, django_capture_on_commit_callbacks
):
    municipality = enrollment.season.program.municipality
    _coordinator(municipality, "coord@district.ru")
    _coordinator(municipality, "second@district.ru")
    _coordinator(MunicipalityFactory(), "other-district@example.ru")
    _coordinator(municipality, "former@district.ru", is_active=False)
    UserFactory(email="staff-not-coordinator@district.ru", is_staff=True, municipality=municipality)

    client.force_login(enrollment.person.user)
    page = client.get(_url(enrollment))
    assert page.status_code == 200 and "Выйти из программы" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(enrollment), {"reason": "Перевожусь в другую школу"})
    assert response.status_code == 302

    enrollment.refresh_from_db()
    assert enrollment.status == S.WITHDRAWN
    change = EnrollmentStatusChange.objects.get(enrollment=enrollment)
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        S.ACTIVE,
        S.WITHDRAWN,
        enrollment.person.user,
        "Перевожусь в другую школу",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["coord@district.ru", "second@district.ru"]
    message = mail.outbox[0]
    assert enrollment.person.full_name in message.subject
    assert "Перевожусь в другую школу" in message.body
    assert f"/admin/participants/enrollment/{enrollment.pk}/change/" in message.body
    assert "Перевожусь в другую школу" in message.alternatives[0][0]
    # The moment on the season's clock, saying whose (the factory's season keeps Asia/Yekaterinburg).
    assert (
        "(время Екатеринбурга, МСК+2)" in message.body and "(время Екатеринбурга, МСК+2)" in message.alternatives[0][0]
    )

    cabinet = client.get(reverse("cabinet")).content.decode()
    assert "Вы вышли из программы" in cabinet and "Перевожусь в другую школу" in cabinet
    assert "Вышел добровольно" in cabinet


def test_reason_is_required(client, enrollment, django_capture_on_commit_callbacks):
    client.force_login(enrollment.person.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(enrollment), {"reason": "   "})
    assert response.status_code == 200
    assert "Укажите причину выхода из программы." in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE and not EnrollmentStatusChange.objects.exists()
    assert mail.outbox == []


def test_applied_enrollment_may_be_withdrawn_too(client):
    enrollment = EnrollmentFactory(status=S.APPLIED)
    client.force_login(enrollment.person.user)
    client.post(_url(enrollment), {"reason": "Передумала"})
    enrollment.refresh_from_db()
    assert enrollment.status == S.WITHDRAWN


@pytest.mark.parametrize("status", [S.REJECTED, S.EXCLUDED, S.COMPLETED, S.WITHDRAWN])
def test_finished_enrollment_cannot_be_withdrawn(client, status):
    enrollment = EnrollmentFactory(status=status)
    client.force_login(enrollment.person.user)
    response = client.post(_url(enrollment), {"reason": "Хочу выйти"})
    assert response.status_code == 302 and response["Location"] == reverse("cabinet")
    enrollment.refresh_from_db()
    assert enrollment.status == status and not EnrollmentStatusChange.objects.exists()


def test_another_teacher_gets_404(client, enrollment):
    client.force_login(PersonFactory().user)
    assert client.get(_url(enrollment)).status_code == 404
    assert client.post(_url(enrollment), {"reason": "Чужое"}).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE


def test_anonymous_visitor_is_sent_to_login(client, enrollment):
    response = client.post(_url(enrollment), {"reason": "Аноним"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE


def test_service_refuses_someone_else(enrollment):
    with pytest.raises(ValidationError, match="только сам участник"):
        enrollment_withdraw_by_participant(enrollment=enrollment, by=UserFactory(), reason="Причина")
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE


def test_cabinet_offers_the_way_out_for_current_programs_only(client):
    person = PersonFactory()
    active = EnrollmentFactory(person=person, status=S.ACTIVE)
    excluded = EnrollmentFactory(person=person, status=S.EXCLUDED)
    client.force_login(person.user)
    page = client.get(reverse("cabinet")).content.decode()
    assert _url(active) in page and _url(excluded) not in page
    assert reverse("my_data") in page


@pytest.mark.parametrize("withdrawn", [1, 3])
def test_participation_section_runs_one_query(django_assert_num_queries, withdrawn):
    from django.utils import timezone

    from participants.cabinet import CabinetContext
    from participants.feedback_cabinet import participation_section
    from participants.selectors import person_enrollments
    from participants.services import enrollment_withdraw

    person = PersonFactory()
    for _ in range(withdrawn):
        enrollment_withdraw(enrollment=EnrollmentFactory(person=person), actor=person.user, reason="Причина")
    EnrollmentFactory(person=person, status=S.ACTIVE)
    ctx = CabinetContext(request=None, person=person, enrollments=person_enrollments(person), now=timezone.now())
    with django_assert_num_queries(1):
        context = participation_section(ctx)
    assert len(context["withdrawn"]) == withdrawn and all(
        change.reason == "Причина" for _, change in context["withdrawn"]
    )
