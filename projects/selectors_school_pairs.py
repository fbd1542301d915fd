"""Reads of «Школа – Школе»: the pairs of a municipality, a pair's plan with attendance of both schools, the
dynamics of assessment results year over year, and the yearly analysis (сид 001, «Школа – Школе», мероприятие 6).

Each read runs a constant number of queries whatever the number of pairs, plan items or results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from activities.models import Attendance, Session
from programs.models import Municipality

from .models.school_pairs import AssessmentResult, PairPlanItem, SchoolPair

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)


def school_pairs(*, municipality: Municipality, school_id: int | None = None, year: int | None = None):
    """The municipality's pairs (a director: their school's only), with the plan's counts."""
    pairs = SchoolPair.objects.filter(season__program__municipality=municipality)
    if school_id is not None:
        pairs = pairs.filter(Q(leader_id=school_id) | Q(partner_id=school_id))
    if year is not None:
        pairs = pairs.filter(starts_on__year__lte=year).filter(Q(ends_on__isnull=True) | Q(ends_on__year__gte=year))
    return (
        pairs.select_related("season__program", "leader", "partner")
        .annotate(
            planned=Count("plan_items", distinct=True),
            held=Count("plan_items", filter=Q(plan_items__session__isnull=False), distinct=True),
        )
        .order_by("partner__sort_key", "starts_on", "pk")
    )


def school_pair_get(pk: int) -> SchoolPair | None:
    return SchoolPair.objects.select_related("season__program__municipality", "leader", "partner").filter(pk=pk).first()


@dataclass
class SchoolTurnout:
    invited: int = 0
    attended: int = 0


@dataclass
class PlanRow:
    item: PairPlanItem
    leader: SchoolTurnout
    partner: SchoolTurnout


def _turnout(session_ids: list[int]) -> dict[tuple[int, int], SchoolTurnout]:
    """(session, school) → invited and attended teachers: two queries for any number of sessions."""
    turnout: dict[tuple[int, int], SchoolTurnout] = defaultdict(SchoolTurnout)
    if not session_ids:
        return turnout
    invited = (
        Session.invited.through.objects.filter(session_id__in=session_ids)
        .values("session_id", "enrollment__person__organisation_id")
        .annotate(n=Count("pk"))
    )
    for row in invited:
        turnout[(row["session_id"], row["enrollment__person__organisation_id"])].invited = row["n"]
    attended = (
        Attendance.objects.filter(session_id__in=session_ids, status__in=ATTENDED)
        .values("session_id", "enrollment__person__organisation_id")
        .annotate(n=Count("pk"))
    )
    for row in attended:
        turnout[(row["session_id"], row["enrollment__person__organisation_id"])].attended = row["n"]
    return turnout


def plan_rows(pairs: list[SchoolPair], *, year: int | None = None) -> dict[int, list[PlanRow]]:
    """Each pair's plan items with the turnout of both schools' teachers at the held ones."""
    items = PairPlanItem.objects.filter(pair__in=pairs).select_related("session").order_by("planned_on", "pk")
    if year is not None:
        items = items.filter(planned_on__year=year)
    items = list(items)
    by_pk = {pair.pk: pair for pair in pairs}
    turnout = _turnout([i.session_id for i in items if i.session_id])
    rows: dict[int, list[PlanRow]] = {pair.pk: [] for pair in pairs}
    for item in items:
        pair = by_pk[item.pair_id]
        rows[pair.pk].append(
            PlanRow(
                item=item,
                leader=turnout.get((item.session_id, pair.leader_id), SchoolTurnout()),
                partner=turnout.get((item.session_id, pair.partner_id), SchoolTurnout()),
            )
        )
    return rows


@dataclass
class YearValue:
    year: int
    participants: int
    average: Decimal
    low_share: Decimal


@dataclass
class DynamicsRow:
    """One assessment, grade and subject of a school across the years, with the change over the last year."""

    assessment: str
    assessment_label: str
    grade: int
    subject: str
    values: dict[int, YearValue] = field(default_factory=dict)
    cells: list[YearValue | None] = field(default_factory=list)  # aligned with the school's years shown

    def change(self, years: list[int]) -> tuple[Decimal | None, Decimal | None]:
        """(average, low share) of the last year that has a value minus the year before it, when both exist."""
        present = [y for y in years if y in self.values]
        if len(present) < 2:
            return None, None
        last, before = self.values[present[-1]], self.values[present[-2]]
        return last.average - before.average, last.low_share - before.low_share

    @property
    def improved(self) -> bool | None:
        """Fewer low results is better: None when there is nothing to compare."""
        years = sorted(self.values)
        _average, low = self.change(years)
        if low is None:
            return None
        return low < 0


@dataclass
class SchoolDynamics:
    organisation_id: int
    name: str
    years: list[int]
    rows: list[DynamicsRow]


def dynamics(*, organisations, years: int = 3) -> list[SchoolDynamics]:
    """Year-over-year results of each school (one query): the last `years` years that have results."""
    organisations = list(organisations)
    results = (
        AssessmentResult.objects.filter(organisation__in=organisations)
        .select_related("subject")
        .order_by("assessment", "grade", "subject__name", "year")
    )
    by_school: dict[int, dict[tuple, DynamicsRow]] = {o.pk: {} for o in organisations}
    school_years: dict[int, set[int]] = defaultdict(set)
    for result in results:
        key = (result.assessment, result.grade, result.subject.name)
        row = by_school[result.organisation_id].get(key)
        if row is None:
            row = by_school[result.organisation_id][key] = DynamicsRow(
                assessment=result.assessment,
                assessment_label=result.get_assessment_display(),
                grade=result.grade,
                subject=result.subject.name,
            )
        row.values[result.year] = YearValue(result.year, result.participants, result.average, result.low_share)
        school_years[result.organisation_id].add(result.year)
    shown = []
    for o in organisations:
        school_shown = sorted(school_years[o.pk])[-years:]
        rows = list(by_school[o.pk].values())
        for row in rows:
            row.cells = [row.values.get(year) for year in school_shown]
        shown.append(SchoolDynamics(organisation_id=o.pk, name=o.short_name, years=school_shown, rows=rows))
    return shown


def result_years(*, municipality: Municipality) -> list[int]:
    return sorted(
        AssessmentResult.objects.filter(organisation__municipality=municipality)
        .values_list("year", flat=True)
        .distinct(),
        reverse=True,
    )


@dataclass
class PairSummary:
    pair: SchoolPair
    period: str
    planned: int
    held: int
    plan: list[PlanRow]


@dataclass
class YearlyReport:
    """The year's analysis (сид 001, «Школа – Школе», мероприятие 6): pairs, plan held, turnout, dynamics."""

    municipality: Municipality
    year: int
    pairs: list[PairSummary]
    dynamics: list[SchoolDynamics]


def yearly_report(*, municipality: Municipality, year: int, school_id: int | None = None) -> YearlyReport:
    pairs = list(school_pairs(municipality=municipality, school_id=school_id, year=year))
    plans = plan_rows(pairs, year=year)
    summaries = [
        PairSummary(
            pair=pair,
            period=pair.period_text,
            planned=len(plans[pair.pk]),
            held=sum(1 for row in plans[pair.pk] if row.item.is_held),
            plan=plans[pair.pk],
        )
        for pair in pairs
    ]
    schools = []
    for pair in pairs:
        for school in (pair.partner, pair.leader):
            if school not in schools:
                schools.append(school)
    return YearlyReport(municipality=municipality, year=year, pairs=summaries, dynamics=dynamics(organisations=schools))
