"""«Школа – Школе» (сид 001): пары школ, годовой план пары и его проведённые мероприятия.

Каждая запись с бизнес-правилом — здесь, одна транзакция на действие; ошибка человека — ValidationError
с русским сообщением у поля, которое её вызвало.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityAudience, ActivityFormat, ActivityKind, Session
from participants.models import Enrollment
from programs.models import Organisation, Season
from programs.selectors import organisations_of_low_results

from .models.school_pairs import PairPlanItem, PartnerRole, PlanItemKind, SchoolPair

# The plan's forms as activities of the season: a master class is one; the others are the season's events.
ACTIVITY_KINDS = {
    PlanItemKind.SEMINAR: ActivityKind.EVENT,
    PlanItemKind.MASTER_CLASS: ActivityKind.MASTER_CLASS,
    PlanItemKind.OPEN_LESSONS: ActivityKind.EVENT,
    PlanItemKind.ROUND_TABLE: ActivityKind.EVENT,
    PlanItemKind.COURSES: ActivityKind.MODULAR_TRAINING,
}


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def pair_errors(
    *, season: Season, leader: Organisation, partner: Organisation, starts_on: date, ends_on: date | None, pk=None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    municipality_id = season.program.municipality_id
    for field, school in (("leader", leader), ("partner", partner)):
        if school.municipality_id != municipality_id:
            errors.setdefault(field, []).append(
                _("Школа «%(school)s» не из муниципалитета сезона.") % {"school": school.short_name}
            )
        elif school.kind != Organisation.Kind.SCHOOL:
            errors.setdefault(field, []).append(
                _("«%(school)s» — не школа: в пару объединяются школы.") % {"school": school.short_name}
            )
    if leader.pk == partner.pk:
        errors.setdefault("partner", []).append(_("Школа не может быть в паре сама с собой."))
    if errors:
        return errors
    # The schools' current marks, by their latest year's facts (сид 001, «Школа – Школе»): one query for both.
    marked = organisations_of_low_results(organisation_ids=[leader.pk, partner.pk])
    if partner.pk not in marked:
        errors.setdefault("partner", []).append(
            _(
                "Школа «%(school)s» не отмечена как школа с низкими образовательными результатами: отметьте её в "
                "справочнике организаций или выберите школу ШНОР."
            )
            % {"school": partner.short_name}
        )
    if leader.pk in marked:
        errors.setdefault("leader", []).append(
            _(
                "Школа «%(school)s» сама отмечена как школа с низкими результатами: ведущей школой пары может быть "
                "школа-лидер, наставник или мастер."
            )
            % {"school": leader.short_name}
        )
    if ends_on is not None and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("Пара не может закончить работу раньше, чем начала."))
        return errors
    # One open pair per partner school: periods of the same partner school's pairs do not overlap.
    overlapping = SchoolPair.objects.filter(partner=partner).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    other = overlapping.exclude(pk=pk).select_related("leader").first()
    if other is not None:
        errors.setdefault("partner", []).append(
            _("У школы «%(school)s» уже есть пара со школой «%(leader)s» с %(start)s%(end)s: периоды пересекаются.")
            % {
                "school": partner.short_name,
                "leader": other.leader.short_name,
                "start": _day(other.starts_on),
                "end": _(" по %(date)s") % {"date": _day(other.ends_on)} if other.ends_on else "",
            }
        )
    return errors


def school_pair_create(
    *,
    season: Season,
    leader: Organisation,
    partner: Organisation,
    starts_on: date,
    ends_on: date | None = None,
    leader_role: str = PartnerRole.LEADER,
    note: str = "",
) -> SchoolPair:
    """Объединить школу-лидера (наставника, мастера) и школу ШНОР в сетевую пару сезона (сид 001, «Школа – Школе»,
    уникальная идея)."""
    errors = pair_errors(season=season, leader=leader, partner=partner, starts_on=starts_on, ends_on=ends_on)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SchoolPair.objects.create(
                season=season,
                leader=leader,
                partner=partner,
                leader_role=leader_role,
                starts_on=starts_on,
                ends_on=ends_on,
                note=note,
            )
    except IntegrityError as exc:  # a pair of the same partner school saved by someone else meanwhile
        raise ValidationError(
            {"partner": [_("У этой школы только что появилась другая открытая пара: обновите страницу.")]}
        ) from exc


def school_pair_close(*, pair: SchoolPair, ends_on: date) -> SchoolPair:
    """Завершить работу пары датой `ends_on`."""
    if ends_on < pair.starts_on:
        raise ValidationError({"ends_on": [_("Пара не может закончить работу раньше, чем начала.")]})
    pair.ends_on = ends_on
    pair.save(update_fields=["ends_on"])
    return pair


def plan_item_add(*, pair: SchoolPair, kind: str, title: str, planned_on: date) -> PairPlanItem:
    """Мероприятие годового плана пары (сид 001, «Школа – Школе», мероприятия 2–5)."""
    title = " ".join(title.split())
    errors: dict[str, list[str]] = {}
    if kind not in PlanItemKind.values:
        errors["kind"] = [_("Выберите форму мероприятия из списка.")]
    if not title:
        errors["title"] = [_("Укажите тему мероприятия.")]
    if planned_on < pair.starts_on or (pair.ends_on is not None and planned_on > pair.ends_on):
        errors["planned_on"] = [
            _("Дата вне периода работы пары (%(period)s).") % {"period": pair.period_text},
        ]
    if errors:
        raise ValidationError(errors)
    return PairPlanItem.objects.create(pair=pair, kind=kind, title=title, planned_on=planned_on)


def pair_enrollments(pair: SchoolPair):
    """Участники сезона — педагоги обеих школ пары: их приглашают на проведённые мероприятия плана."""
    return Enrollment.objects.filter(
        season_id=pair.season_id,
        status=Enrollment.Status.ACTIVE,
        person__organisation_id__in=pair.school_ids,
    )


def plan_item_hold(
    *, item: PairPlanItem, starts_at: datetime, ends_at: datetime, place: str = "", in_person: bool = True
) -> Session:
    """Провести мероприятие плана: занятие мероприятия сезона «для приглашённых», куда приглашены педагоги обеих
    школ пары, — посещаемость отмечается и считается так же, как у любого занятия."""
    if item.session_id is not None:
        raise ValidationError(_("Это мероприятие плана уже проведено."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("Занятие должно закончиться позже, чем началось.")]})
    pair = item.pair
    with transaction.atomic():
        locked = PairPlanItem.objects.select_for_update().get(pk=item.pk)
        if locked.session_id is not None:
            raise ValidationError(_("Это мероприятие плана уже проведено."))
        activity = Activity.objects.create(
            season_id=pair.season_id,
            title=f"{item.get_kind_display()}: {item.title}"[:300],
            kind=ACTIVITY_KINDS[item.kind],
            format=ActivityFormat.IN_PERSON if in_person else ActivityFormat.REMOTE,
            description=_("«Школа – Школе», пара «%(pair)s».") % {"pair": pair},
            audience=ActivityAudience.INVITED,
            # Partner schools' teachers are invited, not obliged: an absence opens no exclusion case.
            is_mandatory=False,
            gives_certificate=False,
        )
        session = Session.objects.create(
            activity=activity, title=item.title[:300], starts_at=starts_at, ends_at=ends_at, place=place[:500]
        )
        session.invited.set(pair_enrollments(pair))
        locked.session = session
        locked.save(update_fields=["session"])
    item.session = session
    return session
