"""Approval and rejection letters: sent after the commit, one SMTP connection for a bulk action, only to people
with an address, the rejection with its written reason."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from participants.models import Enrollment, User
from participants.services import enrollment_approve, enrollment_reinstate, enrollment_reject, enrollments_set_status
from tests.factories import EnrollmentFactory, PersonFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Enrollment.Status


class CountingBackend(EmailBackend):
    """The test outbox, counting how many connections were made and opened and how many batches were sent."""

    made = 0
    opened = 0
    batches = 0

    def __init__(self, *args, **kwargs):
        CountingBackend.made += 1
        super().__init__(*args, **kwargs)

    def open(self):
        CountingBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        CountingBackend.batches += 1
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = "tests.participants.test_enrollment_emails.CountingBackend"
    CountingBackend.made = CountingBackend.opened = CountingBackend.batches = 0
    return CountingBackend


def test_bulk_approval_sends_one_letter_each_over_one_connection(counting, django_capture_on_commit_callbacks):
    season = SeasonFactory()
    applied = EnrollmentFactory.create_batch(3, season=season, status=S.APPLIED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enrollments_set_status(enrollments=applied, to_status=S.ACTIVE, actor=None, site_url="https://portal.example/")
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    # One connection for the three letters; each sent on its own, so each letter's outbox row has its own outcome.
    assert (counting.made, counting.batches) == (1, 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.person.user.email for e in applied)
    message = mail.outbox[0]
    assert "Заявка утверждена" in message.subject and season.program.title in message.subject
    assert "https://portal.example/cabinet/" in message.body
    assert "https://portal.example/cabinet/" in message.alternatives[0][0]


def test_rejection_carries_the_written_reason_in_text_and_html(django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory(status=S.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_reject(enrollment=enrollment, actor=None, reason="Нет педагогического стажа <3 лет>")
    (message,) = mail.outbox
    assert "Заявка отклонена" in message.subject
    assert "Причина: Нет педагогического стажа <3 лет>" in message.body
    assert "Нет педагогического стажа &lt;3 лет&gt;" in message.alternatives[0][0]


def test_people_without_an_address_are_skipped(django_capture_on_commit_callbacks):
    with_address = EnrollmentFactory(status=S.APPLIED)
    without = EnrollmentFactory(status=S.APPLIED, person=PersonFactory(user=None, email=""))
    with django_capture_on_commit_callbacks(execute=True):
        changed, _skipped = enrollments_set_status(
            enrollments=[with_address, without], to_status=S.REJECTED, actor=None, reason="Мест нет"
        )
    assert changed == 2
    assert [m.to for m in mail.outbox] == [[with_address.person.user.email]]


def test_a_failed_transition_sends_nothing(django_capture_on_commit_callbacks):
    excluded = EnrollmentFactory(status=S.EXCLUDED)
    with django_capture_on_commit_callbacks(execute=True):
        enrollments_set_status(enrollments=[excluded], to_status=S.REJECTED, actor=None, reason="x")
    assert mail.outbox == []


def test_reinstatement_and_completion_send_no_approval_letter(django_capture_on_commit_callbacks):
    excluded = EnrollmentFactory(status=S.EXCLUDED)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_reinstate(enrollment=excluded, actor=None, reason="Больничный")
    assert mail.outbox == []


def test_single_approval_sends_a_letter_after_commit(django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory(status=S.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_approve(enrollment=enrollment, actor=None)
    assert [m.to for m in mail.outbox] == [[enrollment.person.user.email]]


def test_admin_reject_action_asks_for_the_reason_and_mails_it(client, counting, django_capture_on_commit_callbacks):
    season = SeasonFactory()
    coordinator = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label="participants"))
    client.force_login(coordinator)
    applied = EnrollmentFactory.create_batch(2, season=season, status=S.APPLIED)
    url = reverse("admin:participants_enrollment_changelist")
    ids = [str(e.pk) for e in applied]
    form_page = client.post(url, {"action": "reject", "_selected_action": ids})
    assert form_page.status_code == 200 and "Причина" in form_page.content.decode()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {"action": "reject", "_selected_action": ids, "apply": "1", "reason": "Набор закрыт"}, follow=True
        )
    assert {e.status for e in Enrollment.objects.filter(pk__in=ids)} == {S.REJECTED}
    assert len(mail.outbox) == 2 and (counting.made, counting.batches) == (1, 2)
    # The test's own transaction holds the letters until the block ends: none could go before the message.
    assert "Писем участникам поставлено в очередь: 2, отправлено сразу: 0." in done.content.decode()
    assert all("Набор закрыт" in m.body and "http://testserver/cabinet/" in m.body for m in mail.outbox)


def test_admin_approve_action_mails_only_the_coordinators_own_people(client, django_capture_on_commit_callbacks):
    season = SeasonFactory()
    foreign = EnrollmentFactory(status=S.APPLIED)
    coordinator = UserFactory(is_staff=True, role=User.Role.COORDINATOR, municipality=season.program.municipality)
    coordinator.user_permissions.set(Permission.objects.filter(content_type__app_label="participants"))
    client.force_login(coordinator)
    own = EnrollmentFactory(season=season, status=S.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:participants_enrollment_changelist"),
            {"action": "approve", "_selected_action": [str(own.pk), str(foreign.pk)]},
        )
    assert [m.to for m in mail.outbox] == [[own.person.user.email]]
    foreign.refresh_from_db()
    assert foreign.status == S.APPLIED
