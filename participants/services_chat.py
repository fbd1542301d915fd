"""Membership of the participants' information chat (seed 000 §4.4: «вступление в чат информирования участников»;
§5.7: communication goes through the group chat).

The teacher says «я вступил(а)» (a claim); the season's technical specialist, who runs the chat, or a coordinator
confirms. Only the confirmed membership (Enrollment.chat_joined_at) satisfies §4.4: it is what the exclusion
rule and the cabinet's warning read, so a claim alone never closes the ground and a confirmation always does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_bulk_record, history_context
from programs.signals import rows_changed

from .models import Enrollment, User


@transaction.atomic
def chat_join_claim(*, enrollment: Enrollment, by: User, now: datetime | None = None) -> Enrollment:
    """The participant says they have joined their season's chat; a repeated press changes nothing."""
    enrollment = Enrollment.objects.select_for_update().select_related("season", "person").get(pk=enrollment.pk)
    if enrollment.person.user_id != by.pk:
        raise ValidationError(_("Сообщить о вступлении в чат может только сам участник."))
    if enrollment.status != Enrollment.Status.ACTIVE:
        raise ValidationError(_("О вступлении в чат сообщают действующие участники программы."))
    if not enrollment.season.chat_url:
        raise ValidationError(_("У сезона пока нет информационного чата: ссылку пришлёт координатор."))
    if enrollment.chat_joined_at is None and enrollment.chat_join_claimed_at is None:
        enrollment.chat_join_claimed_at = now or timezone.now()
        with history_context(user=by, reason=_("участник сообщил о вступлении в чат")):
            enrollment.save(update_fields=["chat_join_claimed_at"])
    return enrollment


def _locked(enrollments: Iterable[Enrollment] | QuerySet[Enrollment]) -> list[Enrollment]:
    """The enrollments' rows, locked, in one query (a queryset is taken as a subquery, never iterated)."""
    ids = enrollments.values("pk") if isinstance(enrollments, QuerySet) else [e.pk for e in enrollments]
    return list(
        Enrollment.objects.select_for_update(of=("self",)).select_related("person").filter(pk__in=ids).order_by("pk")
    )


@transaction.atomic
def chat_membership_confirm(
    *, enrollments: Iterable[Enrollment], by: User, now: datetime | None = None
) -> tuple[int, list[tuple[Enrollment, str]]]:
    """Confirm that the participants are in their season's chat (the technical specialist or a coordinator, whose
    right to do so the caller has checked). Returns (how many were confirmed, [(enrollment, why it was skipped)]).

    Already confirmed ones are skipped quietly; the time of the confirmation is recorded, and who confirmed. Set-based:
    one UPDATE and one history INSERT whatever the number of participants.
    """
    now = now or timezone.now()
    confirmed, skipped = [], []
    for enrollment in _locked(enrollments):
        if enrollment.chat_joined_at is not None:
            continue
        if enrollment.status != Enrollment.Status.ACTIVE:
            skipped.append(
                (enrollment, _("участие в статусе «%(status)s»") % {"status": enrollment.get_status_display()})
            )
            continue
        confirmed.append(enrollment)
    if confirmed:
        Enrollment.objects.filter(pk__in=[e.pk for e in confirmed]).update(
            chat_joined_at=now, chat_join_confirmed_by=by
        )
        for enrollment in confirmed:
            enrollment.chat_joined_at, enrollment.chat_join_confirmed_by = now, by
        with history_context(user=by, reason=_("вступление в чат подтверждено")):
            history_bulk_record(Enrollment, confirmed)
        rows_changed.send(sender=Enrollment)
    return len(confirmed), skipped


@transaction.atomic
def chat_membership_revoke(*, enrollments: Iterable[Enrollment], by: User, reason: str) -> int:
    """Take back the mark of membership (a participant left the chat, or was marked by mistake), with a written
    reason kept in the enrollment's history. The teacher's claim is cleared too, so they can say «я вступил(а)»
    again. Those without a mark are skipped quietly; set-based like the confirmation. Returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину: отметка о вступлении в чат без причины не снимается.")})
    marked = [e for e in _locked(enrollments) if e.chat_joined_at is not None or e.chat_join_claimed_at is not None]
    if not marked:
        return 0
    Enrollment.objects.filter(pk__in=[e.pk for e in marked]).update(
        chat_joined_at=None, chat_join_claimed_at=None, chat_join_confirmed_by=None
    )
    for enrollment in marked:
        enrollment.chat_joined_at = enrollment.chat_join_claimed_at = enrollment.chat_join_confirmed_by = None
    with history_context(user=by, reason=_("снята отметка о вступлении в чат: %(reason)s") % {"reason": reason}):
        history_bulk_record(Enrollment, marked)
    rows_changed.send(sender=Enrollment)
    return len(marked)
