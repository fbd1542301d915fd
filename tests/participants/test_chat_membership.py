"""The participants' information chat (seed 000 §4.4, §5.7): the season's link, the teacher's «я вступил(а)», the
confirmation, and the exclusion rule that reads the confirmed membership only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.exclusion import exclusion_rules_apply
from activities.models import ExclusionCase
from participants.models import Enrollment
from participants.services import enrollment_set_status
from participants.services_chat import chat_join_claim, chat_membership_confirm
from programs.models import chat_service, validate_chat_url
from tests.activities.exclusion_fixtures import coordinator, participant, rules_season
from tests.factories import EnrollmentFactory, SeasonFactory

pytestmark = pytest.mark.django_db

CHAT = "https://t.me/+progressive_teachers"


# --- The season's link ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://vk.com/im?sel=c12", "ВКонтакте"),
        ("https://vk.me/join/AbC", "ВКонтакте"),
        ("https://m.vk.com/club1", "ВКонтакте"),
        ("https://t.me/+AbCdEf", "Telegram"),
        ("https://telegram.me/joinchat/x", "Telegram"),
        ("https://max.ru/join/abc", "Max"),
        ("https://web.sferum.ru/chat/1", "Сферум"),
    ],
)
def test_a_chat_link_of_each_messenger_is_accepted(url, service):
    validate_chat_url(url)
    assert chat_service(url) == service


@pytest.mark.parametrize(
    "url",
    [
        "https://whatsapp.com/chat/1",
        "https://evilvk.com/x",  # a look-alike host, not a subdomain
        "https://vk.com.evil.ru/x",
        "http://t.me/+plain-http",
        "javascript:alert(1)",
        "https://[::1/",
    ],
)
def test_a_link_elsewhere_is_refused_in_russian(url):
    with pytest.raises(ValidationError) as exc:
        validate_chat_url(url)
    assert "Ссылка на чат должна вести в ВКонтакте" in exc.value.messages[0]


def test_the_season_refuses_another_host():
    season = SeasonFactory(chat_url="")
    season.chat_url = "https://example.com/chat"
    with pytest.raises(ValidationError) as exc:
        season.full_clean()
    assert "chat_url" in exc.value.message_dict


def test_the_approval_letter_gives_the_chat_link(django_capture_on_commit_callbacks):
    season = SeasonFactory(chat_url=CHAT)
    enrollment = EnrollmentFactory(season=season, status=Enrollment.Status.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_set_status(
            enrollment=enrollment, to_status=Enrollment.Status.ACTIVE, actor=None, site_url="https://portal.test"
        )
    (letter,) = mail.outbox
    assert CHAT in letter.body and "(Telegram)" in letter.body
    assert f'href="{CHAT}"' in letter.alternatives[0][0]


def test_the_approval_letter_without_a_chat_says_nothing_of_it(django_capture_on_commit_callbacks):
    enrollment = EnrollmentFactory(season=SeasonFactory(chat_url=""), status=Enrollment.Status.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_set_status(enrollment=enrollment, to_status=Enrollment.Status.ACTIVE, actor=None)
    assert "чат" not in mail.outbox[0].body


# --- The claim and the confirmation --------------------------------------------------------------------------


def test_the_claim_is_the_participants_own_and_needs_a_chat():
    enrollment = EnrollmentFactory(season=SeasonFactory(chat_url=CHAT))
    with pytest.raises(ValidationError, match="только сам участник"):
        chat_join_claim(enrollment=enrollment, by=EnrollmentFactory().person.user)
    chat_join_claim(enrollment=enrollment, by=enrollment.person.user)
    first = Enrollment.objects.get(pk=enrollment.pk).chat_join_claimed_at
    assert first is not None
    chat_join_claim(enrollment=enrollment, by=enrollment.person.user)  # a second press changes nothing
    assert Enrollment.objects.get(pk=enrollment.pk).chat_join_claimed_at == first

    no_chat = EnrollmentFactory(season=SeasonFactory(chat_url=""))
    with pytest.raises(ValidationError, match="нет информационного чата"):
        chat_join_claim(enrollment=no_chat, by=no_chat.person.user)


def test_confirmation_records_who_and_skips_the_inactive_and_the_confirmed():
    season = SeasonFactory(chat_url=CHAT)
    claimed, silent = EnrollmentFactory(season=season), EnrollmentFactory(season=season)
    chat_join_claim(enrollment=claimed, by=claimed.person.user)
    withdrawn = EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    by = coordinator(season.program.municipality)

    confirmed, skipped = chat_membership_confirm(enrollments=Enrollment.objects.filter(season=season), by=by)
    assert confirmed == 2
    assert [e.pk for e, _why in skipped] == [withdrawn.pk]
    for enrollment in (claimed, silent):
        enrollment.refresh_from_db()
        assert enrollment.chat_joined_at is not None and enrollment.chat_join_confirmed_by == by
    assert chat_membership_confirm(enrollments=[claimed], by=by) == (0, [])


# --- §4.4 and §5.5: the rule reads the confirmed membership ----------------------------------------------------


def _chat_cases(enrollment):
    return [c for c in ExclusionCase.objects.filter(enrollment=enrollment) if "chat" in c.reason_keys]


def test_p4_4_a_claim_alone_does_not_meet_the_chat_condition():
    season = rules_season(chat_join_days=3, chat_url=CHAT)
    enrollment = participant(season, status_changed_at=timezone.now() - timedelta(days=10))
    chat_join_claim(enrollment=enrollment, by=enrollment.person.user)

    exclusion_rules_apply(now=timezone.now())

    assert len(_chat_cases(enrollment)) == 1


def test_p4_4_confirmed_membership_meets_the_chat_condition():
    season = rules_season(chat_join_days=3, chat_url=CHAT)
    enrollment = participant(season, status_changed_at=timezone.now() - timedelta(days=10))
    chat_join_claim(enrollment=enrollment, by=enrollment.person.user)
    chat_membership_confirm(enrollments=[enrollment], by=coordinator(season.program.municipality))

    exclusion_rules_apply(now=timezone.now())

    assert _chat_cases(enrollment) == []


# --- The cabinet: the link and «Я вступил(а) в чат» ------------------------------------------------------------


def test_the_cabinet_shows_the_link_and_the_claim_button(client):
    enrollment = EnrollmentFactory(season=SeasonFactory(chat_url=CHAT))
    client.force_login(enrollment.person.user)
    html = client.get(reverse("cabinet")).content.decode()
    assert f'href="{CHAT}"' in html and "Я вступил(а) в чат" in html


def test_the_owner_claims_from_the_cabinet(client):
    enrollment = EnrollmentFactory(season=SeasonFactory(chat_url=CHAT))
    client.force_login(enrollment.person.user)
    response = client.post(reverse("enrollment_chat_claim", args=[enrollment.pk]), follow=True)
    assert response.status_code == 200
    enrollment.refresh_from_db()
    assert enrollment.chat_join_claimed_at is not None and enrollment.chat_joined_at is None
    html = response.content.decode()
    assert "ждёт подтверждения" in html and "Я вступил(а) в чат</button>" not in html


def test_another_participant_cannot_claim_for_the_owner(client):
    enrollment = EnrollmentFactory(season=SeasonFactory(chat_url=CHAT))
    client.force_login(EnrollmentFactory(season=enrollment.season).person.user)
    assert client.post(reverse("enrollment_chat_claim", args=[enrollment.pk])).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.chat_join_claimed_at is None


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    enrollment = EnrollmentFactory(season=SeasonFactory(chat_url=CHAT))
    response = client.post(reverse("enrollment_chat_claim", args=[enrollment.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    enrollment.refresh_from_db()
    assert enrollment.chat_join_claimed_at is None


# --- The coordinator confirms in bulk in the admin -------------------------------------------------------------


def test_the_coordinator_confirms_in_bulk_and_another_municipality_cannot(client):
    season = SeasonFactory(chat_url=CHAT)
    members = [EnrollmentFactory(season=season) for _n in range(3)]
    elsewhere = coordinator(SeasonFactory().program.municipality)
    data = {"action": "confirm_chat_membership", "_selected_action": [e.pk for e in members]}
    changelist = reverse("admin:participants_enrollment_changelist")

    client.force_login(elsewhere)
    client.post(changelist, data, follow=True)
    assert not Enrollment.objects.filter(pk__in=[e.pk for e in members], chat_joined_at__isnull=False).exists()

    client.force_login(coordinator(season.program.municipality))
    response = client.post(changelist, data, follow=True)
    assert "Вступление в чат подтверждено: 3." in response.content.decode()
    assert Enrollment.objects.filter(pk__in=[e.pk for e in members], chat_joined_at__isnull=False).count() == 3
