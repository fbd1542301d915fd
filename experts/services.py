"""Business rules of the bank of requests of the Methodical Subscription (seed 004, §III.2–3): a teacher's
individual request, the tutor a coordinator assigns to it, and its status."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Enrollment, Person, SubscriptionForm
from programs.models import Program, Subject

from .models import ExpertAssignment, ExpertRole, IndividualRequest

R = IndividualRequest.Status

# Which statuses a coordinator may move a request to. «Назначен тьютор» is set by assigning a tutor.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    R.NEW: {R.DECLINED},
    R.ASSIGNED: {R.IN_WORK, R.DONE, R.DECLINED},
    R.IN_WORK: {R.DONE, R.DECLINED},
    R.DONE: {R.IN_WORK},
    R.DECLINED: {R.NEW},
}
# A refusal and a reopening must say why: the teacher sees the explanation in the cabinet.
REASON_REQUIRED = {R.DECLINED, R.NEW}
REOPENING = {(R.DONE, R.IN_WORK)}
NEEDS_TUTOR = {R.IN_WORK, R.DONE}
CLOSED = {R.DONE, R.DECLINED}


def individual_request_check_enrollment(enrollment: Enrollment) -> None:
    """A request belongs to a current participation in a season of the Methodical Subscription."""
    if enrollment.season.program.kind != Program.Kind.SUBSCRIPTION:
        raise ValidationError(
            _("Индивидуальные запросы принимаются только в программе «Методический абонемент»."),
            code="not_subscription",
        )
    if not enrollment.is_current:
        raise ValidationError(
            _(
                "Запрос можно подать, пока заявка на участие рассматривается или пока вы участвуете в программе; "
                "сейчас участие в статусе «%(status)s»."
            )
            % {"status": enrollment.get_status_display()},
            code="not_current",
        )


@transaction.atomic
def individual_request_submit(
    *,
    enrollment: Enrollment,
    deficit: str,
    topic: str,
    preferred_form: str,
    subject: Subject | None = None,
    comment: str = "",
) -> IndividualRequest:
    """A teacher's request (deficit, subject, topic, preferred form) lands in the bank of requests as new."""
    enrollment = Enrollment.objects.select_related("season__program").get(pk=enrollment.pk)
    individual_request_check_enrollment(enrollment)
    errors = {}
    if not deficit.strip():
        errors["deficit"] = ValidationError(
            _("Опишите профессиональный дефицит, с которым нужна помощь."), code="required"
        )
    if not topic.strip():
        errors["topic"] = ValidationError(_("Укажите тему запроса."), code="required")
    if preferred_form not in SubscriptionForm.values:
        errors["preferred_form"] = ValidationError(
            _("Выберите одну из форм Методического абонемента."), code="invalid_choice"
        )
    if errors:
        raise ValidationError(errors)
    return IndividualRequest.objects.create(
        enrollment=enrollment,
        deficit=deficit.strip(),
        subject=subject,
        topic=topic.strip(),
        preferred_form=preferred_form,
        comment=comment.strip(),
    )


@transaction.atomic
def individual_request_withdraw(*, individual_request: IndividualRequest, person: Person) -> None:
    """The teacher takes back a request nobody has worked on yet: it leaves the bank."""
    locked = (
        IndividualRequest.objects.select_for_update()
        .filter(pk=individual_request.pk, enrollment__person=person)
        .first()
    )
    if locked is None:
        raise ValidationError(_("Такого запроса нет."), code="not_found")
    if locked.status != R.NEW:
        raise ValidationError(
            _("Запрос уже принят в работу (статус «%(status)s»): отозвать его можно только через координатора.")
            % {"status": locked.get_status_display()},
            code="not_new",
        )
    locked.delete()


@transaction.atomic
def individual_request_assign_tutor(
    *, requests: Iterable[IndividualRequest], tutor: ExpertAssignment, now: datetime | None = None
) -> tuple[int, list[tuple[IndividualRequest, str]]]:
    """Assign a tutor of the requests' season to open requests, in bulk.

    The tutor must be an active tutor of the season; returns (assigned, [(request, why it was skipped)]).
    """
    tutor = ExpertAssignment.objects.select_related("person", "season").get(pk=tutor.pk)
    if tutor.role != ExpertRole.TUTOR or not tutor.is_active:
        raise ValidationError(
            {
                "tutor": ValidationError(
                    _("Назначить можно только тьютора, который работает в команде сезона."), code="not_tutor"
                )
            }
        )
    now = now or timezone.now()
    locked = _lock_requests(requests)
    ok, skipped = [], []
    for item in locked:
        if item.enrollment.season_id != tutor.season_id:
            skipped.append((item, _("тьютор %(tutor)s работает в другом сезоне.") % {"tutor": tutor.person.short_name}))
        elif item.status in CLOSED:
            skipped.append((item, _("запрос закрыт (статус «%(status)s»).") % {"status": item.get_status_display()}))
        else:
            ok.append(item.pk)
    IndividualRequest.objects.filter(pk__in=ok).update(tutor=tutor, updated_at=now)
    IndividualRequest.objects.filter(pk__in=ok, status=R.NEW).update(status=R.ASSIGNED)
    return len(ok), skipped


def _lock_requests(requests: Iterable[IndividualRequest]) -> list[IndividualRequest]:
    """The requests' rows locked in id order (two coordinators' bulk actions never deadlock)."""
    return list(
        IndividualRequest.objects.select_for_update()
        .select_related("enrollment__person")
        .filter(pk__in=[r.pk for r in requests])
        .order_by("pk")
    )


@transaction.atomic
def individual_requests_set_status(
    *, requests: Iterable[IndividualRequest], to_status: str, reason: str = "", now: datetime | None = None
) -> tuple[int, list[tuple[IndividualRequest, str]]]:
    """Move requests to a status in bulk, keeping the explanation the teacher sees.

    Returns (changed, [(request, why it was skipped)]). A refusal or a reopening without a reason raises.
    """
    reason = reason.strip()
    if not reason and to_status in REASON_REQUIRED:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Укажите причину: статус «%(status)s» без пояснения не ставится.")
                    % {"status": R(to_status).label},
                    code="reason_required",
                )
            }
        )
    now = now or timezone.now()
    locked = _lock_requests(requests)
    ok, skipped = [], []
    for item in locked:
        if to_status not in ALLOWED_TRANSITIONS.get(item.status, set()):
            skipped.append(
                (
                    item,
                    _("нельзя перевести запрос из статуса «%(old)s» в «%(new)s».")
                    % {"old": item.get_status_display(), "new": R(to_status).label},
                )
            )
        elif to_status in NEEDS_TUTOR and item.tutor_id is None:
            skipped.append((item, _("сначала назначьте тьютора.")))
        elif (item.status, to_status) in REOPENING and not reason:
            skipped.append((item, _("укажите причину, по которой выполненный запрос возобновляется.")))
        else:
            ok.append(item.pk)
    changes = {"status": to_status, "status_reason": reason, "updated_at": now}
    if to_status == R.NEW:
        # Back to the bank: the request waits for a tutor again.
        changes["tutor"] = None
    IndividualRequest.objects.filter(pk__in=ok).update(**changes)
    return len(ok), skipped


# --- Mentoring pairs (Pedkluster 27; the mentor map of seed 001) ------------------------------------------


def _coordinator_may_manage(by, season) -> bool:
    """A coordinator bound to a municipality manages only that municipality's seasons; superusers manage all."""
    if by is None or getattr(by, "is_superuser", False):
        return True
    scope = getattr(by, "municipality_id", None)
    return not scope or scope == season.program.municipality_id


def mentoring_pair_check(*, season, mentor: ExpertAssignment | None, mentee: Enrollment | None, exclude_pk=None):
    """Why a mentor and a mentee cannot be paired in the season, as field errors; returns quietly when they can."""
    from .models import MentoringPair

    errors: dict[str, ValidationError] = {}
    if mentor is not None:
        if mentor.season_id != season.pk:
            errors["mentor"] = ValidationError(
                _("Наставник работает в другом сезоне: выберите наставника из команды сезона «%(season)s».")
                % {"season": season},
                code="other_season",
            )
        elif mentor.role != ExpertRole.MENTOR or not mentor.is_active:
            errors["mentor"] = ValidationError(
                _("В пару ставится только наставник, который работает в команде сезона."), code="not_mentor"
            )
    if mentee is not None:
        if mentee.season_id != season.pk:
            errors["mentee"] = ValidationError(
                _("Наставляемый участвует в другом сезоне: выберите участника сезона «%(season)s».")
                % {"season": season},
                code="other_season",
            )
        elif mentee.status != Enrollment.Status.ACTIVE:
            errors["mentee"] = ValidationError(
                _("Наставляемым может быть только действующий участник; сейчас статус «%(status)s».")
                % {"status": mentee.get_status_display()},
                code="not_active",
            )
    if mentor is not None and mentee is not None and not errors:
        pairs = MentoringPair.objects.exclude(pk=exclude_pk)
        if mentor.person_id == mentee.person_id:
            errors["mentee"] = ValidationError(_("Наставник не может быть наставником самому себе."), code="self")
        elif pairs.filter(mentor=mentor, mentee=mentee).exists():
            errors["mentee"] = ValidationError(_("Такая пара уже есть."), code="duplicate")
        elif pairs.filter(season=season, mentee=mentee, ended_on__isnull=True).exists():
            errors["mentee"] = ValidationError(
                _("У этого участника уже есть действующая наставническая пара в сезоне; сначала завершите её."),
                code="has_pair",
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mentoring_pair_create(*, season, mentor: ExpertAssignment, mentee: Enrollment, goals: str, started_on, by):
    """Pair a mentor of the season's team with an active participant of the same season."""
    from programs.models import Season

    from .models import MentoringPair

    season = Season.objects.select_related("program").get(pk=season.pk)
    if not _coordinator_may_manage(by, season):
        raise ValidationError(_("Этот сезон относится к другому муниципалитету."), code="other_municipality")
    # The mentee's row is locked so two coordinators never give one participant two active pairs at once.
    mentee = Enrollment.objects.select_for_update().get(pk=mentee.pk)
    mentor = ExpertAssignment.objects.get(pk=mentor.pk)
    mentoring_pair_check(season=season, mentor=mentor, mentee=mentee)
    if started_on is None:
        raise ValidationError({"started_on": ValidationError(_("Укажите дату начала."), code="required")})
    return MentoringPair.objects.create(
        season=season, mentor=mentor, mentee=mentee, goals=(goals or "").strip(), started_on=started_on
    )


@transaction.atomic
def mentoring_pair_end(*, pair, ended_on, by):
    """Close a pair on a date not before it started; an ended pair stays in the history."""
    from .models import MentoringPair

    pair = MentoringPair.objects.select_for_update(of=("self",)).select_related("season__program").get(pk=pair.pk)
    if not _coordinator_may_manage(by, pair.season):
        raise ValidationError(_("Этот сезон относится к другому муниципалитету."), code="other_municipality")
    if pair.ended_on is not None:
        raise ValidationError(
            _("Пара уже завершена %(date)s.") % {"date": pair.ended_on.strftime("%d.%m.%Y")}, code="ended"
        )
    if ended_on is None or ended_on < pair.started_on:
        raise ValidationError(
            {
                "ended_on": ValidationError(
                    _("Дата завершения не может быть раньше начала пары (%(date)s).")
                    % {"date": pair.started_on.strftime("%d.%m.%Y")},
                    code="before_start",
                )
            }
        )
    pair.ended_on = ended_on
    pair.save(update_fields=["ended_on"])
    return pair
