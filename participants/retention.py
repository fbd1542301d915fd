"""Destruction of personal data the portal no longer needs (152-FZ art. 5 §7, art. 21 §4–5).

Two reasons end the keeping of a person's data, and the nightly job (tasks.personal_data_retention_task)
carries out both through services.person_erase, so that every app's eraser runs and a PersonalDataRequest
records each destruction (processed_by empty: the portal did it):

* a withdrawn consent to processing: the erasure opened by services.personal_data_consent_withdraw is carried
  out PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS after the withdrawal (the law's limit is 30 days) — unless the person has given
  the consent again since (they applied anew), in which case the request is closed as refused;
* the retention period: a person whose every enrollment ended in rejection, withdrawal or exclusion at least
  PERSONAL_DATA_RETENTION_DAYS ago. People are kept when any registered hold applies (participants.personal_data
  register_retention_hold: staff and expert roles, issued certificates), and people with no enrollment at all
  (imported ДПО records, school leaders) are not applicants and are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Consent, Enrollment, Person, PersonalDataRequest
from .personal_data import retention_holds
from .services import person_erase

S = Enrollment.Status
ENDED = (S.REJECTED, S.WITHDRAWN, S.EXCLUDED)


def retention_cutoff(*, now: datetime, days: int | None = None) -> datetime:
    return now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days)


def retention_due_people(*, now: datetime, days: int | None = None) -> QuerySet[Person]:
    """People whose data the retention period has run out for: one query, whatever their number.

    Due: not anonymised yet; at least one enrollment; every enrollment rejected, withdrawn or excluded, the last
    change no later than the cutoff; no registered hold.
    """
    cutoff = retention_cutoff(now=now, days=days)
    enrollments = Enrollment.objects.filter(person=OuterRef("pk"))
    people = (
        Person.objects.filter(is_anonymised=False)
        .filter(Exists(enrollments))
        .exclude(Exists(enrollments.filter(~Q(status__in=ENDED) | Q(status_changed_at__gt=cutoff))))
    )
    for hold in retention_holds():
        people = people.exclude(pk__in=hold.people())
    return people.order_by("pk")


def withdrawal_erase_by(requested_at: datetime) -> datetime:
    """When the nightly job carries out an erasure opened by a withdrawn consent (PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS)."""
    return requested_at + timedelta(days=settings.PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS)


def withdrawal_erasure_pending(person: Person) -> PersonalDataRequest | None:
    """The person's open erasure after a withdrawn consent, if any (the oldest)."""
    return (
        PersonalDataRequest.objects.filter(
            person=person,
            kind=PersonalDataRequest.Kind.ERASURE,
            basis=PersonalDataRequest.Basis.CONSENT_WITHDRAWN,
            status=PersonalDataRequest.Status.REQUESTED,
        )
        .order_by("requested_at")
        .first()
    )


def withdrawal_erasures_due(*, now: datetime) -> QuerySet[PersonalDataRequest]:
    """Erasures opened by a withdrawn consent whose waiting time is over."""
    return PersonalDataRequest.objects.filter(
        kind=PersonalDataRequest.Kind.ERASURE,
        basis=PersonalDataRequest.Basis.CONSENT_WITHDRAWN,
        status=PersonalDataRequest.Status.REQUESTED,
        requested_at__lte=now - timedelta(days=settings.PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS),
    ).order_by("requested_at", "pk")


@dataclass
class RetentionOutcome:
    withdrawn: list[int] = field(default_factory=list)  # PersonalDataRequest ids carried out after a withdrawal
    expired: list[int] = field(default_factory=list)  # PersonalDataRequest ids written for the retention period
    consent_renewed: list[int] = field(default_factory=list)  # requests closed: the consent was given again
    already_erased: list[int] = field(default_factory=list)  # requests closed: the data were already gone


@transaction.atomic
def erasure_request_carry_out(*, request: PersonalDataRequest, by=None) -> str:
    """Carry out one open erasure request (a withdrawn consent's, or one recorded from paper); returns what happened ("erased", "consent_renewed",
    "already_erased" or "closed" when another run got there first). `by` is the coordinator, None for the job."""
    request = PersonalDataRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=request.pk)
    if request.status != PersonalDataRequest.Status.REQUESTED:
        return "closed"
    now = timezone.now()
    person = request.person
    renewed = (
        None
        if request.basis != PersonalDataRequest.Basis.CONSENT_WITHDRAWN
        else Consent.objects.filter(
            person_id=request.person_id,
            kind=Consent.Kind.PERSONAL_DATA_PROCESSING,
            withdrawn_at__isnull=True,
            given_at__gt=request.requested_at,
        )
        .order_by("-given_at")
        .first()
    )
    if person is None or person.is_anonymised or renewed is not None:
        request.status = PersonalDataRequest.Status.REFUSED if renewed is not None else PersonalDataRequest.Status.DONE
        request.completed_at = now
        request.processed_by = by
        request.result = (
            _("Человек снова дал согласие на обработку персональных данных %(date)s: данные не уничтожаются")
            % {"date": timezone.localtime(renewed.given_at).strftime("%d.%m.%Y")}
            if renewed is not None
            else _("Данные уже обезличены ранее")
        )
        request.save(update_fields=["status", "completed_at", "processed_by", "result"])
        return "consent_renewed" if renewed is not None else "already_erased"
    person_erase(person=person, by=by, request=request)
    return "erased"


def retention_reason(days: int) -> str:
    return _(
        "Истёк срок хранения: %(days)d дн. после последнего решения по участию (заявка отклонена, выход или исключение)"
    ) % {"days": days}


def personal_data_retention_run(*, now: datetime | None = None) -> RetentionOutcome:
    """The nightly destruction: overdue withdrawal erasures first, then people past the retention period.

    Each person is erased in their own transaction (a failure leaves the others done) and is checked again under
    the lock, so that someone who applied anew since the selection keeps their data. Safe to run twice: erased
    people are no longer selected and carried-out requests are no longer open.
    """
    now = now or timezone.now()
    outcome = RetentionOutcome()
    for request_id in list(withdrawal_erasures_due(now=now).values_list("pk", flat=True)):
        result = erasure_request_carry_out(request=PersonalDataRequest(pk=request_id))
        target = {
            "erased": outcome.withdrawn,
            "consent_renewed": outcome.consent_renewed,
            "already_erased": outcome.already_erased,
        }.get(result)
        if target is not None:
            target.append(request_id)
    days = settings.PERSONAL_DATA_RETENTION_DAYS
    reason = retention_reason(days)
    for person_id in list(retention_due_people(now=now, days=days).values_list("pk", flat=True)):
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(pk=person_id).first()
            if person is None or not retention_due_people(now=now, days=days).filter(pk=person_id).exists():
                continue
            try:
                request = person_erase(
                    person=person, by=None, reason=reason, basis=PersonalDataRequest.Basis.RETENTION_EXPIRED
                )
            except ValidationError:
                continue
            # An erasure a withdrawn consent opened and the job had not reached yet is fulfilled by this one.
            PersonalDataRequest.objects.filter(
                person_id=person_id,
                kind=PersonalDataRequest.Kind.ERASURE,
                status=PersonalDataRequest.Status.REQUESTED,
            ).update(
                status=PersonalDataRequest.Status.DONE,
                completed_at=request.completed_at,
                result=_("Данные обезличены по истечении срока хранения (запрос №%(n)d)") % {"n": request.pk},
            )
        outcome.expired.append(request.pk)
    return outcome
