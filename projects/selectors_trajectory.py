"""Reads of «Траектория развития» (сид 001): the project's season, the half-years and their intensives, the bank of
mentoring practices, the monitoring of mentoring forms per school with its dynamics.

Half-years are the portal's (docs/decisions/0006-half-year-snapshot.md): January–June and July–December, ending at
midnight after 30 June and 31 December in the municipality's time zone; a school year's first half (September–
December) lies in the second calendar half and its second half (January–June) in the first, so «не менее 1 раза в
учебном полугодии» is checked on the same halves the portal's monitoring uses. Every read runs a constant number of
queries whatever the number of schools, practices or sessions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ActivityKind, Session
from programs.models import Municipality, Organisation, Season

from .models import Community, Practice
from .models.trajectory import MENTORING_FORMS, MentoringFormsReport

PROGRAM_SLUG = "traektoriya-razvitiya"  # programs/program_templates/_imc_moskovsky.py
INTENSIVE_KINDS = (ActivityKind.INTENSIVE, ActivityKind.METHODICAL_INTENSIVE)


@dataclass(frozen=True, order=True)
class HalfYear:
    year: int
    half: int

    @property
    def starts_on(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.half)

    def next(self) -> HalfYear:
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def previous(self) -> HalfYear:
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)

    def __str__(self) -> str:
        if self.half == 1:
            return _("1-е полугодие %(y)s (январь – июнь; 2-е учебное полугодие %(a)s/%(y)s)") % {
                "y": self.year,
                "a": self.year - 1,
            }
        return _("2-е полугодие %(y)s (июль – декабрь; 1-е учебное полугодие %(y)s/%(b)s)") % {
            "y": self.year,
            "b": self.year + 1,
        }

    @property
    def short(self) -> str:
        return _("%(h)s-е полугодие %(y)s") % {"h": self.half, "y": self.year}


def half_of(day: date) -> HalfYear:
    return HalfYear(day.year, 1 if day.month <= 6 else 2)


def season_half_years(season: Season) -> list[HalfYear]:
    """The half-years whose school months (January–June; September–December) the season covers, oldest first: a
    season that ends in August owes nothing for the summer."""
    halves, half = [], half_of(season.starts_on)
    while half.starts_on <= season.ends_on:
        school_from = half.starts_on if half.half == 1 else date(half.year, 9, 1)
        if season.starts_on <= half.ends_on and season.ends_on >= school_from:
            halves.append(half)
        half = half.next()
    return halves


def trajectory_seasons(municipality: Municipality) -> QuerySet[Season]:
    return Season.objects.filter(program__municipality=municipality, program__slug=PROGRAM_SLUG).order_by(
        "-starts_on", "-pk"
    )


# --- Мероприятие 6: intensives at least once per half-year ------------------------------------------------------


@dataclass(frozen=True)
class IntensiveHalf:
    half: HalfYear
    intensives: int
    over: bool

    @property
    def missing(self) -> bool:
        """A half-year that is over (in the municipality's zone) without an intensive."""
        return self.over and self.intensives == 0


def intensive_halves(season: Season, *, today: date) -> list[IntensiveHalf]:
    """Сид 001, «Траектория развития», мероприятие 6: «Организация и проведение образовательных интенсивов для
    педагогов — не менее 1 раза в учебном полугодии». A half-year counts the season's sessions of activities of kind
    «Интенсив» or «Методический интенсив» that start in it (their day in the municipality's zone); one query."""
    return seasons_intensive_halves([season], time_zone=season.program.municipality.time_zone, today=today)[season.pk]


def seasons_intensive_halves(seasons, *, time_zone: str, today: date) -> dict[int, list[IntensiveHalf]]:
    """intensive_halves for several seasons of one municipality at once (the project office's card and the cascade
    report): season id → its half-years; one query whatever the number of seasons, none without seasons."""
    seasons = list(seasons)
    if not seasons:
        return {}
    tz = ZoneInfo(time_zone)
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    starts = Session.objects.filter(
        activity__season__in=[s.pk for s in seasons], activity__kind__in=INTENSIVE_KINDS
    ).values_list("activity__season_id", "starts_at")
    for season_id, starts_at in starts:
        counts[(season_id, *half_of(timezone.localtime(starts_at, tz).date()).key)] += 1
    return {
        season.pk: [
            IntensiveHalf(half=half, intensives=counts[(season.pk, *half.key)], over=today > half.ends_on)
            for half in season_half_years(season)
        ]
        for season in seasons
    }


# --- Мероприятие 4: the bank of mentoring practices ------------------------------------------------------------------


def organisation_q(organisation_id: int) -> Q:
    """A practice is the experience of its community's school, or, in a district community, of its author's school."""
    return Q(community__organisation_id=organisation_id) | Q(
        community__organisation__isnull=True, author__person__organisation_id=organisation_id
    )


def mentoring_practices(season: Season, *, review: str = "", organisation_id: int | None = None):
    rows = Practice.objects.filter(community__season=season, kind=Practice.Kind.MENTORING, hidden_at__isnull=True)
    if review:
        rows = rows.filter(review=review)
    if organisation_id is not None:
        rows = rows.filter(organisation_q(organisation_id))
    return rows.select_related("community__organisation", "author__person__organisation", "reviewed_by").order_by(
        "-created_at", "-pk"
    )


def practice_organisation(practice: Practice) -> Organisation | None:
    return practice.community.organisation or practice.author.person.organisation


# --- Informal mentor communities inside schools -----------------------------------------------------------------


def school_communities(season: Season, *, organisation_id: int | None = None, person_id: int | None = None):
    """The season's communities with their school and the number of present members."""
    rows = Community.objects.filter(season=season)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    if person_id is not None:
        rows = rows.filter(members__enrollment__person_id=person_id).distinct()

    return (
        rows.select_related("organisation")
        .annotate(present=Count("members", filter=Q(members__left_on__isnull=True), distinct=True))
        .order_by("kind", "organisation__sort_key", "name", "pk")
    )


# --- Мероприятия 1 и 8: the monitoring of mentoring forms ------------------------------------------------------


def monitoring_schools(municipality: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        municipality=municipality, kind=Organisation.Kind.SCHOOL, is_active=True
    ).order_by("sort_key", "pk")


@dataclass
class MonitoringRow:
    organisation: Organisation
    report: MentoringFormsReport | None


def monitoring_half(season: Season, half: HalfYear, *, organisation_id: int | None = None) -> list[MonitoringRow]:
    """Every active school of the municipality with its answer for the half-year, or None: two queries."""
    schools = monitoring_schools(season.program.municipality)
    if organisation_id is not None:
        schools = schools.filter(pk=organisation_id)
    reports = {
        r.organisation_id: r
        for r in MentoringFormsReport.objects.filter(season=season, year=half.year, half=half.half).select_related(
            "entered_by"
        )
    }
    return [MonitoringRow(organisation=school, report=reports.get(school.pk)) for school in schools]


@dataclass(frozen=True)
class DynamicsRow:
    half: HalfYear
    reported: int
    pairs: list[int]
    schools_practising: list[int]


def monitoring_dynamics(season: Season, *, organisation_id: int | None = None) -> list[DynamicsRow]:
    """Per half-year of the season: schools that reported, pairs per form and schools practising each form; one
    query."""
    fields = [name for name, _label in MENTORING_FORMS]
    rows = MentoringFormsReport.objects.filter(season=season)
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)

    aggregates = {f"pairs_{f}": Sum(f) for f in fields} | {
        f"schools_{f}": Count("pk", filter=Q(**{f"{f}__gt": 0})) for f in fields
    }
    found = {
        (r["year"], r["half"]): r
        for r in rows.values("year", "half").annotate(reported=Count("pk"), **aggregates).order_by("year", "half")
    }
    result = []
    for half in season_half_years(season):
        r = found.get(half.key)
        result.append(
            DynamicsRow(
                half=half,
                reported=r["reported"] if r else 0,
                pairs=[(r[f"pairs_{f}"] or 0) if r else 0 for f in fields],
                schools_practising=[r[f"schools_{f}"] if r else 0 for f in fields],
            )
        )
    return result
