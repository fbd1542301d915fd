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
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.history import history_context

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


@transaction.atomic
def chat_membership_confirm(
    *, enrollments: Iterable[Enrollment], by: User, now: datetime | None = None
) -> tuple[int, list[tuple[Enrollment, str]]]:
    """Confirm that the participants are in their season's chat (the technical specialist or a coordinator, whose
    right to do so the caller has checked). Returns (how many were confirmed, [(enrollment, why it was skipped)]).

    Already confirmed ones are skipped quietly; the time of the confirmation is recorded, and who confirmed.
    """
    now = now or timezone.now()
    confirmed, skipped = 0, []
    rows = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=[e.pk for e in enrollments])
    )
    with history_context(user=by, reason=_("вступление в чат подтверждено")):
        for enrollment in rows.order_by("pk"):
            if enrollment.chat_joined_at is not None:
                continue
            if enrollment.status != Enrollment.Status.ACTIVE:
                skipped.append(
                    (
                        enrollment,
                        _("участие в статусе «%(status)s»") % {"status": enrollment.get_status_display()},
                    )
                )
                continue
            enrollment.chat_joined_at = now
            enrollment.chat_join_confirmed_by = by
            enrollment.save(update_fields=["chat_joined_at", "chat_join_confirmed_by"])
            confirmed += 1
    return confirmed, skipped
