"""Chat membership marked in bulk (seed 000 §4.4): the confirmation and its withdrawal are set-based — one UPDATE and
one history INSERT whatever the number of participants — and the coordinator's admin actions touch only their own
municipality's enrollments; taking a mark back needs a reason, kept in the enrollment's history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertRole
from participants.models import Enrollment, User
from participants.services_chat import chat_join_claim, chat_membership_confirm, chat_membership_revoke
from tests.activities.exclusion_fixtures import coordinator
from tests.factories import EnrollmentFactory, ExpertAssignmentFactory, SeasonFactory, UserFactory

pytestmark = pytest.mark.django_db

CHAT = "https://t.me/+pedcluster27"
CHANGELIST = "admin:participants_enrollment_changelist"


@pytest.fixture
def season():
    return SeasonFactory(chat_url=CHAT)


def _members(season, n):
    return [EnrollmentFactory(season=season) for _n in range(n)]


def _queries(fn) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"].split()[0] for q in ctx.captured_queries]


@pytest.mark.parametrize("service", ["confirm", "revoke"])
def test_the_services_run_the_same_queries_for_one_and_for_many(season, service):
    by = coordinator(season.program.municipality)
    shapes = []
    for n in (1, 4):
        members = _members(season, n)
        if service == "confirm":
            shapes.append(_queries(lambda m=members: chat_membership_confirm(enrollments=m, by=by)))
        else:
            chat_membership_confirm(enrollments=members, by=by)
            shapes.append(_queries(lambda m=members: chat_membership_revoke(enrollments=m, by=by, reason="Вышла")))
    assert shapes[0] == shapes[1]
    assert shapes[0].count("UPDATE") == 1 and shapes[0].count("INSERT") == 1


def test_confirmation_records_history_and_skips_the_confirmed_and_the_inactive(season):
    by = coordinator(season.program.municipality)
    fresh = _members(season, 2)
    already = EnrollmentFactory(season=season, chat_joined_at=timezone.now())
    gone = EnrollmentFactory(season=season, status=Enrollment.Status.WITHDRAWN)
    confirmed, skipped = chat_membership_confirm(enrollments=Enrollment.objects.filter(season=season), by=by)
    assert confirmed == 2
    assert [(e.pk, why) for e, why in skipped] == [(gone.pk, "участие в статусе «Вышел добровольно»")]
    for enrollment in fresh:
        enrollment.refresh_from_db()
        assert enrollment.chat_join_confirmed_by == by and enrollment.chat_joined_at is not None
        last = enrollment.history.order_by("-history_date", "-history_id").first()
        assert (last.history_user, last.history_change_reason) == (by, "вступление в чат подтверждено")
        assert last.chat_joined_at == enrollment.chat_joined_at
    assert already.history.count() == Enrollment.objects.get(pk=already.pk).history.count()


def test_revoking_needs_a_reason_and_clears_the_claim_with_history(season):
    by = coordinator(season.program.municipality)
    member = EnrollmentFactory(season=season)
    chat_join_claim(enrollment=member, by=member.person.user)
    chat_membership_confirm(enrollments=[member], by=by)
    with pytest.raises(ValidationError) as exc:
        chat_membership_revoke(enrollments=[member], by=by, reason="   ")
    assert "Укажите причину" in " ".join(exc.value.messages)
    assert chat_membership_revoke(enrollments=[member], by=by, reason="Вышла из чата 12.03") == 1
    member.refresh_from_db()
    assert (member.chat_joined_at, member.chat_join_claimed_at, member.chat_join_confirmed_by) == (None, None, None)
    last = member.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "снята отметка о вступлении в чат: Вышла из чата 12.03"
    assert chat_membership_revoke(enrollments=[member], by=by, reason="Повторно") == 0  # nothing left to take back


# --- The coordinator's admin actions ---------------------------------------------------------------------------


def test_the_confirm_action_leaves_another_municipalitys_enrollments_untouched(client, season):
    own = _members(season, 2)
    foreign = _members(SeasonFactory(chat_url=CHAT), 2)
    client.force_login(coordinator(season.program.municipality))
    data = {"action": "confirm_chat_membership", "_selected_action": [e.pk for e in own + foreign]}
    response = client.post(reverse(CHANGELIST), data, follow=True)
    assert "Вступление в чат подтверждено: 2." in response.content.decode()
    assert set(Enrollment.objects.filter(chat_joined_at__isnull=False).values_list("pk", flat=True)) == {
        e.pk for e in own
    }


def test_the_revoke_action_asks_a_reason_then_takes_back_only_its_municipalitys_marks(client, season):
    now = timezone.now()
    own = [EnrollmentFactory(season=season, chat_joined_at=now) for _n in range(2)]
    foreign = EnrollmentFactory(season=SeasonFactory(chat_url=CHAT), chat_joined_at=now)
    client.force_login(coordinator(season.program.municipality))
    data = {"action": "revoke_chat_membership", "_selected_action": [e.pk for e in [*own, foreign]]}

    asked = client.post(reverse(CHANGELIST), data)
    assert asked.status_code == 200 and "Снять отметку о вступлении в чат" in asked.content.decode()
    empty = client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": ""})
    assert empty.status_code == 200
    assert "Укажите причину" in empty.content.decode()
    assert Enrollment.objects.filter(chat_joined_at__isnull=False).count() == 3

    done = client.post(reverse(CHANGELIST), {**data, "apply": "1", "reason": "Вышли из чата"}, follow=True)
    assert "Отметка о вступлении в чат снята: 2." in done.content.decode()
    assert list(Enrollment.objects.filter(chat_joined_at__isnull=False)) == [foreign]
    reasons = {e.history.order_by("-history_id").first().history_change_reason for e in own}
    assert reasons == {"снята отметка о вступлении в чат: Вышли из чата"}


def test_a_teacher_cannot_run_the_actions(client, season):
    member = EnrollmentFactory(season=season, chat_joined_at=timezone.now())
    client.force_login(member.person.user)
    data = {"action": "revoke_chat_membership", "_selected_action": [member.pk], "apply": "1", "reason": "x"}
    response = client.post(reverse(CHANGELIST), data)
    assert response.status_code == 302 and reverse("admin:login") in response.url
    member.refresh_from_db()
    assert member.chat_joined_at is not None


# --- The technical specialist's page saves in one set-based step ------------------------------------------------


def test_the_specialists_page_confirms_with_the_same_queries_for_one_and_for_many(client, season):
    specialist = ExpertAssignmentFactory(
        season=season, role=ExpertRole.TECH_SPECIALIST, person__user=UserFactory(role=User.Role.EXPERT)
    ).person.user
    client.force_login(specialist)
    url = reverse("expert_chat_members", args=[season.pk])
    shapes = []
    for n in (1, 3):
        members = _members(season, n)
        shapes.append(_queries(lambda m=members: client.post(url, {"enrollment": [e.pk for e in m]})))
        assert Enrollment.objects.filter(pk__in=[e.pk for e in members], chat_joined_at__isnull=False).count() == n
    assert shapes[0] == shapes[1]
