"""Writes of «Траектория развития» (сид 001), each one transaction: the review of a mentoring practice on its way
into the bank and the school's monitoring of mentoring forms.

The review is a state machine (мероприятие 4: «Внесен успешный опыт ОО и рекомендован к представлению на конкурсных
и иных мероприятиях»):

    подана ──рассмотреть (заключение)──> рассмотрена ──рекомендовать──> рекомендована
      │  ^                                  │
      │  └──────подать снова (автор)──┐     │
      └──вернуть (причина)──> возвращена <──┘
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import User
from participants.selectors import person_for_user
from programs.models import Organisation, Season

from .dates import municipality_today
from .models import Practice
from .models.trajectory import MAX_PAIRS, MENTORING_FORMS, MentoringFormsReport
from .rules_trajectory import can_enter_mentoring_forms, coordinates_trajectory
from .selectors_trajectory import HalfYear, half_of

R = Practice.Review


def _refuse(message: str, field: str | None = None):
    raise ValidationError({field: [message]} if field else message)


def _locked(practice: Practice) -> Practice:
    practice = (
        Practice.objects.select_for_update(of=("self",))
        .select_related("community__season__program__municipality")
        .get(pk=practice.pk)
    )
    if practice.kind != Practice.Kind.MENTORING:
        _refuse(_("Рассматриваются только наставнические практики."))
    if practice.hidden_at is not None:
        _refuse(_("Практика скрыта координатором: сначала верните её в банк."))
    return practice


def _check_methodist(by: User, practice: Practice) -> None:
    if by is None or not coordinates_trajectory(by, practice.community.season.program.municipality):
        raise PermissionDenied(_("Практику рассматривает методист ИМЦ — координатор этого муниципалитета."))


def _state_error(practice: Practice, action: str):
    _refuse(
        _("Практику в состоянии «%(state)s» нельзя %(action)s.")
        % {"state": practice.get_review_display(), "action": action}
    )


@transaction.atomic
def mentoring_practice_review(
    *, practice: Practice, conclusion: str, by: User, now: datetime | None = None
) -> Practice:
    """Submitted → reviewed: the methodist's conclusion on the practice."""
    practice = _locked(practice)
    _check_methodist(by, practice)
    if practice.review != R.SUBMITTED:
        _state_error(practice, _("рассмотреть: рассматривается поданная практика"))
    if not conclusion.strip():
        _refuse(_("Напишите заключение по практике."), "conclusion")
    practice.review, practice.conclusion = R.REVIEWED, conclusion.strip()
    practice.reviewed_at, practice.reviewed_by = now or timezone.now(), by
    practice.save(update_fields=["review", "conclusion", "reviewed_at", "reviewed_by"])
    return practice


@transaction.atomic
def mentoring_practice_recommend(*, practice: Practice, by: User, now: datetime | None = None) -> Practice:
    """Reviewed → «рекомендована к представлению на конкурсных и иных мероприятиях»."""
    practice = _locked(practice)
    _check_methodist(by, practice)
    if practice.review != R.REVIEWED:
        _state_error(practice, _("рекомендовать: сначала её рассматривают и пишут заключение"))
    practice.review, practice.recommended_at = R.RECOMMENDED, now or timezone.now()
    practice.save(update_fields=["review", "recommended_at"])
    return practice


@transaction.atomic
def mentoring_practice_return(*, practice: Practice, reason: str, by: User, now: datetime | None = None) -> Practice:
    """Submitted or reviewed → returned to its author with the reason."""
    practice = _locked(practice)
    _check_methodist(by, practice)
    if practice.review not in (R.SUBMITTED, R.REVIEWED):
        _state_error(practice, _("вернуть: возвращают поданную или рассмотренную практику"))
    if not reason.strip():
        _refuse(_("Укажите, почему практика возвращена, — автору нужно знать, что доработать."), "reason")
    practice.review, practice.returned_reason = R.RETURNED, reason.strip()
    practice.reviewed_at, practice.reviewed_by = now or timezone.now(), by
    practice.save(update_fields=["review", "returned_reason", "reviewed_at", "reviewed_by"])
    return practice


@transaction.atomic
def mentoring_practice_resubmit(*, practice: Practice, description: str, by: User) -> Practice:
    """Returned → submitted again by its author, with the description reworked; the old conclusion is cleared."""
    practice = _locked(practice)
    person = person_for_user(by) if by is not None else None
    if person is None or practice.author.person_id != person.pk:
        raise PermissionDenied(_("Подать практику снова может только её автор."))
    if practice.review != R.RETURNED:
        _state_error(practice, _("подать снова: снова подают возвращённую практику"))
    if not description.strip():
        _refuse(_("Опишите практику."), "description")
    practice.review, practice.description, practice.conclusion = R.SUBMITTED, description.strip(), ""
    practice.save(update_fields=["review", "description", "conclusion"])
    return practice


@transaction.atomic
def mentoring_forms_report_save(
    *,
    season: Season,
    organisation: Organisation,
    half: HalfYear,
    counts: dict[str, int],
    note: str = "",
    by: User,
    now: datetime | None = None,
) -> MentoringFormsReport:
    """A school's monitoring for a half-year (сид 001, мероприятие 8), entered by its director or the coordinator;
    entering it again corrects the school's answer."""
    municipality = season.program.municipality
    if organisation.municipality_id != municipality.pk:
        _refuse(_("Школа не из муниципалитета проекта."), "organisation")
    if by is None or not can_enter_mentoring_forms(by, organisation):
        raise PermissionDenied(_("Мониторинг школы вносит её директор или координатор муниципалитета."))
    if half > half_of(municipality_today(municipality, now)):
        _refuse(_("Это полугодие ещё не началось: мониторинг вносят за текущее или прошедшее."), "half")
    if half.ends_on < season.starts_on or half.starts_on > season.ends_on:
        _refuse(_("Полугодие вне сроков сезона проекта."), "half")
    values = {}
    for field, label in MENTORING_FORMS:
        value = counts.get(field, 0)
        if not isinstance(value, int) or not 0 <= value <= MAX_PAIRS:
            _refuse(_("Число пар формы %(form)s — от 0 до %(max)s.") % {"form": label, "max": MAX_PAIRS}, field)
        values[field] = value
    report, _created = MentoringFormsReport.objects.update_or_create(
        season=season,
        organisation=organisation,
        year=half.year,
        half=half.half,
        defaults={**values, "note": note.strip(), "entered_by": by, "entered_at": now or timezone.now()},
    )
    return report
