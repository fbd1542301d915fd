"""Writes of «Школа Лидеров образования» (сид 001): the personnel reserve, its yearly update and yearly work.

Each function is one transaction and raises ValidationError with field messages in Russian when its input breaks
a rule: a status step the reserve does not know, an exclusion without a reason, an update outside «декабрь –
март», a diagnostic by someone who is not the leaders' school's psychologist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import date_in_range, date_range_message
from core.notifications import NotificationDraft, notifications_create
from experts.models import ExpertAssignment, ExpertRole
from participants.models import Person
from participants.roles import user_is_coordinator
from programs.models import Municipality, Organisation

from .models.reserve import (
    ReserveAnalysis,
    ReserveDiagnostic,
    ReserveMember,
    ReserveReview,
    ReserveReviewEntry,
    ReserveSource,
    ReserveStatus,
    ReserveStatusChange,
    TrajectoryItem,
    TrajectoryKind,
    YoungDirectorParticipation,
)

# Today in the municipality's zone: a window closes at its midnight, not at the server's (one definition).

# The program that runs the leaders' school's activities (programs/program_templates/_imc_moskovsky.py, PROGRAMS).
LEADERS_SCHOOL_SLUG = "shkola-liderov"

# The status steps the reserve knows; an exclusion needs a reason, an inclusion and an appointment a decision.
TRANSITIONS: dict[str, set[str]] = {
    ReserveStatus.CANDIDATE: {ReserveStatus.IN_RESERVE, ReserveStatus.EXCLUDED},
    ReserveStatus.IN_RESERVE: {ReserveStatus.APPOINTED, ReserveStatus.EXCLUDED},
    ReserveStatus.APPOINTED: set(),
    ReserveStatus.EXCLUDED: {ReserveStatus.CANDIDATE, ReserveStatus.IN_RESERVE},
}
NEEDS_DECISION = {ReserveStatus.IN_RESERVE, ReserveStatus.APPOINTED}
NEEDS_REASON = {ReserveStatus.EXCLUDED}

# Windows of the seed's yearly events, as (first month, last month) of one year unless said otherwise.
DIAGNOSTIC_MONTHS = (10, 11)  # 2.6: «ежегодно, октябрь-ноябрь»
ANALYSIS_MONTHS = (11, 12)  # 2.7, 1.1: «ежегодно, ноябрь-декабрь»
# 2.8: «ежегодно, декабрь – март»: from 1 December of the review's year to 31 March of the next one.


def review_window(year: int) -> tuple[date, date]:
    """The update of the reserve that opens in December of `year` (сид 001, мероприятие 2.8)."""
    return date(year, 12, 1), date(year + 1, 3, 31)


def review_year_of(day: date) -> int | None:
    """The update whose window holds the day, or None outside «декабрь – март»."""
    if day.month == 12:
        return day.year
    if day.month <= 3:
        return day.year - 1
    return None


def last_closed_review_year(today: date) -> int:
    """The latest update whose window has closed by `today` (after 31 March)."""
    return today.year - 1 if today.month >= 4 else today.year - 2


def _check_date(errors: dict, field: str, value: date | None, *, required: bool = True) -> None:
    if value is None:
        if required:
            errors[field] = ValidationError(_("Укажите дату."), code="required")
    elif not date_in_range(value):
        errors[field] = ValidationError(date_range_message(), code="date_out_of_range")


def _check_year(errors: dict, value: int | None) -> None:
    if value is None or not 1900 <= value <= 2100:
        errors["year"] = ValidationError(_("Укажите год между 1900 и 2100."), code="year_out_of_range")


def _same_municipality(by, municipality_id: int) -> None:
    """Only a coordinator keeps the reserve, and only in their own municipality (management reads it); a service
    called from code (by=None) is trusted."""
    if by is None or by.is_superuser:
        return
    if by.municipality_id != municipality_id:
        raise ValidationError(_("Это запись другого муниципалитета."), code="other_municipality")
    if not user_is_coordinator(by):
        raise ValidationError(_("Кадровый резерв ведёт координатор муниципалитета."), code="not_coordinator")


# --- Membership ---------------------------------------------------------------------------------------------------


@transaction.atomic
def reserve_member_add(
    *,
    municipality: Municipality,
    person: Person,
    source: str,
    listed_on: date,
    status: str = ReserveStatus.CANDIDATE,
    organisation: Organisation | None = None,
    position: str = "",
    decision: str = "",
    by=None,
) -> ReserveMember:
    """A candidate to the reserve, or a member included straight away (with the decision that included them)."""
    _same_municipality(by, municipality.pk)
    errors: dict[str, ValidationError] = {}
    if source not in ReserveSource.values:
        errors["source"] = ValidationError(_("Выберите источник."), code="invalid_choice")
    if status not in (ReserveStatus.CANDIDATE, ReserveStatus.IN_RESERVE):
        errors["status"] = ValidationError(
            _("В резерв вносят кандидатом или сразу членом резерва."), code="invalid_choice"
        )
    elif status == ReserveStatus.IN_RESERVE and not decision.strip():
        errors["decision"] = ValidationError(
            _("Укажите решение о включении в резерв (распоряжение, его дата и номер)."), code="required"
        )
    _check_date(errors, "listed_on", listed_on)
    if organisation is not None and organisation.municipality_id != municipality.pk:
        errors["organisation"] = ValidationError(
            _("Выберите организацию муниципалитета «%(m)s».") % {"m": municipality.name}, code="other_municipality"
        )
    if person.organisation_id and person.organisation.municipality_id != municipality.pk:
        errors["person"] = ValidationError(
            _("Этот человек работает в другом муниципалитете."), code="other_municipality"
        )
    elif ReserveMember.objects.filter(municipality=municipality, person=person).exists():
        errors["person"] = ValidationError(
            _("%(name)s уже в списке резерва.") % {"name": person.full_name}, code="duplicate"
        )
    if errors:
        raise ValidationError(errors)
    member = ReserveMember.objects.create(
        municipality=municipality,
        person=person,
        organisation=organisation if organisation is not None else person.organisation,
        position=position.strip() or person.position,
        source=source,
        status=status,
        listed_on=listed_on,
        included_on=listed_on if status == ReserveStatus.IN_RESERVE else None,
        decision=decision.strip(),
        status_changed_on=listed_on,
    )
    ReserveStatusChange.objects.create(
        member=member, from_status="", to_status=status, changed_on=listed_on, decision=member.decision, changed_by=by
    )
    return member


def _status_errors(member: ReserveMember, *, to_status: str, on: date, decision: str, reason: str) -> dict:
    errors: dict[str, ValidationError] = {}
    if to_status not in ReserveStatus.values:
        errors["to_status"] = ValidationError(_("Выберите статус."), code="invalid_choice")
        return errors
    if to_status not in TRANSITIONS[member.status]:
        errors["to_status"] = ValidationError(
            _("Из статуса «%(from)s» нельзя перейти в статус «%(to)s».")
            % {"from": member.get_status_display(), "to": ReserveStatus(to_status).label},
            code="transition",
        )
    _check_date(errors, "on", on)
    if "on" not in errors and on < member.status_changed_on:
        errors["on"] = ValidationError(
            _("Дата не может быть раньше предыдущего изменения статуса (%(d)s).")
            % {"d": member.status_changed_on.strftime("%d.%m.%Y")},
            code="before_previous",
        )
    if to_status in NEEDS_DECISION and not decision.strip():
        errors["decision"] = ValidationError(
            _("Укажите решение (распоряжение администрации района, его дата и номер)."), code="required"
        )
    if to_status in NEEDS_REASON and not reason.strip():
        errors["reason"] = ValidationError(_("Укажите основание исключения из резерва."), code="required")
    return errors


def _apply_status(member: ReserveMember, *, to_status: str, on: date, decision: str, reason: str, by) -> None:
    ReserveStatusChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        changed_on=on,
        decision=decision.strip(),
        reason=reason.strip(),
        changed_by=by,
    )
    member.status = to_status
    member.status_changed_on = on
    member.status_reason = reason.strip()
    fields = ["status", "status_changed_on", "status_reason"]
    if to_status == ReserveStatus.IN_RESERVE:
        member.included_on = on
        member.decision = decision.strip()
        fields += ["included_on", "decision"]
    member.save(update_fields=fields)


@transaction.atomic
def reserve_member_set_status(
    *, member: ReserveMember, to_status: str, on: date, decision: str = "", reason: str = "", by=None
) -> ReserveMember:
    """Include a candidate, appoint a member to a head-teacher post, exclude with a reason, or list again."""
    _same_municipality(by, member.municipality_id)
    member = ReserveMember.objects.select_for_update().get(pk=member.pk)
    errors = _status_errors(member, to_status=to_status, on=on, decision=decision, reason=reason)
    if errors:
        raise ValidationError(errors)
    _apply_status(member, to_status=to_status, on=on, decision=decision, reason=reason, by=by)
    return member


# --- The yearly update (2.8) ---------------------------------------------------------------------------------------


@transaction.atomic
def reserve_review_record(
    *,
    municipality: Municipality,
    held_on: date,
    decision: str,
    kept: Iterable[ReserveMember] = (),
    added: Iterable[ReserveMember] = (),
    removed: Mapping[ReserveMember, str] | None = None,
    notes: str = "",
    by=None,
) -> ReserveReview:
    """«Обновление состава кадрового резерва — ежегодно, декабрь – март» (сид 001, 2.8): who was kept, who was
    included (candidates, or excluded members listed again) and who was removed with the reason, all on the
    decision's date. One update per window."""
    _same_municipality(by, municipality.pk)
    removed = dict(removed or {})
    kept, added = list(kept), list(added)
    errors: dict[str, ValidationError] = {}
    _check_date(errors, "held_on", held_on)
    year = review_year_of(held_on) if "held_on" not in errors else None
    if "held_on" not in errors and year is None:
        errors["held_on"] = ValidationError(
            _("Обновление состава резерва проводится ежегодно с декабря по март."), code="outside_window"
        )
    if not decision.strip():
        errors["decision"] = ValidationError(_("Укажите решение об обновлении состава резерва."), code="required")
    if year is not None and ReserveReview.objects.filter(municipality=municipality, year=year).exists():
        errors["held_on"] = ValidationError(
            _("Обновление %(a)d/%(b)d уже записано.") % {"a": year, "b": year + 1}, code="duplicate"
        )
    ids = [m.pk for m in kept] + [m.pk for m in added] + [m.pk for m in removed]
    if len(ids) != len(set(ids)):
        errors["members"] = ValidationError(_("Каждого члена резерва укажите в одном решении."), code="twice")
    if not ids:
        errors["members"] = ValidationError(_("Отметьте, кто остаётся, включается или исключается."), code="empty")
    members = {m.pk: m for m in ReserveMember.objects.select_for_update().filter(pk__in=ids).select_related("person")}
    wrong = []
    for group, allowed in (
        (kept, {ReserveStatus.IN_RESERVE}),
        (added, {ReserveStatus.CANDIDATE, ReserveStatus.EXCLUDED}),
        (list(removed), {ReserveStatus.IN_RESERVE, ReserveStatus.CANDIDATE}),
    ):
        for m in group:
            fresh = members.get(m.pk)
            if fresh is None or fresh.municipality_id != municipality.pk or fresh.status not in allowed:
                wrong.append(fresh.person.full_name if fresh else str(m.pk))
    if wrong:
        errors["members"] = ValidationError(
            _("Статус не позволяет это решение: %(names)s.") % {"names": ", ".join(sorted(wrong))}, code="status"
        )
    blank = [members[m.pk].person.full_name for m, reason in removed.items() if m.pk in members and not reason.strip()]
    if blank:
        errors["reasons"] = ValidationError(
            _("Укажите основание исключения: %(names)s.") % {"names": ", ".join(sorted(blank))}, code="required"
        )
    if not errors:
        late = [members[i].person.full_name for i in set(ids) if members[i].status_changed_on > held_on]
        if late:
            errors["held_on"] = ValidationError(
                _("Дата решения раньше последнего изменения статуса: %(names)s.") % {"names": ", ".join(sorted(late))},
                code="before_previous",
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            review = ReserveReview.objects.create(
                municipality=municipality,
                year=year,
                held_on=held_on,
                decision=decision.strip(),
                notes=notes.strip(),
                created_by=by,
            )
    except IntegrityError as exc:  # a second coordinator recorded the same window a moment before
        raise ValidationError(
            {"held_on": ValidationError(_("Обновление %(a)d/%(b)d уже записано.") % {"a": year, "b": year + 1})}
        ) from exc
    entries = []
    for m in kept:
        entries.append(ReserveReviewEntry(review=review, member_id=m.pk, outcome=ReserveReviewEntry.Outcome.KEPT))
    for m in added:
        _apply_status(
            members[m.pk], to_status=ReserveStatus.IN_RESERVE, on=held_on, decision=decision, reason="", by=by
        )
        entries.append(ReserveReviewEntry(review=review, member_id=m.pk, outcome=ReserveReviewEntry.Outcome.ADDED))
    for m, reason in removed.items():
        _apply_status(
            members[m.pk], to_status=ReserveStatus.EXCLUDED, on=held_on, decision=decision, reason=reason, by=by
        )
        entries.append(
            ReserveReviewEntry(
                review=review, member_id=m.pk, outcome=ReserveReviewEntry.Outcome.REMOVED, reason=reason.strip()
            )
        )
    ReserveReviewEntry.objects.bulk_create(entries)
    return review


# --- The trajectory ------------------------------------------------------------------------------------------------


def _trajectory_errors(kind: str, title: str, due_on: date | None, state: str) -> dict:
    errors: dict[str, ValidationError] = {}
    if kind not in TrajectoryKind.values:
        errors["kind"] = ValidationError(_("Выберите форму из инструментария проекта."), code="invalid_choice")
    if not title.strip():
        errors["title"] = ValidationError(_("Опишите, что предстоит сделать."), code="required")
    _check_date(errors, "due_on", due_on)
    if state not in TrajectoryItem.State.values:
        errors["state"] = ValidationError(_("Выберите состояние."), code="invalid_choice")
    return errors


@transaction.atomic
def trajectory_item_add(
    *, member: ReserveMember, kind: str, title: str, due_on: date, state: str = TrajectoryItem.State.PLANNED, by=None
) -> TrajectoryItem:
    """An item of the member's individual trajectory («индивидуальный план подготовки»)."""
    _same_municipality(by, member.municipality_id)
    errors = _trajectory_errors(kind, title, due_on, state)
    if not member.is_current:
        errors["member"] = ValidationError(
            _("Траекторию ведут для кандидатов и членов резерва; статус: «%(s)s».")
            % {"s": member.get_status_display()},
            code="not_current",
        )
    if errors:
        raise ValidationError(errors)
    item = TrajectoryItem.objects.create(member=member, kind=kind, title=title.strip(), due_on=due_on, state=state)
    user_id = member.person.user_id
    if user_id is not None:  # the member learns of the new item where they read the portal's news
        notifications_create(
            drafts=[
                NotificationDraft(
                    user_id=user_id,
                    title=_("Новый пункт вашей траектории: %(t)s (срок %(d)s)")
                    % {"t": item.title, "d": due_on.strftime("%d.%m.%Y")},
                    url=reverse("my_trajectory"),
                    dedupe_key=f"reserve-item-{item.pk}",
                )
            ]
        )
    return item


@transaction.atomic
def trajectory_item_update(
    *, item: TrajectoryItem, kind: str, title: str, due_on: date, state: str, by=None
) -> TrajectoryItem:
    _same_municipality(by, item.member.municipality_id)
    errors = _trajectory_errors(kind, title, due_on, state)
    if errors:
        raise ValidationError(errors)
    item.kind, item.title, item.due_on, item.state = kind, title.strip(), due_on, state
    item.save(update_fields=["kind", "title", "due_on", "state"])
    return item


@transaction.atomic
def trajectory_item_report(
    *, item: TrajectoryItem, person: Person, report: str, now: datetime | None = None
) -> TrajectoryItem:
    """The member's own report on an item (сид 001, 2.7: «отчеты о реализации индивидуальных планов»). Writing one
    moves a planned item to «выполняется»; the coordinator marks it done after the analysis."""
    if item.member.person_id != person.pk:
        raise ValidationError(_("Отчёт о пункте траектории пишет сам член резерва."), code="not_owner")
    errors: dict[str, ValidationError] = {}
    if not report.strip():
        errors["report"] = ValidationError(_("Напишите, что сделано."), code="required")
    if item.state == TrajectoryItem.State.CANCELLED:
        errors["report"] = ValidationError(_("Пункт отменён: отчёт о нём не нужен."), code="cancelled")
    if errors:
        raise ValidationError(errors)
    item.report = report.strip()
    item.reported_at = now or timezone.now()
    fields = ["report", "reported_at"]
    if item.state == TrajectoryItem.State.PLANNED:
        item.state = TrajectoryItem.State.IN_PROGRESS
        fields.append("state")
    item.save(update_fields=fields)
    return item


# --- The yearly analysis (2.7), diagnostics (2.6), «Школа молодого директора» (1.2) -----------------------------


@transaction.atomic
def reserve_analysis_record(
    *, member: ReserveMember, year: int, analysis: str, consulted_on: date, by=None
) -> ReserveAnalysis:
    """The year's analysis of the member's reports with the consultation on their trajectory (сид 001, 2.7):
    «ежегодно, ноябрь-декабрь» — the consultation falls in November or December of the year."""
    _same_municipality(by, member.municipality_id)
    errors: dict[str, ValidationError] = {}
    _check_year(errors, year)
    _check_date(errors, "consulted_on", consulted_on)
    if not errors and (consulted_on.year != year or not ANALYSIS_MONTHS[0] <= consulted_on.month <= ANALYSIS_MONTHS[1]):
        errors["consulted_on"] = ValidationError(
            _("Консультация по траектории проводится в ноябре – декабре %(y)d года.") % {"y": year},
            code="outside_window",
        )
    if not analysis.strip():
        errors["analysis"] = ValidationError(_("Напишите анализ отчётов члена резерва."), code="required")
    if "year" not in errors and ReserveAnalysis.objects.filter(member=member, year=year).exists():
        errors["year"] = ValidationError(_("Анализ за %(y)d год уже записан.") % {"y": year}, code="duplicate")
    if errors:
        raise ValidationError(errors)
    return ReserveAnalysis.objects.create(
        member=member, year=year, analysis=analysis.strip(), consulted_on=consulted_on, consultant=by
    )


def leaders_school_psychologist(user, municipality_id: int) -> ExpertAssignment | None:
    """The user's active psychologist assignment in a season of the municipality's «Школа Лидеров образования»."""
    if not user.is_authenticated:
        return None
    return (
        ExpertAssignment.objects.filter(
            person__user_id=user.pk,
            role=ExpertRole.PSYCHOLOGIST,
            is_active=True,
            season__program__slug=LEADERS_SCHOOL_SLUG,
            season__program__municipality_id=municipality_id,
        )
        .order_by("-season__starts_on", "-pk")
        .first()
    )


@transaction.atomic
def reserve_diagnostic_record(
    *, member: ReserveMember, psychologist: ExpertAssignment, year: int, held_on: date, strengths: str, deficits: str
) -> ReserveDiagnostic:
    """«Психолого-педагогическая диагностика … ежегодно, октябрь-ноябрь» (сид 001, 2.6), by the leaders' school's
    psychologist; what it found is read by its author only."""
    errors: dict[str, ValidationError] = {}
    if (
        psychologist.role != ExpertRole.PSYCHOLOGIST
        or not psychologist.is_active
        or psychologist.season.program.slug != LEADERS_SCHOOL_SLUG
        or psychologist.season.program.municipality_id != member.municipality_id
    ):
        raise ValidationError(
            _("Диагностику проводит педагог-психолог «Школы Лидеров образования» этого муниципалитета."),
            code="not_psychologist",
        )
    _check_year(errors, year)
    _check_date(errors, "held_on", held_on)
    if not errors and (held_on.year != year or not DIAGNOSTIC_MONTHS[0] <= held_on.month <= DIAGNOSTIC_MONTHS[1]):
        errors["held_on"] = ValidationError(
            _("Диагностика проводится в октябре – ноябре %(y)d года.") % {"y": year}, code="outside_window"
        )
    if not strengths.strip():
        errors["strengths"] = ValidationError(_("Опишите выявленные преимущества."), code="required")
    if not deficits.strip():
        errors["deficits"] = ValidationError(_("Опишите выявленные дефициты."), code="required")
    if "year" not in errors and ReserveDiagnostic.objects.filter(member=member, year=year).exists():
        errors["year"] = ValidationError(_("Диагностика за %(y)d год уже записана.") % {"y": year}, code="duplicate")
    if errors:
        raise ValidationError(errors)
    return ReserveDiagnostic.objects.create(
        member=member,
        psychologist=psychologist,
        year=year,
        held_on=held_on,
        strengths=strengths.strip(),
        deficits=deficits.strip(),
    )


@transaction.atomic
def young_director_record(
    *, member: ReserveMember, year: int, state: str, note: str = "", by=None
) -> YoungDirectorParticipation:
    """The member's participation in the city project «Школа молодого директора» in a year (сид 001, 1.2); a
    second record of the same year updates the first."""
    _same_municipality(by, member.municipality_id)
    errors: dict[str, ValidationError] = {}
    _check_year(errors, year)
    if state not in YoungDirectorParticipation.State.values:
        errors["state"] = ValidationError(_("Выберите состояние."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    participation, _created = YoungDirectorParticipation.objects.update_or_create(
        member=member, year=year, defaults={"state": state, "note": note.strip()}
    )
    return participation
