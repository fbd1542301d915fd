"""Business rules for enrollments: every status change is checked and recorded with who, when and why."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Enrollment, EnrollmentStatusChange, User

S = Enrollment.Status

# Which statuses each status may move to. Reinstatement is excluded/withdrawn -> active.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.APPLIED: {S.ACTIVE, S.REJECTED, S.WITHDRAWN},
    S.ACTIVE: {S.WITHDRAWN, S.EXCLUDED, S.COMPLETED},
    S.REJECTED: {S.ACTIVE},
    S.WITHDRAWN: {S.ACTIVE},
    S.EXCLUDED: {S.ACTIVE},
    S.COMPLETED: {S.ACTIVE},
}
# These changes must carry a written reason.
REASON_REQUIRED = {S.REJECTED, S.EXCLUDED, S.WITHDRAWN}


def _check(enrollment: Enrollment, to_status: str, reason: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS.get(enrollment.status, set()):
        raise ValidationError(
            _("Нельзя перевести участие из статуса «%(old)s» в «%(new)s».")
            % {"old": enrollment.get_status_display(), "new": S(to_status).label}
        )
    if to_status in REASON_REQUIRED and not reason.strip():
        raise ValidationError(
            _("Укажите причину: статус «%(new)s» без причины не ставится.") % {"new": S(to_status).label}
        )


@transaction.atomic
def enrollment_set_status(
    *, enrollment: Enrollment, to_status: str, actor: User | None, reason: str = ""
) -> Enrollment:
    """Move one enrollment to a new status, locking its row so that two coordinators cannot race."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    _check(enrollment, to_status, reason)
    now = timezone.now()
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment,
        from_status=enrollment.status,
        to_status=to_status,
        changed_at=now,
        changed_by=actor,
        reason=reason.strip(),
    )
    enrollment.status = to_status
    enrollment.status_changed_at = now
    enrollment.save(update_fields=["status", "status_changed_at"])
    return enrollment


def enrollment_approve(*, enrollment: Enrollment, actor: User | None, reason: str = "") -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.ACTIVE, actor=actor, reason=reason)


def enrollment_reject(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.REJECTED, actor=actor, reason=reason)


def enrollment_withdraw(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.WITHDRAWN, actor=actor, reason=reason)


def enrollment_exclude(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.EXCLUDED, actor=actor, reason=reason)


def enrollment_reinstate(*, enrollment: Enrollment, actor: User | None, reason: str) -> Enrollment:
    if not reason.strip():
        raise ValidationError(_("Укажите причину восстановления."))
    return enrollment_set_status(enrollment=enrollment, to_status=S.ACTIVE, actor=actor, reason=reason)


def enrollment_complete(*, enrollment: Enrollment, actor: User | None, reason: str = "") -> Enrollment:
    return enrollment_set_status(enrollment=enrollment, to_status=S.COMPLETED, actor=actor, reason=reason)


@transaction.atomic
def enrollments_set_status(
    *, enrollments: Iterable[Enrollment], to_status: str, actor: User | None, reason: str = ""
) -> tuple[int, list[tuple[Enrollment, str]]]:
    """Bulk change for admin actions, set-based: returns (changed, [(enrollment, why it was skipped)])."""
    ids = [e.pk for e in enrollments]
    locked = list(Enrollment.objects.select_for_update().select_related("person").filter(pk__in=ids).order_by("pk"))
    ok, skipped = [], []
    for enrollment in locked:
        try:
            _check(enrollment, to_status, reason)
        except ValidationError as exc:
            skipped.append((enrollment, " ".join(exc.messages)))
        else:
            ok.append(enrollment)
    now = timezone.now()
    EnrollmentStatusChange.objects.bulk_create(
        EnrollmentStatusChange(
            enrollment=e,
            from_status=e.status,
            to_status=to_status,
            changed_at=now,
            changed_by=actor,
            reason=reason.strip(),
        )
        for e in ok
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in ok]).update(status=to_status, status_changed_at=now)
    return len(ok), skipped
