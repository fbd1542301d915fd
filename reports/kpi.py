"""The KPI engine: every KPI of the orders and of the programs as code, computed set-based for a scope.

Public API (dashboards and XLSX exports call only these; every result is plain Russian labels and numbers):

- ``KpiScope(year, season_ids=(), municipality_id=None, organisation_id=None, until=None)`` — what is measured:
  the calendar year of the orders' yearly targets, optionally some seasons (program KPIs; none = every season
  overlapping the year), a municipality and a school (organisation), and a last day counted (half-years).
- ``kpi_report(*, scope, now) -> list[KpiResult]`` — every KPI for the scope with its target and status.
- ``kpi_years(*, code, scope, years) -> list[KpiResult]`` — one KPI per calendar year («value vs target»).
- ``kpi_breakdown(*, code, scope, by, now) -> list[KpiBreakdownRow]`` — one KPI per organisation,
  municipality or season, per activity (attendance_rate) or per rubric criterion (criterion_score_avg);
  one grouped query, never one per row.
- ``kpi_quarters(*, code, scope, now) -> list[KpiQuarterRow]`` — the quarterly trend of the KPIs that have one.
- ``kpi_target(*, code, municipality, year)`` — the order's target; ``kpi_status(value, target)``.
- ``kpi_values(*, seasons, now)`` — the program KPIs per season, JSON-ready (the nightly snapshot).
- ``KPI_DEFINITIONS`` / ``KPI_BY_CODE``: each definition's ``group`` (order / program), ``breakdowns`` and
  ``quarterly`` tell a dashboard which charts a KPI has. Half-year snapshots: reports.services.

Definitions used by every KPI (once, here):

- a **school** is an active organisation of kind «Школа» (``SCHOOL``);
- the **staff** of the order KPIs is the staff roster of the scope's year (participants.StaffRosterEntry, the
  staff «на 31 декабря» of that year, as forms 85-К and ОО-1 count it): the workers of the organisation kinds the
  KPI covers (``KpiDefinition.covers``) on the year's last day counted (hired by it, not left by it). An
  organisation-year without a named roster counts its headcount (participants.StaffHeadcount) where numbers
  suffice; the roster wins over a headcount of the same organisation and year. The portal's own Person rows
  (``is_manager``, ``experience_years``, ``education_level``) are personal profiles and feed no order KPI: a
  year with neither roster nor headcount has no value, «нет данных за год», never today's staff;
- a **teacher** is a pedagogical worker of the roster whose position is «учитель…» (``is_teacher``);
- the **PD shares** find a worker's courses through the roster row's matched portal person; a headcount has no
  names, so headcount-only organisations are left out of both parts of a PD share (and said so in its reading);
- **cumulative** KPIs («с нарастающим итогом») count every record up to 31 December of the scope's year (or
  `scope.until`, a half-year's end); yearly ones count the records of that year only; the state KPIs
  (experience, education) read the year's roster;
- a municipality or school scope selects people by their organisation (participants of any program included),
  events by their municipality / organiser, and schools themselves;
- **mentoring-model-schools** counts a school that ticked «реализует целевую модель наставничества» in its own
  facts for the year; portal mentoring pairs do not make a school's model;
- a target is a number from the order or «не ниже уровня <года>» (``KpiTarget.baseline_year``), whose number is
  the base year's value the coordinator entered (``KpiBaseline``) — never guessed;
- where a clause's wording leaves a choice, ``KpiDefinition.reading`` states the portal's reading beside the
  number (``ORDER_READINGS``);
- **remote-pd-share** counts people, as the order words it («доля педагогов ... от общего количества
  педагогов, прошедших повышение квалификации»): those who finished a remote course in the year among those who
  finished any course in the year.

Every KPI is one or two grouped queries whatever the data size; aggregates shared by several KPIs (enrollments
by status) are cached on the context and queried once. A share with an empty denominator has no value (None),
never 0 %, which would read as a failure.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext

from activities.models import Activity, Attendance, Certificate, MissedVideo, Submission, VideoAssignment
from activities.selectors_attendance import expected_marks
from core.natural_sort import natural_sort_key
from experts.models import LessonVisit
from participants.feedback import season_quarter
from participants.models import (
    TEAM_PROGRAMME_MIN_MEMBERS,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackAnswer,
    FeedbackResponse,
    ManagementTeamMember,
    ManagementTeamProgramme,
    ProfessionalDevelopment,
    StaffRosterEntry,
)
from programs.models import EducationLevel, MunicipalEvent, Municipality, Organisation, Season
from programs.rule_sources import DEFAULT_SOURCE, SCHOOL_TO_SCHOOL_RESULTS
from projects.models import AssessmentResult, SchoolPair
from ratings.models import Achievement, Review, ReviewScore, RubricCriterion

from .models import KpiBaseline, KpiTarget

S = Enrollment.Status
PERCENT, PEOPLE, ITEMS, EVENTS, HOURS, POINTS, SCALE, SCHOOLS_UNIT = (
    "%",
    _("чел."),
    _("шт."),
    _("мероприятий"),
    _("ч"),
    _("баллов"),
    _("из 5"),
    _("шк."),
)
SCHOOL = Q(kind=Organisation.Kind.SCHOOL, is_active=True)
K = Organisation.Kind
# Seed 003, «Показатели реализации проекта»: staff «общеобразовательных организаций»; seed 002, п. 6.2 and seed 003,
# результат 6: «педагогов» of the district's system — its schools, kindergartens and additional education.
SCHOOLS = (K.SCHOOL,)
DISTRICT_SYSTEM = (K.SCHOOL, K.KINDERGARTEN, K.ADDITIONAL)
COHORT = [S.ACTIVE, S.COMPLETED]  # the participants a quarterly KPI expects something from

COUNT, SHARE, MEAN, MEDIAN = "count", "share", "mean", "median"
ORDER, PROGRAM = "order", "program"


def unit_for(value, unit: str) -> str:
    """Units that are words agree with the number: «1 мероприятие», «3 мероприятия», «2,1 балла»."""
    number = float(value)
    whole = round(number, 1).is_integer()
    if unit == str(EVENTS):
        return (
            npgettext("KPI unit", "мероприятие", "мероприятий", int(number))
            if whole
            else pgettext("KPI unit", "мероприятия")
        )
    if unit == str(POINTS):
        return npgettext("KPI unit", "балл", "баллов", int(number)) if whole else pgettext("KPI unit", "балла")
    return unit


# --- Values and definitions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiValue:
    """A count (numerator only), a share in per cent (numerator / denominator × 100) or a mean (scale=1)."""

    numerator: int | float
    denominator: int | None = None
    scale: int = 100
    # Nothing was recorded for the scope (no school reported its facts for the year): no value, not a zero.
    no_data: bool = False
    # Why there is no value (or what the value leaves out), for the reader: «нет данных за год: …».
    note: str = ""

    @property
    def value(self) -> float | int | None:
        """For display: a share rounded to one decimal (15,5 %). Never compared with a target: see `exact`."""
        if self.no_data:
            return None
        if self.denominator is None:
            return self.numerator
        if not self.denominator:
            return None  # nothing to measure yet: not 0 %, which would read as a failure
        return round(self.numerator * self.scale / self.denominator, 1)

    @property
    def exact(self) -> Fraction | None:
        """The unrounded value, what a target is compared with: 17 of 110 is 15,4545… %, not «15,5 %»."""
        if self.no_data:
            return None
        if self.denominator is None:
            return Fraction(str(self.numerator))
        if not self.denominator:
            return None
        return Fraction(str(self.numerator)) * self.scale / self.denominator


@dataclass(frozen=True)
class KpiScope:
    year: int
    season_ids: tuple[int, ...] = ()
    municipality_id: int | None = None
    organisation_id: int | None = None
    until: date | None = None  # the last day counted, when earlier than 31 December (a half-year's end)

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        end = date(self.year, 12, 31)
        return min(end, self.until) if self.until else end


@dataclass(frozen=True)
class KpiDefinition:
    code: str
    name: Promise
    formula: Promise
    unit: Promise | str
    compute: Callable[[KpiContext], dict]
    kind: str = COUNT
    numerator: Promise | str = ""
    denominator: Promise | str = ""
    cumulative: bool = False
    group: str = PROGRAM
    breakdowns: tuple[str, ...] = ("organisation", "municipality", "season")
    quarterly: Callable[[KpiContext], dict] | None = None
    # How the portal reads the order's wording where it admits more than one reading (a year the order does
    # not name, «с нарастающим итогом» or not, whom a share counts): shown beside the number everywhere.
    reading: Promise | str = ""
    # The organisation kinds whose staff the KPI counts, as the order words it (the workbook and dashboard show it).
    covers: tuple[str, ...] = ()
    # What an empty value says (a roster KPI: no roster and no headcount for the year).
    empty_note: Promise | str = ""
    # The portal's target for a year without a coordinator's one, from the measured data (context, year) —
    # «меньше, чем в прошлом году» where the seed names no number; a KpiTarget of the year replaces it.
    default_target: Callable[[KpiContext, int], Target] | None = None

    def empty(self) -> KpiValue:
        """The value where nothing was found: zero for a count, no data (None) for a share, mean or median."""
        return KpiValue(
            0, None if self.kind == COUNT else 0, 100 if self.kind == SHARE else 1, note=str(self.empty_note)
        )

    def as_json(self, value: KpiValue) -> dict:
        return {
            "value": value.value,
            "numerator": value.numerator,
            "denominator": value.denominator,
            "unit": str(self.unit),
        }


# --- The context: scope, grouping and the shared aggregates ------------------------------------------------


class KpiContext:
    """One scope measured at `now`, grouped by nothing (key None) or by organisation / municipality / season /
    activity / criterion, or — for the program KPIs — by calendar year (`years`: each year counts the seasons
    overlapping it, or the scope's seasons, as a scope of that year would). Each computation returns
    {key: KpiValue}; aggregates are cached per context."""

    def __init__(
        self,
        scope: KpiScope,
        now: datetime,
        by: str | None = None,
        seasons: list[Season] | None = None,
        years: Iterable[int] = (),
    ):
        self.scope, self.now, self.by = scope, now, by
        self.years = sorted(years)
        if by == "year" and not self.years:
            raise ValueError("a breakdown by year needs the years")
        self._computed: dict[Callable, dict] = {}
        # Contexts of the same scope in other years measured together (kpi_years): a shared query runs once for
        # all of them (_shared_grouped), whatever the number of years.
        self.year_batch: list[KpiContext] = []
        if seasons is not None:
            self.__dict__["seasons"] = seasons

    def values(self, definition: KpiDefinition) -> dict:
        """The definition's values for this context; two definitions sharing one computation (показатель 1 and
        результат 8 of приказ № 223/1) run it once and give the same number."""
        if definition.compute not in self._computed:
            self._computed[definition.compute] = definition.compute(self)
        return self._computed[definition.compute]

    @cached_property
    def seasons(self) -> list[Season]:
        qs = Season.objects.select_related("program")
        if self.scope.season_ids:
            qs = qs.filter(pk__in=self.scope.season_ids)
        elif self.by == "year":
            qs = qs.filter(starts_on__lte=date(self.years[-1], 12, 31), ends_on__gte=date(self.years[0], 1, 1))
        else:
            qs = qs.filter(starts_on__lte=self.scope.year_end, ends_on__gte=self.scope.year_start)
        return list(qs.order_by("pk"))

    @cached_property
    def season_ids(self) -> list[int]:
        return [season.pk for season in self.seasons]

    def grouped(self, qs, *, org: str, season: str | None = None, extra: dict | None = None, **aggregates):
        """Filter `qs` to the scope (org: ORM path to the Organisation, "" for Organisation itself; season: path
        to the Season) and aggregate per group key: one query."""
        prefix = f"{org}__" if org else ""
        qs = self.scoped(qs, org=org, season=season)
        keys = {"organisation": f"{org}_id" if org else "id", "municipality": f"{prefix}municipality_id"}
        if season is not None:
            keys["season"] = f"{season}_id"
        keys.update(extra or {})
        if self.by is None:
            return {None: qs.aggregate(**aggregates)}
        if self.by == "year" and season is not None:
            return self.per_year(qs.order_by().values(keys["season"]).annotate(**aggregates), keys["season"])
        if self.by not in keys:
            raise ValueError(f"no breakdown by {self.by}")
        rows = qs.order_by().values(keys[self.by]).annotate(**aggregates)
        return {row.pop(keys[self.by]): row for row in rows}

    def scoped(self, qs, *, org: str, season: str | None = None):
        """`qs` filtered to the scope (the paths as `grouped` takes them)."""
        prefix = f"{org}__" if org else ""
        if self.scope.municipality_id:
            qs = qs.filter(**{f"{prefix}municipality_id": self.scope.municipality_id})
        if self.scope.organisation_id:
            qs = qs.filter(**{f"{org}_id" if org else "pk": self.scope.organisation_id})
        if season is not None:
            qs = qs.filter(**{f"{season}_id__in": self.season_ids})
        return qs

    # Enrollments of the scope's seasons, by status, with what each enrollment has that the program KPIs count
    # (certificates, feedback and pulse answers of the quarter, lesson visits, achievements, due videos): one
    # query shared by the status, retention, cohort, certificate, feedback, visit, pulse, video and achievement KPIs.
    @cached_property
    def enrollments(self) -> dict:
        was_active = EnrollmentStatusChange.objects.filter(enrollment=OuterRef("pk"), to_status=S.ACTIVE)
        counts = {status: Count("pk", filter=Q(status=status)) for status in S.values}
        approved = Q(status__in=[S.ACTIVE, S.COMPLETED, S.EXCLUDED]) | Q(Q(status=S.WITHDRAWN) & Q(Exists(was_active)))
        return self.grouped(
            Enrollment.objects.all(),
            org="person__organisation",
            season="season",
            **counts,
            approved=Count("pk", filter=approved),
            **_per_enrollment_counts(self),
        )

    @cached_property
    def season_years(self) -> dict[int, list[int]]:
        """{season id: the years it counts in}: the years it overlaps, or every year for the scope's own seasons."""
        if self.scope.season_ids:
            return {season.pk: self.years for season in self.seasons}
        return {
            season.pk: [
                y for y in self.years if season.starts_on <= date(y, 12, 31) and season.ends_on >= date(y, 1, 1)
            ]
            for season in self.seasons
        }

    def per_year(self, rows: Iterable[dict], season_key: str) -> dict:
        """Rows grouped by season summed into the years each season counts in (every year has a row). The program
        KPIs' aggregates are counts and sums over rows of one season each, so a year's sum is its scope's value."""
        result: dict = {year: {} for year in self.years}
        for row in rows:
            season_id = row.pop(season_key)
            for year in self.season_years.get(season_id, ()):
                totals = result[year]
                for name, value in row.items():
                    if value is not None:
                        totals[name] = (totals.get(name) or 0) + value
        return result

    def enrolled(self, key, status: str) -> int:
        return (self.enrollments.get(key) or {}).get(status) or 0

    def cohort(self, key) -> int:
        return self.enrolled(key, S.ACTIVE) + self.enrolled(key, S.COMPLETED)

    def quarter_filter(self, year_field: str, quarter_field: str, *, season: str) -> Q:
        """This quarter in each season's own zone (31 December 23:00 in Moscow is Q1 in Vladivostok)."""
        by_quarter: dict[tuple[int, int], list[int]] = defaultdict(list)
        for item in self.seasons:
            by_quarter[season_quarter(item, self.now)].append(item.pk)
        which = Q(pk__in=[])
        for (year, quarter), ids in by_quarter.items():
            which |= Q(**{f"{season}_id__in": ids, year_field: year, quarter_field: quarter})
        return which


def _per_enrollment(qs, fk: str = "enrollment", **aggregate):
    """One number of `qs` per enrollment (0 where it has none), as a correlated subquery of the enrollments query."""
    ((name, expression),) = aggregate.items()
    rows = qs.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(**{name: expression}).values(name)
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _int_sum(expression, **kwargs):
    # A sum of counts is numeric in PostgreSQL: read back as a whole number, like the Count it replaces.
    return Cast(Sum(expression, **kwargs), output_field=IntegerField())


def _per_enrollment_counts(ctx) -> dict:
    """What each enrollment has that a program KPI counts, aggregated with the enrollments of the scope: the groups
    are the enrollments' own (the person's organisation, the enrollment's season), as each KPI's grouping was.

    Each per-enrollment subquery sits inside its aggregate rather than in an annotation: an aggregate over an
    annotated subquery makes Django wrap the whole query in another SELECT, dearer to compile and to run."""
    feedback = FeedbackResponse.objects.filter(ctx.quarter_filter("year", "quarter", season="enrollment__season"))
    visits = LessonVisit.objects.annotate(y=ExtractYear("visited_on"), q=ExtractQuarter("visited_on")).filter(
        ctx.quarter_filter("y", "q", season="enrollment__season")
    )
    pulse = FeedbackAnswer.objects.filter(
        ctx.quarter_filter("response__year", "response__quarter", season="response__enrollment__season"),
        question__is_pulse=True,
        scale_value__isnull=False,
    )
    achievements = Achievement.objects.filter(status=Achievement.Status.CONFIRMED, enrollment=OuterRef("pk"))
    due = VideoAssignment.objects.filter(activity__season=OuterRef("season"), due_at__lte=ctx.now)
    # An enrollment's videos are its own season's assignments (the submission service and the deadline job refuse
    # another season's): counted in the enrollment's season, as they were in the assignment's.
    own_season = Q(assignment__activity__season=OuterRef("season"))
    on_time = Submission.objects.filter(own_season, assignment__due_at__lte=ctx.now, is_current=True, is_late=False)
    per = {
        "n_certificates": _per_enrollment(Certificate.objects.filter(revoked_at__isnull=True), n=Count("pk")),
        "n_feedback": _per_enrollment(feedback, n=Count("pk")),
        "n_on_time": _per_enrollment(on_time, n=Count("pk")),
        "n_missed": _per_enrollment(MissedVideo.objects.filter(own_season), n=Count("pk")),
        "n_pulse": _per_enrollment(pulse, "response__enrollment", n=Count("pk")),
        "pulse_points": _per_enrollment(pulse, "response__enrollment", n=Sum("scale_value")),
        "n_due": Coalesce(
            Subquery(
                due.order_by().values("activity__season").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        "was_visited": Exists(visits.filter(enrollment=OuterRef("pk"))),
        **{f"achieved_{level}": Exists(achievements.filter(level=level)) for level in Achievement.Level.values},
    }
    active, cohort = Q(status=S.ACTIVE), Q(status__in=COHORT)
    return {
        "certificates": _int_sum(per["n_certificates"]),
        "feedback": _int_sum(per["n_feedback"], filter=active),
        "pulse_n": _int_sum(per["n_pulse"]),
        "pulse_total": _int_sum(per["pulse_points"]),
        "videos_due": _int_sum(per["n_due"], filter=active),
        "videos_done": _int_sum(per["n_on_time"], filter=active),
        "missed": _int_sum(per["n_missed"]),
        "visited": Count("pk", filter=cohort & Q(per["was_visited"])),
        **{
            f"n_{level}": Count("pk", filter=cohort & Q(per[f"achieved_{level}"])) for level in Achievement.Level.values
        },
    }


def _values(rows: dict, make: Callable[[dict], KpiValue]) -> dict:
    return {key: make(row) for key, row in rows.items()}


def _n(row: dict, name: str) -> int:
    return row.get(name) or 0


def _shared_grouped(ctx, name: str, build: Callable[[KpiContext], tuple], *, org: str) -> dict:
    """A shared query (`build(context)` gives its queryset and aggregates, `org` the path to the Organisation)
    grouped as the context asks, run once per context. Contexts measured together in several years (year_batch)
    get theirs from one query: each year's aggregate is one part of a UNION ALL, tagged with its year."""
    if name not in ctx.__dict__:
        if ctx.year_batch and ctx.by is None:
            parts = []
            for item in ctx.year_batch:
                qs, aggregates = build(item)
                tagged = item.scoped(qs, org=org).annotate(kpi_year=Value(item.scope.year, IntegerField()))
                parts.append(tagged.order_by().values("kpi_year").annotate(**aggregates))
            rows = {row.pop("kpi_year"): row for row in parts[0].union(*parts[1:], all=True)}
            for item in ctx.year_batch:
                # An aggregate without GROUP BY gives one row per part, even over no rows.
                item.__dict__[name] = {None: rows[item.scope.year]}
        else:
            qs, aggregates = build(ctx)
            ctx.__dict__[name] = ctx.grouped(qs, org=org, **aggregates)
    return ctx.__dict__[name]


def _counted(rows: dict, column: str) -> dict:
    """The groups where `column` counts something (every group of a shared query has every column), and the
    scope's own row (key None) always: the rows a query of that aggregate alone would have given."""
    return {key: row for key, row in rows.items() if key is None or row.get(column)}


# --- Program KPIs (per season scope) -----------------------------------------------------------------------


def _status_count(status: str):
    return lambda ctx: {key: KpiValue(ctx.enrolled(key, status)) for key in ctx.enrollments}


def _retention(ctx):
    return {key: KpiValue(ctx.cohort(key), ctx.enrolled(key, "approved")) for key in ctx.enrollments}


def _expected_marks():
    """The denominator of attendance: marks of participants expected at their session (their format's intensive,
    their invitations, everyone's meetings), never another format's intensive or a meeting «По желанию»."""
    return expected_marks(Attendance.objects.all())


def _attendance(ctx):
    good = Count("pk", filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]))
    rows = ctx.grouped(
        _expected_marks(),
        org="enrollment__person__organisation",
        season="session__activity__season",
        extra={"activity": "session__activity_id"},
        good=good,
        marked=Count("pk"),
    )
    return _values(rows, lambda row: KpiValue(_n(row, "good"), _n(row, "marked")))


def _attendance_quarters(ctx):
    good = Count("pk", filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]))
    qs = _expected_marks().annotate(y=ExtractYear("session__starts_at"), q=ExtractQuarter("session__starts_at"))
    rows = _scoped(ctx, qs, org="enrollment__person__organisation", season="session__activity__season")
    rows = rows.order_by().values("y", "q").annotate(good=good, marked=Count("pk"))
    return {(row["y"], row["q"]): KpiValue(row["good"], row["marked"]) for row in rows}


def _scoped(ctx, qs, *, org: str, season: str | None):
    """The scope filter alone, for the per-quarter queries (grouped by quarter, never by anything else)."""
    if ctx.scope.municipality_id:
        qs = qs.filter(**{f"{org}__municipality_id": ctx.scope.municipality_id})
    if ctx.scope.organisation_id:
        qs = qs.filter(**{f"{org}_id": ctx.scope.organisation_id})
    if season is not None:
        qs = qs.filter(**{f"{season}_id__in": ctx.season_ids})
    return qs


def _videos_on_time(ctx):
    # Expected: every (active participant, assignment already due) pair of the season; done: the current videos of
    # active participants handed in on time. Both counted with the enrollments.
    return {key: KpiValue(_n(row, "videos_done"), _n(row, "videos_due")) for key, row in ctx.enrollments.items()}


def _missed_videos(ctx):
    rows = _counted(ctx.enrollments, "missed")
    return _values(rows, lambda row: KpiValue(_n(row, "missed")))


def _certificates(ctx):
    rows = _counted(ctx.enrollments, "certificates")
    return _values(rows, lambda row: KpiValue(_n(row, "certificates")))


def _feedback(ctx):
    return {key: KpiValue(_n(row, "feedback"), _n(row, S.ACTIVE)) for key, row in ctx.enrollments.items()}


def _cohort_total(ctx) -> int:
    """The quarterly KPIs' denominator: participants active or completed in the scope (one cached query)."""
    total = KpiContext(ctx.scope, ctx.now, None, ctx.seasons)
    return total.cohort(None)


def _feedback_quarters(ctx):
    qs = _scoped(
        ctx,
        FeedbackResponse.objects.filter(enrollment__status__in=COHORT),
        org="enrollment__person__organisation",
        season="enrollment__season",
    )
    cohort = _cohort_total(ctx)
    rows = qs.order_by().values("year", "quarter").annotate(n=Count("pk"))
    return {(row["year"], row["quarter"]): KpiValue(row["n"], cohort) for row in rows}


def _visited(ctx):
    return {key: KpiValue(_n(row, "visited"), ctx.cohort(key)) for key, row in ctx.enrollments.items()}


def _visited_quarters(ctx):
    qs = _scoped(
        ctx,
        LessonVisit.objects.filter(enrollment__status__in=COHORT),
        org="enrollment__person__organisation",
        season="enrollment__season",
    ).annotate(y=ExtractYear("visited_on"), q=ExtractQuarter("visited_on"))
    cohort = _cohort_total(ctx)
    rows = qs.order_by().values("y", "q").annotate(n=Count("enrollment", distinct=True))
    return {(row["y"], row["q"]): KpiValue(row["n"], cohort) for row in rows}


def _pulse(ctx):
    rows = _counted(ctx.enrollments, "pulse_n")
    return _values(rows, lambda row: KpiValue(_n(row, "pulse_total"), _n(row, "pulse_n"), 1))


def _pulse_quarters(ctx):
    qs = _scoped(
        ctx,
        FeedbackAnswer.objects.filter(question__is_pulse=True, scale_value__isnull=False),
        org="response__enrollment__person__organisation",
        season="response__enrollment__season",
    )
    rows = qs.order_by().values("response__year", "response__quarter").annotate(total=Sum("scale_value"), n=Count("pk"))
    return {(row["response__year"], row["response__quarter"]): KpiValue(row["total"] or 0, row["n"], 1) for row in rows}


def _turnaround_rows(ctx) -> dict:
    """Hours from submission to the released review, per group: one query of the released reviews."""
    if "_turnaround" not in ctx.__dict__:
        qs = _scoped(
            ctx,
            Review.objects.filter(status=Review.Status.RELEASED, released_at__isnull=False),
            org="submission__enrollment__person__organisation",
            season="submission__assignment__activity__season",
        )
        key = {
            None: None,
            "organisation": "submission__enrollment__person__organisation_id",
            "municipality": "submission__enrollment__person__organisation__municipality_id",
            "season": "submission__assignment__activity__season_id",
            "year": "submission__assignment__activity__season_id",
        }.get(ctx.by, "-")
        if key == "-":
            raise ValueError(f"no breakdown by {ctx.by}")
        fields = ["submission__submitted_at", "released_at"] + ([key] if key else [])
        hours: dict = defaultdict(list)
        for row in qs.values_list(*fields):
            hours[row[2] if key else None].append((row[1] - row[0]).total_seconds() / 3600)
        if ctx.by == "year":
            by_year: dict = defaultdict(list)
            for season_id, season_hours in hours.items():
                for year in ctx.season_years.get(season_id, ()):
                    by_year[year].extend(season_hours)
            hours = by_year
        ctx.__dict__["_turnaround"] = hours
    return ctx.__dict__["_turnaround"]


def _turnaround_avg(ctx):
    return {key: KpiValue(round(sum(hours), 1), len(hours), 1) for key, hours in _turnaround_rows(ctx).items()}


def _turnaround_median(ctx):
    return {key: KpiValue(round(statistics.median(hours), 1)) for key, hours in _turnaround_rows(ctx).items()}


def _criterion_scores(ctx):
    rows = ctx.grouped(
        ReviewScore.objects.filter(review__status__in=[Review.Status.SUBMITTED, Review.Status.RELEASED]),
        org="review__submission__enrollment__person__organisation",
        season="review__submission__assignment__activity__season",
        extra={"criterion": "criterion_id"},
        total=Sum("points"),
        n=Count("pk"),
    )
    return _values(rows, lambda row: KpiValue(_n(row, "total"), _n(row, "n"), 1))


def _achievements(level: str):
    def compute(ctx):
        return {key: KpiValue(_n(row, f"n_{level}"), ctx.cohort(key)) for key, row in ctx.enrollments.items()}

    return compute


# --- Order KPIs (seed 002 §6.2, seed 003), per calendar year -----------------------------------------------


NO_ROSTER = _("нет данных за год: нет ни кадрового состава, ни численности персонала")
HEADCOUNT_ONLY_PD = _(
    "нет данных за год: есть только численность персонала без списка работников, а повышение квалификации "
    "сопоставляется с работниками поимённо"
)
HEADCOUNT_LEFT_OUT = _("организации, сдавшие только численность (без списка работников), в расчёт не входят: %(n)d")
PEDAGOGICAL = StaffRosterEntry.StaffKind.PEDAGOGICAL


def _roster(ctx, qs, covers: tuple[str, ...]):
    """The scope year's roster rows of the covered organisation kinds, on the year's last day counted."""
    end = ctx.scope.year_end
    on_staff = (Q(hired_on__isnull=True) | Q(hired_on__lte=end)) & (Q(left_on__isnull=True) | Q(left_on__gt=end))
    return qs.filter(on_staff, year=ctx.scope.year, organisation__kind__in=covers)


# The headcount's numbers (n, num) of the KPIs that count from them (seed 003, показатели 2 and 3); the PD shares
# count none (a headcount has no names, so its organisations are only left out and said so).
HEADCOUNT_NUMBERS = {
    "young-teachers-share": ("teachers", "teachers_under_5_years"),
    "higher-education-staffing": ("pedagogical_total", "higher_education"),
}


def _headcounts(ctx, covers: tuple[str, ...], *, n: str = "", num: str = "") -> dict:
    """Per group: {orgs, n, num} of the year's headcounts of the covered organisation kinds without a named roster
    that year (the roster wins). Every covers set's sums come with the organisations' query (_organisation_rows)."""
    tag = "_".join(covers)
    return {
        key: {"orgs": row[f"{tag}__orgs"], "n": row.get(f"{tag}__{n}"), "num": row.get(f"{tag}__{num}")}
        for key, row in _organisation_rows(ctx).items()
        if row[f"{tag}__orgs"]
    }


def _headcount_columns(ctx) -> tuple[dict, dict]:
    """The annotations of an organisation's headcount of the year (unique per organisation and year) when it has no
    named roster that year, and the sums of every covers set of the roster KPIs over them."""
    # One join of the year's headcount (unique per organisation and year), not a subquery per column.
    roster = StaffRosterEntry.objects.filter(organisation=OuterRef("pk"), year=ctx.scope.year)
    annotations = {
        "year_headcount": FilteredRelation("staff_headcounts", condition=Q(staff_headcounts__year=ctx.scope.year)),
        "headcount": ExpressionWrapper(
            Q(year_headcount__isnull=False) & ~Q(Exists(roster)), output_field=BooleanField()
        ),
    }
    # Only the sums some KPI reads: every sum's filter names the headcount annotation, and each costs compiling.
    summed: dict[tuple[str, ...], set[str]] = {d.covers: set() for d in ORDER_KPIS if d.empty_note}
    for code, names in HEADCOUNT_NUMBERS.items():
        summed[KPI_BY_CODE[code].covers].update(names)
    aggregates = {}
    for kinds, names in summed.items():
        of, tag = Q(kind__in=kinds, headcount=True), "_".join(kinds)
        aggregates[f"{tag}__orgs"] = Count("pk", filter=of)
        aggregates.update({f"{tag}__{name}": Sum(f"year_headcount__{name}", filter=of) for name in sorted(names)})
    return annotations, aggregates


def _staff_values(rows: dict, heads: dict, *, empty, pd: bool = False) -> dict:
    """Roster rows (staff, n, num) and headcounts (orgs, n, num) merged per group into {key: KpiValue}; a group with
    no value says why: no roster nor headcount, a headcount a PD share cannot use, or `empty`."""
    result = {}
    for key in set(rows) | set(heads):
        row, head = rows.get(key, {}), heads.get(key, {})
        staff, orgs = _n(row, "staff"), _n(head, "orgs")
        denominator = _n(row, "n") + _n(head, "n")
        if denominator:
            note = str(HEADCOUNT_LEFT_OUT) % {"n": orgs} if pd and orgs else ""
            result[key] = KpiValue(_n(row, "num") + _n(head, "num"), denominator, note=note)
        elif not staff and not orgs:
            result[key] = KpiValue(0, 0, note=str(NO_ROSTER))
        elif pd and not staff:
            result[key] = KpiValue(0, 0, note=str(HEADCOUNT_ONLY_PD))
        else:
            result[key] = KpiValue(0, 0, note=str(empty))
    return result


NO_PEDAGOGICAL = _("нет данных за год: в кадровом составе нет педагогических работников")


# Roster KPIs: tag -> part(ctx) giving (organisation kinds covered, filter of n, filter of num). All their counts
# come from one grouped query of the year's roster (_roster_rows). The filters hold their EXISTS conditions
# themselves rather than naming annotations: an aggregate over annotated subqueries makes Django wrap the whole
# query in another SELECT, which costs more to compile and to run.
RosterPart = Callable[["KpiContext"], tuple[tuple[str, ...], Q, Q]]
_roster_parts: dict[str, RosterPart] = {}


def _roster_rows(ctx, tag: str, covers: tuple[str, ...]) -> dict:
    """{group: {staff, n, num}} of one roster KPI (`covers`: its organisation kinds), read from the query of every
    roster KPI's counts."""

    rows = _shared_grouped(ctx, "_roster", _roster_query, org="organisation")
    staff = _staff_column(covers)
    return {
        key: {"staff": row[staff], "n": row[f"{tag}__n"], "num": row[f"{tag}__num"]}
        for key, row in _counted(rows, staff).items()
    }


def _staff_column(covers: tuple[str, ...]) -> str:
    return "staff__" + "_".join(covers)


def _roster_query(ctx) -> tuple:
    aggregates, kinds = {}, set()
    for name, part in _roster_parts.items():
        covers, n, num = part(ctx)
        kinds.update(covers)
        of = Q(organisation__kind__in=covers)
        # The staff of the kinds covered, counted once for the KPIs that cover the same kinds.
        aggregates[_staff_column(covers)] = Count("pk", filter=of)
        aggregates[f"{name}__n"] = Count("pk", filter=of & n)
        aggregates[f"{name}__num"] = Count("pk", filter=of & n & num)
    return _roster(ctx, StaffRosterEntry.objects.all(), tuple(sorted(kinds))), aggregates


def _teachers_with_training(tag: str, which: Q, covers: tuple[str, ...], *, cumulative: bool = True):
    """Pedagogical workers of the year's roster whose matched portal person has a course of the kind by 31.12."""

    def part(ctx):
        dates = Q(ends_on__lte=ctx.scope.year_end) & (Q() if cumulative else Q(ends_on__gte=ctx.scope.year_start))
        done = ProfessionalDevelopment.objects.filter(which, dates, person=OuterRef("person"))
        return covers, Q(staff_kind=PEDAGOGICAL), Q(Exists(done))

    _roster_parts[tag] = part

    def compute(ctx):
        rows = _roster_rows(ctx, tag, covers)
        return _staff_values(rows, _headcounts(ctx, covers), empty=NO_PEDAGOGICAL, pd=True)

    return compute


def _management_teams(ctx):
    rows = _counted(_organisation_rows(ctx), "team_n")
    return _values(rows, lambda row: KpiValue(_n(row, "team_trained"), _n(row, "team_n")))


def _management_subqueries(ctx) -> dict:
    """Seed 002, п. 6.2, показатель 2: «управленческие команды, принявшие участие в программах повышения
    квалификации» — a team that took part as a team: a team programme ending by 31.12 (cumulative) with at least
    two of its members, or all of a smaller team as it stood at the programme's end. One member's own course
    (ProfessionalDevelopment) is no team's participation."""
    active = Q(since__isnull=True) | Q(since__lte=ctx.scope.year_end)
    active &= Q(until__isnull=True) | Q(until__gte=ctx.scope.year_start)
    members = ManagementTeamMember.objects.filter(active, organisation=OuterRef("pk"))
    on_end = Q(since__isnull=True) | Q(since__lte=OuterRef("ends_on"))
    on_end &= Q(until__isnull=True) | Q(until__gte=OuterRef("ends_on"))
    team_at_end = (
        ManagementTeamMember.objects.filter(on_end, organisation=OuterRef("organisation"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    took_part = Q(took_part__gte=TEAM_PROGRAMME_MIN_MEMBERS) | (Q(took_part__gte=1) & Q(took_part__gte=F("team")))
    as_team = (
        ManagementTeamProgramme.objects.filter(organisation=OuterRef("pk"), ends_on__lte=ctx.scope.year_end)
        .annotate(took_part=Count("members", distinct=True), team=Coalesce(Subquery(team_at_end), 0))
        .filter(took_part)
    )
    return {"team": Exists(members), "trained": Exists(as_team)}


def _organisation_rows(ctx) -> dict:
    """The organisations' counts of the management-team KPI, the mentoring-model KPI (_mentoring_schools), the
    facts summed (_school_facts), the schools of low results of the year and the year before (_low_result_schools)
    and the headcounts (_headcounts): one query over the organisations with a team, the schools and the
    organisations with facts (this year or the one before) or a headcount for the year, each KPI counting its own."""

    return _shared_grouped(ctx, "_organisations", _organisations_query, org="")


def _organisations_query(ctx) -> tuple:
    heads, head_sums = _headcount_columns(ctx)
    school = Q(SCHOOL)
    # The year's facts (unique per organisation and year) joined once, not a subquery per column.
    qs = Organisation.objects.annotate(
        facts=FilteredRelation("year_facts", condition=Q(year_facts__year=ctx.scope.year)),
        # The year before too: «меньше, чем в прошлом году» of the schools of low results (_fewer_than_last_year).
        facts_before=FilteredRelation("year_facts", condition=Q(year_facts__year=ctx.scope.year - 1)),
        **_management_subqueries(ctx),
        **heads,
        model=ExpressionWrapper(Q(facts__runs_mentoring_model=True), output_field=BooleanField()),
        reported=ExpressionWrapper(Q(facts__isnull=False), output_field=BooleanField()),
        reported_before=ExpressionWrapper(Q(facts_before__isnull=False), output_field=BooleanField()),
        low=ExpressionWrapper(Q(facts__low_results=True), output_field=BooleanField()),
        low_before=ExpressionWrapper(Q(facts_before__low_results=True), output_field=BooleanField()),
        **{f"fact_{name}": F(f"facts__{name}") for name in SUMMED_FACTS},
    )
    # A school of low results is counted by its kind, active or not: a school closed since was one in its year.
    school_kind = Q(kind=Organisation.Kind.SCHOOL)
    aggregates = {
        "team_n": Count("pk", filter=Q(team=True)),
        "team_trained": Count("pk", filter=Q(team=True, trained=True)),
        "schools_n": Count("pk", filter=school),
        "schools_model": Count("pk", filter=school & Q(model=True)),
        "facts_n": Count("pk", filter=Q(reported=True)),
        "low_reported": Count("pk", filter=school_kind & Q(reported=True)),
        "low_n": Count("pk", filter=school_kind & Q(low=True)),
        "low_before_reported": Count("pk", filter=school_kind & Q(reported_before=True)),
        "low_before_n": Count("pk", filter=school_kind & Q(low_before=True)),
        **{name: Sum(f"fact_{name}", filter=Q(reported=True)) for name in SUMMED_FACTS},
        **head_sums,
    }
    return qs.filter(Q(team=True) | school | Q(reported=True) | Q(reported_before=True) | Q(headcount=True)), aggregates


def _young_teachers(ctx):
    """Seed 003, показатель 2: teachers of schools with under five years of pedagogical experience, from the
    year's roster (teachers with their experience recorded) and the headcounts of schools without one."""
    covers = KPI_BY_CODE["young-teachers-share"].covers
    rows = _roster_rows(ctx, "young", covers)
    n, num = HEADCOUNT_NUMBERS["young-teachers-share"]
    heads = _headcounts(ctx, covers, n=n, num=num)
    return _staff_values(rows, heads, empty=_("нет данных за год: в кадровом составе нет учителей с указанным стажем"))


def _higher_education(ctx):
    """Seed 003, показатель 3: pedagogical workers of schools with higher education, from the year's roster
    (workers with their education recorded) and the headcounts of schools without one."""
    covers = KPI_BY_CODE["higher-education-staffing"].covers
    rows = _roster_rows(ctx, "higher_education", covers)
    n, num = HEADCOUNT_NUMBERS["higher-education-staffing"]
    heads = _headcounts(ctx, covers, n=n, num=num)
    return _staff_values(
        rows,
        heads,
        empty=_("нет данных за год: в кадровом составе нет педагогических работников с указанным образованием"),
    )


def _mentoring_schools(ctx):
    """Приказ № 223/1, результат 5: «Общеобразовательные организации, реализуют целевую модель наставничества» —
    the school's own yearly fact, entered for the year; a portal mentoring pair of one of its teachers is not a
    school's model (one mentee made a school count before)."""
    rows = _counted(_organisation_rows(ctx), "schools_n")
    return _values(rows, lambda row: KpiValue(_n(row, "schools_model"), _n(row, "schools_n")))


def _remote_training(ctx):
    """Seed 003, результат 6: of the year's roster pedagogical workers who finished a course in the year, those who
    finished one remotely; found through the roster row's matched person (headcount-only organisations left out)."""
    covers = KPI_BY_CODE["remote-pd-share"].covers
    rows = _roster_rows(ctx, "remote", covers)
    return _staff_values(
        rows,
        _headcounts(ctx, covers),
        empty=_("нет данных за год: никто из педагогических работников состава не окончил курс ДПО в этом году"),
        pd=True,
    )


def _young_part(ctx):
    teacher = Q(staff_kind=PEDAGOGICAL, is_teacher=True, experience_years__isnull=False)
    return KPI_BY_CODE["young-teachers-share"].covers, teacher, Q(experience_years__lt=5)


def _higher_education_part(ctx):
    known = Q(staff_kind=PEDAGOGICAL) & ~Q(education_level="")
    return KPI_BY_CODE["higher-education-staffing"].covers, known, Q(education_level=EducationLevel.HIGHER)


def _remote_part(ctx):
    year = Q(ends_on__gte=ctx.scope.year_start, ends_on__lte=ctx.scope.year_end)
    records = ProfessionalDevelopment.objects.filter(year, person=OuterRef("person"))
    trained = Q(staff_kind=PEDAGOGICAL) & Q(Exists(records))
    return KPI_BY_CODE["remote-pd-share"].covers, trained, Q(Exists(records.filter(is_remote=True)))


_roster_parts.update(young=_young_part, higher_education=_higher_education_part, remote=_remote_part)


def _event_rows(ctx) -> dict:
    """The year's events per category: one query for every category's KPI."""

    if "_events" in ctx.__dict__:
        return ctx.__dict__["_events"]
    batch = ctx.year_batch if ctx.by is None else []
    contexts = batch or [ctx]
    qs = MunicipalEvent.objects.filter(
        held_on__gte=min(c.scope.year_start for c in contexts), held_on__lte=max(c.scope.year_end for c in contexts)
    )
    if ctx.scope.municipality_id:
        qs = qs.filter(municipality_id=ctx.scope.municipality_id)
    if ctx.scope.organisation_id:
        qs = qs.filter(organisation_id=ctx.scope.organisation_id)
    counts = {category: Count("pk", filter=Q(category=category)) for category in MunicipalEvent.Category.values}
    if batch:
        # Several calendar years (kpi_years, whole years) in one query: the events grouped by the year held.
        rows = {row.pop("y"): row for row in qs.order_by().values(y=ExtractYear("held_on")).annotate(**counts)}
        for item in batch:
            item.__dict__["_events"] = {None: rows.get(item.scope.year) or dict.fromkeys(counts, 0)}
    elif ctx.by is None:
        ctx.__dict__["_events"] = {None: qs.aggregate(**counts)}
    else:
        key = {"organisation": "organisation_id", "municipality": "municipality_id"}[ctx.by]
        ctx.__dict__["_events"] = {row.pop(key): row for row in qs.order_by().values(key).annotate(**counts)}
    return ctx.__dict__["_events"]


def _events(category: str):
    def compute(ctx):
        return _values(_counted(_event_rows(ctx), category), lambda row: KpiValue(_n(row, category)))

    return compute


def _school_facts(field_name: str):
    """A sum over the organisations' facts of the year; a scope where no organisation reported the year has no
    value («нет данных»), not zero — zero associations would read as a result missed."""

    def compute(ctx):
        rows = _counted(_organisation_rows(ctx), "facts_n")
        return _values(rows, lambda row: KpiValue(_n(row, field_name), no_data=not _n(row, "facts_n")))

    return compute


# The facts summed by the KPIs (_school_facts), read with the organisations (_organisation_rows).
SUMMED_FACTS = ("pedagogical_classes", "methodical_associations")


# --- Seed 001, «Школа – Школе»: schools with low results and the dynamics of their assessment results ----------


NO_FACTS = _("нет данных за год: ни одна школа не внесла сведения за этот год")


def _low_result_schools(ctx):
    """Сид 001, «Школа – Школе», ожидаемые результаты: «уменьшение количества школ, демонстрирующих низкие
    результаты обучения» — the schools marked so in their facts of the year; no school's facts: no value."""
    row = _organisation_rows(ctx)[None]
    if not _n(row, "low_reported"):
        return {None: KpiValue(0, no_data=True, note=str(NO_FACTS))}
    return {None: KpiValue(_n(row, "low_n"))}


def _fewer_than_last_year(ctx, year: int) -> Target:
    """The portal's default target where the seed names no number: «не больше N − 1», N — the schools of low
    results of the year before (0 stays 0); no facts for the year before — no number, «нет данных за прошлый год»."""
    row = _organisation_rows(ctx)[None]
    previous = _n(row, "low_before_n") if _n(row, "low_before_reported") else None
    return Target(
        None if previous is None else Decimal(max(previous - 1, 0)),
        KpiTarget.Comparison.AT_MOST,
        str(SCHOOLS_UNIT),
        f"{SCHOOL_TO_SCHOOL_RESULTS}; {DEFAULT_SOURCE}",
        previous_year=year - 1,
        previous_value=previous,
    )


def _improved(rows: list[tuple], year: int) -> bool | None:
    """Did the school's share of low results fall from `year − 1` to `year`? Over the procedures (ВПР, ОГЭ, ЕГЭ),
    subjects and grades it has in both years, low results = доля низких результатов × участники; None when
    nothing is comparable. Compared exactly (cross-multiplied), never rounded."""
    by_year: dict[int, dict[tuple, tuple[int, Decimal]]] = {year - 1: {}, year: {}}
    for y, assessment, subject_id, grade, participants, low_share in rows:
        if y in by_year:
            by_year[y][assessment, subject_id, grade] = (participants, low_share)
    common = by_year[year].keys() & by_year[year - 1].keys()
    totals = {}
    for y in (year - 1, year):
        participants = sum(by_year[y][key][0] for key in common)
        low = sum((by_year[y][key][0] * by_year[y][key][1] for key in common), Decimal(0))
        totals[y] = (participants, low)
    (before_n, before_low), (now_n, now_low) = totals[year - 1], totals[year]
    if not before_n or not now_n:
        return None
    return now_low * before_n < before_low * now_n


def _shnor_dynamics(ctx):
    """Сид 001, «Школа – Школе», ожидаемые результаты: «положительная динамика результатов оценочных процедур
    (ВПР, ОГЭ, ЕГЭ) обучающихся школ, демонстрирующих низкие результаты обучения» — of the partner schools of the
    pairs working in the year with results comparable with the year before, those whose share of low results
    fell. Two queries for the context or its whole year batch."""
    if "_shnor_dynamics" not in ctx.__dict__:
        batch = ctx.year_batch if ctx.by is None and ctx.year_batch else [ctx]
        years = sorted({c.scope.year for c in batch})

        def paired(first: date, last: date):
            return SchoolPair.objects.filter(partner=OuterRef("organisation"), starts_on__lte=last).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=first)
            )

        qs = AssessmentResult.objects.filter(
            Exists(paired(date(years[0], 1, 1), date(years[-1], 12, 31))),
            year__in=set(years) | {y - 1 for y in years},
        ).annotate(**{f"paired_{y}": Exists(paired(date(y, 1, 1), date(y, 12, 31))) for y in years})
        rows = ctx.scoped(qs, org="organisation").order_by()
        columns = ("year", "assessment", "subject_id", "grade", "participants", "low_share")
        results: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        schools_of_year: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for row in rows.values("organisation_id", "organisation__municipality_id", *columns, *qs.query.annotations):
            school = (row["organisation_id"], row["organisation__municipality_id"])
            results[school].append(tuple(row[name] for name in columns))
            for y in years:
                if row[f"paired_{y}"]:
                    schools_of_year[y].add(school)
        for item in batch:
            year = item.scope.year
            groups: dict = defaultdict(lambda: [0, 0])
            for partner, municipality in schools_of_year[year]:
                improved = _improved(results[partner, municipality], year)
                if improved is None:
                    continue
                key = {None: None, "municipality": municipality, "organisation": partner}[item.by]
                groups[key][1] += 1
                groups[key][0] += int(improved)
            if item.by is None:
                groups.setdefault(None, [0, 0])
            item.__dict__["_shnor_dynamics"] = {
                key: KpiValue(n, d, note="" if d else str(NO_DYNAMICS)) for key, (n, d) in groups.items()
            }
    return ctx.__dict__["_shnor_dynamics"]


NO_DYNAMICS = _(
    "нет данных: у школ ШНОР, работающих в парах в этом году, нет результатов одной и той же процедуры, предмета "
    "и класса за этот и прошлый год"
)


NO_PAIRS = _("нет данных за год: в этом году не работала ни одна пара «Школа – Школе»")


def _pairs_working(path: str, first: date, last: date) -> Q:
    """The pairs (at `path`, "" for SchoolPair itself) that worked on some day from `first` to `last`."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}starts_on__lte": last}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": first})
    )


def _iom_query(ctx) -> tuple:
    """The partner (ШНОР) schools of the pairs working in the year or the year before, with their teachers whose
    course under ИОМ ended in each of the two years: one query (a UNION ALL part per year in a year batch)."""
    start, end = ctx.scope.year_start, ctx.scope.year_end
    before_start, before_end = date(ctx.scope.year - 1, 1, 1), date(ctx.scope.year - 1, 12, 31)
    pairs = SchoolPair.objects.filter(_pairs_working("", before_start, end), partner=OuterRef("pk"))
    route = "people__professional_development"
    qs = Organisation.objects.filter(Exists(pairs)).annotate(
        # Only the courses under ИОМ of the two years are joined, not every course of the school's teachers.
        route_courses=FilteredRelation(
            route,
            condition=Q(
                **{
                    f"{route}__per_individual_route": True,
                    f"{route}__ends_on__gte": before_start,
                    f"{route}__ends_on__lte": end,
                }
            ),
        )
    )
    now = _pairs_working("school_pairs_supported", start, end)
    before = _pairs_working("school_pairs_supported", before_start, before_end)
    aggregates = {
        "iom_pairs": Count("school_pairs_supported", filter=now, distinct=True),
        "iom_pairs_before": Count("school_pairs_supported", filter=before, distinct=True),
        "iom_teachers": Count(
            "route_courses__person", filter=now & Q(route_courses__ends_on__gte=start), distinct=True
        ),
        "iom_teachers_before": Count(
            "route_courses__person", filter=before & Q(route_courses__ends_on__lte=before_end), distinct=True
        ),
    }
    return qs, aggregates


def _iom_rows(ctx) -> dict:
    return _shared_grouped(ctx, "_iom", _iom_query, org="")


def _teachers_trained_per_iom(ctx):
    """Сид 001, «Школа – Школе», ожидаемые результаты: «увеличение количества учителей, прошедших повышение
    квалификации в соответствии с ИОМ» — the distinct teachers of the partner (ШНОР) schools of the pairs working
    in the year whose course under ИОМ ended in the year; no pair working in the year: no value."""
    row = _iom_rows(ctx)[None]
    if not _n(row, "iom_pairs"):
        return {None: KpiValue(0, no_data=True, note=str(NO_PAIRS))}
    return {None: KpiValue(_n(row, "iom_teachers"))}


def _more_than_last_year(ctx, year: int) -> Target:
    """The portal's default target where the seed names no number: «не менее N + 1», N — the year before's
    teachers; no pair working the year before — no number, «нет данных за прошлый год»."""
    row = _iom_rows(ctx)[None]
    previous = _n(row, "iom_teachers_before") if _n(row, "iom_pairs_before") else None
    return Target(
        None if previous is None else Decimal(previous + 1),
        KpiTarget.Comparison.AT_LEAST,
        str(PEOPLE),
        f"{SCHOOL_TO_SCHOOL_RESULTS}; {DEFAULT_SOURCE}",
        previous_year=year - 1,
        previous_value=previous,
    )


PLACES = ("organisation", "municipality")
SCHOOL_STAFF = _(
    "педагогические работники школ по кадровому составу на 31.12 года (организации только с численностью в "
    "долю ДПО не входят: их работников не сопоставить с записями ДПО)"
)
FR_DIAG = Q(in_federal_registry=True, based_on_diagnostics=True)
CONTINUOUS_DIAG = Q(is_continuous_format=True, based_on_diagnostics=True)
# Приказ № 223/1: показатель 1 and результат 8 measure the same share against different targets — one computation.
_continuous_formats = _teachers_with_training("continuous", CONTINUOUS_DIAG, SCHOOLS)

ORDER_KPIS: list[KpiDefinition] = [
    KpiDefinition(
        "dpo-federal-registry-diagnostics",
        _("Доля педагогов, освоивших программы ДПО из Федерального реестра, подобранные по диагностике"),
        _(
            "педагогические работники, освоившие к концу года программу ДПО из Федерального реестра, подобранную по "
            "диагностике / педагогические работники школ, детских садов и организаций дополнительного образования "
            "по кадровому составу года × 100"
        ),
        PERCENT,
        _teachers_with_training("federal_registry", FR_DIAG, DISTRICT_SYSTEM),
        kind=SHARE,
        numerator=_(
            "работники состава, сопоставленные с человеком на портале, с записью ДПО «из Федерального реестра» и "
            "«по результатам диагностики» до 31.12"
        ),
        denominator=_(
            "педагогические работники школ, детских садов и организаций дополнительного образования по кадровому "
            "составу на 31.12 года (организации только с численностью в долю ДПО не входят: их работников не "
            "сопоставить с записями ДПО)"
        ),
        cumulative=True,
        group=ORDER,
        breakdowns=PLACES,
        covers=DISTRICT_SYSTEM,
        empty_note=NO_ROSTER,
    ),
    KpiDefinition(
        "management-teams-trained",
        _("Доля управленческих команд, принявших участие в программах повышения квалификации"),
        _(
            "организации, чья управленческая команда прошла программу повышения квалификации как команда к концу года "
            "/ организации с управленческой командой × 100"
        ),
        PERCENT,
        _management_teams,
        kind=SHARE,
        numerator=_(
            "организации, чья управленческая команда до 31.12 участвовала в программе повышения квалификации как "
            "команда: не меньше двух членов команды в одной программе (или вся команда, если в ней один человек); "
            "курс одного члена команды не засчитывается"
        ),
        denominator=_("организации, где в этом году есть хотя бы один член управленческой команды"),
        cumulative=True,
        group=ORDER,
        breakdowns=PLACES,
    ),
    KpiDefinition(
        "continuous-formats-diagnostics",
        _("Доля педагогов, прошедших повышение квалификации в форматах непрерывного образования по диагностике"),
        _(
            "педагогические работники школ с ДПО в формате непрерывного образования на основе диагностики к концу "
            "года / педагогические работники школ по кадровому составу года × 100"
        ),
        PERCENT,
        _continuous_formats,
        kind=SHARE,
        numerator=_(
            "работники состава, сопоставленные с человеком на портале, с записью ДПО «формат непрерывного "
            "образования» и «по результатам диагностики» до 31.12"
        ),
        denominator=SCHOOL_STAFF,
        cumulative=True,
        group=ORDER,
        breakdowns=PLACES,
        covers=SCHOOLS,
        empty_note=NO_ROSTER,
    ),
    KpiDefinition(
        "young-teachers-share",
        _("Доля учителей со стажем педагогической работы до пяти лет"),
        _("учителя школ со стажем меньше 5 лет / учителя школ с указанным стажем по кадровому составу года × 100"),
        PERCENT,
        _young_teachers,
        kind=SHARE,
        numerator=_("учителя со стажем 0–4 года по кадровому составу на 31.12 (или по численности школы)"),
        denominator=_(
            "учителя школ по кадровому составу на 31.12 года, у которых указан стаж; для школы без списка "
            "работников — учителя по численности персонала"
        ),
        group=ORDER,
        breakdowns=PLACES,
        covers=SCHOOLS,
        empty_note=NO_ROSTER,
    ),
    KpiDefinition(
        "higher-education-staffing",
        _("Укомплектованность школ педагогами с высшим образованием"),
        _(
            "педагогические работники школ с высшим образованием / педагогические работники школ с указанным "
            "уровнем образования по кадровому составу года × 100"
        ),
        PERCENT,
        _higher_education,
        kind=SHARE,
        numerator=_("педагогические работники школ с высшим образованием по кадровому составу (или по численности)"),
        denominator=_(
            "педагогические работники школ по кадровому составу на 31.12 года, у которых указан уровень образования; "
            "для школы без списка работников — по численности персонала"
        ),
        group=ORDER,
        breakdowns=PLACES,
        covers=SCHOOLS,
        empty_note=NO_ROSTER,
    ),
    KpiDefinition(
        "mentoring-model-schools",
        _("Доля школ, реализующих целевую модель наставничества"),
        _("школы, реализующие модель наставничества в году / все школы × 100"),
        PERCENT,
        _mentoring_schools,
        kind=SHARE,
        numerator=_(
            "школы, отметившие в сведениях за год «реализует целевую модель наставничества» (наставнические пары "
            "на портале сами по себе модель школы не образуют)"
        ),
        denominator=_("действующие школы"),
        group=ORDER,
        breakdowns=PLACES,
        covers=SCHOOLS,
    ),
    KpiDefinition(
        "remote-pd-share",
        _("Доля педагогов, прошедших повышение квалификации дистанционно"),
        _(
            "педагоги состава с дистанционным ДПО в году / педагоги состава, прошедшие ДПО в году × 100 "
            "(школы, детские сады, дополнительное образование)"
        ),
        PERCENT,
        _remote_training,
        kind=SHARE,
        numerator=_("педагоги состава, окончившие в году хотя бы один курс дистанционно, без отрыва от работы"),
        denominator=_(
            "педагогические работники по кадровому составу на 31.12 года, сопоставленные с человеком на портале и "
            "окончившие в году хотя бы один курс ДПО (организации только с численностью не входят)"
        ),
        group=ORDER,
        breakdowns=PLACES,
        covers=DISTRICT_SYSTEM,
        empty_note=NO_ROSTER,
    ),
    KpiDefinition(
        "prestige-burnout-events",
        _("Мероприятия по повышению значимости педагогического труда и профилактике выгорания"),
        _("мероприятия этого направления, проведённые в году"),
        EVENTS,
        _events(MunicipalEvent.Category.PROFESSION_STATUS),
        numerator=_("мероприятия муниципалитета с направлением «Повышение значимости педагогического труда»"),
        group=ORDER,
        breakdowns=PLACES,
    ),
    KpiDefinition(
        "pre-professional-events",
        _("Мероприятия по допрофессиональной подготовке обучающихся"),
        _("мероприятия этого направления, проведённые в году"),
        EVENTS,
        _events(MunicipalEvent.Category.PRE_PROFESSIONAL),
        numerator=_("мероприятия муниципалитета с направлением «Допрофессиональная подготовка обучающихся»"),
        group=ORDER,
        breakdowns=PLACES,
    ),
    KpiDefinition(
        "pedagogical-classes",
        _("Классы (группы) педагогической направленности"),
        _("сумма психолого-педагогических классов в сведениях школ за год"),
        ITEMS,
        _school_facts("pedagogical_classes"),
        numerator=_("психолого-педагогические классы по сведениям организаций за год"),
        group=ORDER,
        breakdowns=PLACES,
    ),
    KpiDefinition(
        "methodical-associations",
        _("Методические объединения и профессиональные сообщества педагогов"),
        _("сумма методических объединений в сведениях организаций за год"),
        ITEMS,
        _school_facts("methodical_associations"),
        numerator=_("методические объединения по сведениям организаций за год"),
        group=ORDER,
        breakdowns=PLACES,
    ),
    KpiDefinition(
        "continuous-formats-result-8",
        _(
            "Результат 8: доля педагогических работников общеобразовательных организаций, прошедших повышение "
            "квалификации в форматах непрерывного образования на основе диагностики профессиональных дефицитов"
        ),
        _("то же значение, что у показателя 1 приказа № 223/1, против цели результата 8 «не менее 80 %»"),
        PERCENT,
        _continuous_formats,
        kind=SHARE,
        numerator=_(
            "работники состава, сопоставленные с человеком на портале, с записью ДПО «формат непрерывного "
            "образования» и «по результатам диагностики» до 31.12"
        ),
        denominator=SCHOOL_STAFF,
        cumulative=True,
        group=ORDER,
        breakdowns=PLACES,
        covers=SCHOOLS,
        empty_note=NO_ROSTER,
    ),
    KpiDefinition(
        "low-result-schools",
        _("Количество школ с низкими результатами обучения"),
        _("школы, отмеченные в сведениях за год как школы с низкими образовательными результатами (ШНОР)"),
        SCHOOLS_UNIT,
        _low_result_schools,
        numerator=_(
            "школы со сведениями за год, где отмечено «школа с низкими образовательными результатами»; год, за "
            "который ни одна школа не внесла сведения, — «нет данных», не ноль"
        ),
        group=ORDER,
        breakdowns=(),
        covers=SCHOOLS,
        default_target=_fewer_than_last_year,
    ),
    KpiDefinition(
        "shnor-assessment-dynamics",
        _("Доля школ ШНОР с положительной динамикой результатов оценочных процедур"),
        _(
            "школы ШНОР пар «Школа – Школе», у которых доля низких результатов ВПР, ОГЭ, ЕГЭ снизилась к прошлому "
            "году / школы ШНОР пар года с результатами, сравнимыми с прошлым годом × 100"
        ),
        PERCENT,
        _shnor_dynamics,
        kind=SHARE,
        numerator=_(
            "школы ШНОР, у которых низких результатов (доля низких результатов × участники) по процедурам, "
            "предметам и классам, написанным в оба года, стало меньше в расчёте на участника, чем в прошлом году"
        ),
        denominator=_(
            "школы ШНОР пар «Школа – Школе», работавших в этом году, у которых есть результат одной и той же "
            "процедуры (ВПР, ОГЭ, ЕГЭ), предмета и класса за этот и прошлый год"
        ),
        group=ORDER,
        breakdowns=("municipality",),
        covers=SCHOOLS,
    ),
    KpiDefinition(
        "shnor-teachers-trained-per-iom",
        _("Учителя школ проекта «Школа – Школе», прошедшие ПК в соответствии с ИОМ"),
        _(
            "педагоги школ ШНОР пар «Школа – Школе», работавших в году, у которых курс повышения квалификации в "
            "соответствии с ИОМ окончился в этом году (каждый педагог — один раз)"
        ),
        PEOPLE,
        _teachers_trained_per_iom,
        numerator=_(
            "педагоги школ ШНОР пар года с записью ДПО «в соответствии с индивидуальным образовательным маршрутом "
            "(ИОМ)» и датой окончания в этом году; год, в котором не работала ни одна пара, — «нет данных», не ноль"
        ),
        group=ORDER,
        breakdowns=(),
        covers=SCHOOLS,
        default_target=_more_than_last_year,
    ),
]

# How the portal reads each order clause where its wording leaves a choice; shown beside the number on the
# dashboard, the KPI page and in the workbook («Прочтение приказа»). A coordinator changes the targets (years,
# values) in «Целевые значения KPI»; these readings are the portal's defaults and say so.
ORDER_READINGS = {
    "dpo-federal-registry-diagnostics": _(
        "Приказ № 1063-од, п. 6.2, показатель 1: «% с нарастающим итогом» — портал считает всех, кто освоил такую "
        "программу к 31 декабря года (в этом или прошлых годах), от всех педагогических работников школ, детских "
        "садов и дополнительного образования по кадровому составу на 31 декабря года. Организации, сдавшие только "
        "численность без списка работников, в долю не входят: их работников не сопоставить с записями ДПО."
    ),
    "management-teams-trained": _(
        "Приказ № 1063-од, п. 6.2, показатель 2: «% с нарастающим итогом – от общего количества управленческих "
        "команд района» — команда засчитывается, когда участвовала в программе как команда (не меньше двух её "
        "членов или вся команда из одного человека); курс одного члена команды — нет."
    ),
    "continuous-formats-diagnostics": _(
        "Приказ № 223/1, показатель 1 (2021 — 9 %, 2022 — 20 %, 2023 — 30 %): слов «с нарастающим итогом» в "
        "приказе нет; растущие цели портал по умолчанию читает как накопление — прошедшие такое повышение "
        "квалификации к 31 декабря года, в том числе в прошлые годы, от педагогических работников школ по кадровому "
        "составу года; школы, сдавшие только численность, в долю не входят (их ДПО не сопоставить поимённо)."
    ),
    "continuous-formats-result-8": _(
        "Приказ № 223/1, результат 8 («не менее 80 %») года не называет. Портал по умолчанию относит его к "
        "последнему году таблицы показателей проекта (2023); до этого года действует показатель 1. Год меняется "
        "в «Целевых значениях KPI»."
    ),
    "young-teachers-share": _(
        "Приказ № 223/1, показатель 2: учителя общеобразовательных организаций (не все педагогические "
        "работники), стаж педагогической работы меньше пяти лет — по кадровому составу на 31 декабря года или по "
        "численности персонала школы, если списка работников нет."
    ),
    "higher-education-staffing": _(
        "Приказ № 223/1, показатель 3: «укомплектованность … педагогическими кадрами, имеющими высшее "
        "образование» — портал считает долю педагогов школ с высшим образованием."
    ),
    "mentoring-model-schools": _(
        "Приказ № 223/1, результат 5: «не менее 10 % школ, далее ежегодно увеличение охвата школ на 10 %» — "
        "портал по умолчанию читает «на 10 процентных пунктов в год» (10 %, 20 %, 30 %)."
    ),
    "remote-pd-share": _(
        "Приказ № 223/1, результат 6: доля считается от педагогов, прошедших повышение квалификации в году, "
        "а не от всех педагогов — как сказано в приказе; педагоги — работники кадрового состава года, "
        "сопоставленные с человеком на портале (организации только с численностью не входят)."
    ),
    "prestige-burnout-events": _("Приказ № 223/1, результат 4: «не менее двух» мероприятий — в каждом году."),
    "pre-professional-events": _("Приказ № 223/1, результат 10: «не менее двух мероприятий» — в каждом году."),
    "pedagogical-classes": _(
        "Приказ № 223/1, результат 9: «функционируют классы (группы) педагогической направленности» — числа "
        "приказ не называет; портал по умолчанию ставит цель «не менее одного класса» в каждом году проекта."
    ),
    "methodical-associations": _(
        "Приказ № 223/1, результат 12: «не ниже 2020 года» — сумма методических объединений и профессиональных "
        "сообществ в сведениях организаций за год против значения 2020 года, которое вносит координатор "
        "(«Базовые значения KPI»); год без сведений — «нет данных», не ноль."
    ),
    "low-result-schools": _(
        "Сид 001, «Школа – Школе», ожидаемые результаты: «уменьшение количества школ, демонстрирующих низкие "
        "результаты обучения» — числа сид не называет. Цель портала по умолчанию — «не больше N − 1», где N — "
        "число ШНОР в прошлом году (при N = 0 — не больше 0); без сведений за прошлый год — «нет данных за прошлый "
        "год». Цель координатора на год в «Целевых значениях KPI» заменяет цель по умолчанию. ШНОР года — школы "
        "с отметкой в «Сведениях организаций за год»; текущая отметка школы — отметка её последнего года."
    ),
    "shnor-assessment-dynamics": _(
        "Сид 001, «Школа – Школе», ожидаемые результаты: «положительная динамика результатов оценочных процедур "
        "(ВПР, ОГЭ, ЕГЭ) обучающихся школ, демонстрирующих низкие результаты обучения». Школа ШНОР пары, "
        "работавшей в году, считается с положительной динамикой, если её доля низких результатов (отметки «2» "
        "ВПР и ОГЭ, ЕГЭ ниже минимального балла) по тем процедурам, предметам и классам, что есть за оба года, "
        "взвешенная по числу участников, снизилась к прошлому году; сравнение точное, без округления. Школа без "
        "сравнимых результатов в долю не входит. Числа сид не называет: цель задаёт координатор."
    ),
    "shnor-teachers-trained-per-iom": _(
        "Сид 001, «Школа – Школе», ожидаемые результаты: «увеличение количества учителей, прошедших повышение "
        "квалификации в соответствии с ИОМ» — числа сид не называет. Учитель считается в году, если он работает в "
        "школе ШНОР пары, работавшей в этом году, и в этом году окончил курс с отметкой «в соответствии с ИОМ»; "
        "два курса — один учитель; учителя школ-лидеров не считаются. Цель портала по умолчанию — «не менее N + 1», "
        "где N — число таких учителей в прошлом году (больше, чем в прошлом году); год, когда пар ещё не было, — "
        "«нет данных за прошлый год». Цель координатора на год в «Целевых значениях KPI» заменяет цель по умолчанию."
    ),
}
ORDER_KPIS = [replace(definition, reading=ORDER_READINGS.get(definition.code, "")) for definition in ORDER_KPIS]

ENROLLED = _("участия сезонов")
COHORT_TEXT = _("участвующие и завершившие программу")

PROGRAM_KPIS: list[KpiDefinition] = [
    KpiDefinition(
        "participants_applied",
        _("Заявки на рассмотрении"),
        _("Участия со статусом «Заявка подана»"),
        PEOPLE,
        _status_count(S.APPLIED),
        numerator=ENROLLED,
    ),
    KpiDefinition(
        "participants_active",
        _("Участвуют"),
        _("Участия со статусом «Участвует»"),
        PEOPLE,
        _status_count(S.ACTIVE),
        numerator=ENROLLED,
    ),
    KpiDefinition(
        "participants_completed",
        _("Завершили программу"),
        _("Участия со статусом «Завершил программу»"),
        PEOPLE,
        _status_count(S.COMPLETED),
        numerator=ENROLLED,
    ),
    KpiDefinition(
        "participants_withdrawn",
        _("Вышли добровольно"),
        _("Участия со статусом «Вышел добровольно»"),
        PEOPLE,
        _status_count(S.WITHDRAWN),
        numerator=ENROLLED,
    ),
    KpiDefinition(
        "participants_excluded",
        _("Исключены"),
        _("Участия со статусом «Исключён»"),
        PEOPLE,
        _status_count(S.EXCLUDED),
        numerator=ENROLLED,
    ),
    KpiDefinition(
        "retention",
        _("Сохранность контингента"),
        _("(участвуют + завершили) / все, кого когда-либо приняли в программу (включая выбывших и исключённых)"),
        PERCENT,
        _retention,
        kind=SHARE,
        numerator=COHORT_TEXT,
        denominator=_("принятые в программу, включая вышедших после приёма и исключённых"),
    ),
    KpiDefinition(
        "attendance_rate",
        _("Посещаемость"),
        _("отметки «Присутствовал» и «Опоздал» / все проставленные отметки посещаемости"),
        PERCENT,
        _attendance,
        kind=SHARE,
        numerator=_("отметки «Присутствовал» и «Опоздал»"),
        denominator=_("все отметки посещаемости"),
        breakdowns=("organisation", "municipality", "season", "activity"),
        quarterly=_attendance_quarters,
    ),
    KpiDefinition(
        "videos_on_time",
        _("Видеоуроки в срок"),
        _(
            "текущие версии видеоуроков участвующих, сданные без опоздания / "
            "(задания, срок которых наступил × участвующие)"
        ),
        PERCENT,
        _videos_on_time,
        kind=SHARE,
        numerator=_("текущие видеоуроки участвующих, сданные без опоздания"),
        denominator=_("пары «участвующий × задание, срок которого наступил»"),
    ),
    KpiDefinition(
        "missed_videos",
        _("Несданные видеоуроки"),
        _("Видеоуроки, не сданные к последнему сроку (с учётом продлений)"),
        ITEMS,
        _missed_videos,
        numerator=_("зафиксированные несданные видеоуроки"),
    ),
    KpiDefinition(
        "certificates_issued",
        _("Выдано сертификатов"),
        _("Действующие (не отозванные) сертификаты участников сезона"),
        ITEMS,
        _certificates,
        numerator=_("не отозванные сертификаты участников"),
    ),
    KpiDefinition(
        "feedback_coverage",
        _("Обратная связь за квартал"),
        _("участвующие, ответившие на обратную связь текущего квартала / все участвующие"),
        PERCENT,
        _feedback,
        kind=SHARE,
        numerator=_("участвующие, ответившие в текущем квартале"),
        denominator=_("участвующие"),
        quarterly=_feedback_quarters,
    ),
    KpiDefinition(
        "lesson_visit_coverage",
        _("Посещение уроков за квартал"),
        _("участники, чей урок посетили в текущем квартале / участвующие и завершившие программу × 100"),
        PERCENT,
        _visited,
        kind=SHARE,
        numerator=_("участники с посещением урока в квартале"),
        denominator=COHORT_TEXT,
        quarterly=_visited_quarters,
    ),
    KpiDefinition(
        "burnout_pulse",
        _("Пульс нагрузки и выгорания"),
        _("средняя оценка по вопросам-пульсу обратной связи текущего квартала (1–5)"),
        SCALE,
        _pulse,
        kind=MEAN,
        numerator=_("сумма оценок по вопросам-пульсу"),
        denominator=_("число оценок"),
        quarterly=_pulse_quarters,
    ),
    KpiDefinition(
        "review_turnaround_avg",
        _("Срок проверки видеоуроков (среднее)"),
        _("сумма часов от сдачи видеоурока до публикации рецензии / число опубликованных рецензий"),
        HOURS,
        _turnaround_avg,
        kind=MEAN,
        numerator=_("часы от сдачи до публикации рецензии, всего"),
        denominator=_("опубликованные рецензии"),
    ),
    KpiDefinition(
        "review_turnaround_median",
        _("Срок проверки видеоуроков (медиана)"),
        _("медиана часов от сдачи видеоурока до публикации рецензии"),
        HOURS,
        _turnaround_median,
        kind=MEDIAN,
        numerator=_("медиана по опубликованным рецензиям, ч"),
    ),
    KpiDefinition(
        "criterion_score_avg",
        _("Средний балл по критериям рубрики"),
        _("сумма баллов по критериям / число выставленных оценок по критериям (разбивка — по каждому критерию)"),
        POINTS,
        _criterion_scores,
        kind=MEAN,
        numerator=_("сумма баллов в выставленных и опубликованных рецензиях"),
        denominator=_("оценки по критериям"),
        breakdowns=("organisation", "municipality", "season", "criterion"),
    ),
    *[
        KpiDefinition(
            f"achievements_{level}",
            name,
            _("участники с подтверждённым достижением этого уровня / участвующие и завершившие программу × 100"),
            PERCENT,
            _achievements(level),
            kind=SHARE,
            numerator=_("участники с подтверждённым достижением (конкурс, публикация, выступление) этого уровня"),
            denominator=COHORT_TEXT,
        )
        for level, name in [
            (Achievement.Level.MUNICIPAL, _("Участники, активные на муниципальном уровне")),
            (Achievement.Level.REGIONAL, _("Участники, активные на региональном уровне")),
            (Achievement.Level.FEDERAL, _("Участники, активные на федеральном уровне")),
        ]
    ],
]

KPI_DEFINITIONS: list[KpiDefinition] = ORDER_KPIS + PROGRAM_KPIS
KPI_BY_CODE = {definition.code: definition for definition in KPI_DEFINITIONS}


# --- Targets and status -----------------------------------------------------------------------------------


class KpiStatus:
    MET, MISSED, NO_TARGET, NO_DATA, ENDED = "met", "missed", "no_target", "no_data", "ended"
    NO_BASELINE = "no_baseline"
    NO_PREVIOUS = "no_previous"
    LABELS = {
        MET: _("Достигнуто"),
        MISSED: _("Не достигнуто"),
        NO_TARGET: _("Цель не задана"),
        NO_DATA: _("Нет данных"),
        # A year after the order's last target year: the order sets nothing for it; its last target is shown.
        ENDED: _("Срок целей приказа истёк"),
        # «Не ниже уровня 2020 года» while the 2020 value has not been entered: the portal never guesses it.
        NO_BASELINE: _("Не внесено базовое значение"),
        # «Меньше, чем в прошлом году» (the portal's default target) while the year before has no data.
        NO_PREVIOUS: _("Нет данных за прошлый год"),
    }


@dataclass(frozen=True)
class Target:
    # None only for a «не ниже уровня базового года» target whose base-year value has not been entered.
    value: Decimal | None
    comparison: str
    unit: str
    source: str = ""
    # Set when the order's targets end before the year asked: the year of the last target, shown instead.
    last_year: int | None = None
    # «Не ниже уровня <года>»: the base year, and where its value comes from (reports.KpiBaseline.source).
    baseline_year: int | None = None
    baseline_source: str = ""
    # The portal's default «меньше (больше), чем в прошлом году» (KpiDefinition.default_target): the year before and
    # its value N (None: no data for that year, so no number); the target's value is N − 1 (N + 1).
    previous_year: int | None = None
    previous_value: int | None = None

    @property
    def source_label(self) -> str:
        """The order and clause that set the target, or the portal-default label when none is recorded."""
        text = self.source or str(DEFAULT_SOURCE)
        if self.baseline_year is not None and self.baseline_source:
            text = _("%(source)s; значение %(year)s года: %(origin)s") % {
                "source": text,
                "year": self.baseline_year,
                "origin": self.baseline_source,
            }
        return text

    @property
    def label(self) -> str:
        if self.previous_year is not None and self.comparison == KpiTarget.Comparison.AT_LEAST:
            if self.value is None:
                return _("больше, чем в %(year)s году — нет данных за %(year)s год") % {"year": self.previous_year}
            return _("не менее %(value)s %(unit)s (больше, чем %(n)s в %(year)s году)") % {
                "value": _number_text(self.value),
                "unit": self.unit,
                "n": self.previous_value,
                "year": self.previous_year,
            }
        if self.previous_year is not None:
            if self.value is None:
                return _("меньше, чем в %(year)s году — нет данных за %(year)s год") % {"year": self.previous_year}
            return _("не более %(value)s %(unit)s (меньше, чем %(n)s в %(year)s году)") % {
                "value": _number_text(self.value),
                "unit": self.unit,
                "n": self.previous_value,
                "year": self.previous_year,
            }
        if self.baseline_year is not None:
            if self.value is None:
                text = _("не ниже уровня %(year)s года — значение %(year)s года не внесено") % {
                    "year": self.baseline_year
                }
            else:
                text = _("не ниже уровня %(year)s года (%(value)s)") % {
                    "year": self.baseline_year,
                    "value": _number_text(self.value),
                }
        else:
            words = KpiTarget.Comparison(self.comparison).label
            text = f"{words} {_number_text(self.value)} {self.unit}".strip()
        if self.last_year is not None:
            return _("%(target)s — последняя цель приказа, на %(year)s год") % {"target": text, "year": self.last_year}
        return text


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def kpi_target(*, code: str, municipality: Municipality | int | None, year: int) -> Target | None:
    """The order's target for one KPI, municipality and year (one query); None when the order sets none."""
    return _targets(codes=[code], municipality=municipality, years=[year]).get((code, year))


BASELINE_PLACES = Decimal(1).scaleb(-KpiBaseline._meta.get_field("value").decimal_places)


def _as_stored(value: Decimal | None) -> Decimal | None:
    # SQLite hands a subquery's decimal back unquantized (31, not 31.00): shown as the column stores it.
    return None if value is None else Decimal(value).quantize(BASELINE_PLACES)


def _targets(*, codes: Iterable[str], municipality, years: Iterable[int]) -> dict[tuple[str, int], Target]:
    """Targets of a municipality; without one (the whole region), a target all municipalities agree on.

    A year after the order's horizon (its targets stop at 2023 or 2024) gets the order's last target marked with
    `last_year`, so the page says the horizon has ended instead of «Цель не задана»; a year before the first
    target has none. A «не ниже уровня 2020 года» target takes its number from the municipality's KpiBaseline
    of that year (read with the targets, unique per municipality, code and year). One query.
    """
    municipality_id = getattr(municipality, "pk", municipality)
    years = list(years)
    if not years:
        return {}
    codes = set(codes)
    qs = KpiTarget.objects.filter(code__in=codes, year__lte=max(years))
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    baseline = KpiBaseline.objects.filter(
        municipality=OuterRef("municipality"), code=OuterRef("code"), year=OuterRef("baseline_year")
    )
    qs = qs.annotate(
        baseline_value=Subquery(baseline.values("value")[:1]),
        baseline_source=Subquery(baseline.values("source")[:1]),
    )
    rows = list(
        qs.values_list(
            "code",
            "year",
            "value",
            "comparison",
            "unit",
            "source",
            "baseline_year",
            "baseline_value",
            "baseline_source",
        )
    )
    found: dict[tuple[str, int], set] = defaultdict(set)
    for code, year, value, comparison, unit, source, baseline_year, baseline_value, baseline_source in rows:
        origin = ""
        if baseline_year is not None:
            value, origin = _as_stored(baseline_value), baseline_source or ""
        found[code, year].add(Target(value, comparison, unit, source, None, baseline_year, origin))
    agreed = {
        key: next(iter(values))
        for key, values in found.items()
        if len({(t.value, t.comparison, t.baseline_year) for t in values}) == 1
    }
    last_year: dict[str, int] = {}
    for code, year in found:
        last_year[code] = max(year, last_year.get(code, year))
    result = {}
    for code in codes:
        for year in years:
            if (code, year) in agreed:
                result[code, year] = agreed[code, year]
            elif code in last_year and year > last_year[code] and (code, last_year[code]) in agreed:
                result[code, year] = replace(agreed[code, last_year[code]], last_year=last_year[code])
    return result


def kpi_status(value, target: Target | None) -> str:
    """Met or missed against the order's target, on the exact value: a KpiValue is compared unrounded
    (numerator / denominator), so 17 of 110 (15,45 %) misses «не менее 15,5 %» though it displays as 15,5."""
    exact = value.exact if isinstance(value, KpiValue) else (None if value is None else Fraction(str(value)))
    if exact is None:
        return KpiStatus.NO_DATA
    if target is None:
        return KpiStatus.NO_TARGET
    if target.last_year is not None:
        return KpiStatus.ENDED
    if target.value is None:
        return KpiStatus.NO_PREVIOUS if target.previous_year is not None else KpiStatus.NO_BASELINE
    goal = Fraction(target.value)
    ok = exact >= goal if target.comparison == KpiTarget.Comparison.AT_LEAST else exact <= goal
    return KpiStatus.MET if ok else KpiStatus.MISSED


# --- Results ------------------------------------------------------------------------------------------------


@dataclass
class KpiResult:
    code: str
    name: str
    formula: str
    numerator_text: str
    denominator_text: str
    unit: str
    cumulative: bool
    group: str
    year: int
    value: float | int | None
    numerator: int | float
    denominator: int | None
    target: Decimal | None
    target_label: str
    comparison: str
    status: str
    status_label: str
    # Where the target comes from (order and clause); "" without a target.
    target_source: str = ""
    # How the portal reads the order's clause (KpiDefinition.reading); "" where the wording is unambiguous.
    reading: str = ""
    # Why there is no value, or what it leaves out (KpiValue.note): «нет данных за год: …».
    note: str = ""

    def as_json(self) -> dict:
        """What a period snapshot keeps: numbers and the target as they were."""
        return {
            "name": self.name,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "unit": self.unit,
            "target": None if self.target is None else str(self.target),
            "comparison": self.comparison,
            "status": self.status,
        }


@dataclass
class KpiBreakdownRow:
    key: int | None
    label: str
    value: float | int | None
    numerator: int | float
    denominator: int | None
    status: str = ""
    status_label: str = ""
    note: str = ""


@dataclass
class KpiQuarterRow:
    year: int
    quarter: int
    label: str
    value: float | int | None
    numerator: int | float
    denominator: int | None


def _result(definition: KpiDefinition, value: KpiValue, target: Target | None, year: int) -> KpiResult:
    status = kpi_status(value, target)
    return KpiResult(
        code=definition.code,
        name=str(definition.name),
        formula=str(definition.formula),
        numerator_text=str(definition.numerator),
        denominator_text=str(definition.denominator),
        unit=str(definition.unit),
        cumulative=definition.cumulative,
        group=definition.group,
        year=year,
        value=value.value,
        numerator=value.numerator,
        denominator=value.denominator,
        target=target.value if target else None,
        target_label=target.label if target else "",
        comparison=target.comparison if target else "",
        status=status,
        status_label=str(KpiStatus.LABELS[status]),
        target_source=target.source_label if target else "",
        reading=str(definition.reading),
        note=value.note,
    )


def _scope_municipality(scope: KpiScope) -> int | None:
    if scope.municipality_id or not scope.organisation_id:
        return scope.municipality_id
    return Organisation.objects.filter(pk=scope.organisation_id).values_list("municipality_id", flat=True).first()


def kpi_report(
    *,
    scope: KpiScope,
    now: datetime | None = None,
    codes: Iterable[str] | None = None,
    seasons: Iterable[Season] | None = None,
) -> list[KpiResult]:
    """Every KPI (or the given codes) for the scope, in definition order, with its target and status. `seasons`:
    the scope's seasons (KpiContext.seasons) when the caller has read them already (the dashboard's filters)."""
    now = now or timezone.now()
    definitions = [d for d in KPI_DEFINITIONS if codes is None or d.code in set(codes)]
    ctx = KpiContext(scope, now, seasons=None if seasons is None else sorted(seasons, key=lambda s: s.pk))
    targets = _targets(codes=[d.code for d in definitions], municipality=_scope_municipality(scope), years=[scope.year])
    results = []
    for definition in definitions:
        value = ctx.values(definition).get(None) or definition.empty()
        target = _target_or_default(definition, targets, ctx, scope.year)
        results.append(_result(definition, value, target, scope.year))
    return results


def _target_or_default(definition: KpiDefinition, targets: dict, ctx: KpiContext, year: int) -> Target | None:
    """The coordinator's (or the order's) target of the year, else the KPI's portal default, if it has one."""
    target = targets.get((definition.code, year))
    if target is None and definition.default_target is not None:
        return definition.default_target(ctx, year)
    return target


def kpi_years(*, code: str, scope: KpiScope, years: Iterable[int], now: datetime | None = None) -> list[KpiResult]:
    """One KPI for each calendar year, against that year's target («value vs target per year»)."""
    now = now or timezone.now()
    definition = KPI_BY_CODE[code]
    years = list(years)
    targets = _targets(codes=[code], municipality=_scope_municipality(scope), years=years)
    results = []
    if definition.group == PROGRAM and years:
        # Every year in one pass: the scope's seasons grouped by season, summed into the years they overlap.
        values = KpiContext(replace(scope, until=None), now, "year", years=years).values(definition)
        for year in years:
            value = values.get(year) or definition.empty()
            results.append(_result(definition, value, targets.get((code, year)), year))
        return results
    # An order KPI: a context per year, their shared queries run once for all the years (KpiContext.year_batch).
    contexts = [KpiContext(replace(scope, year=year, until=None), now) for year in years]
    for ctx in contexts:
        ctx.year_batch = contexts
    for year, ctx in zip(years, contexts, strict=True):
        value = ctx.values(definition).get(None) or definition.empty()
        results.append(_result(definition, value, _target_or_default(definition, targets, ctx, year), year))
    return results


def natural_key(text: str) -> str:
    """Sort key reading the numbers in a name as numbers: «№ 3» before «№ 11», «СОШ № 2» before «СОШ № 19» — the
    organisations' own key (core.natural_sort), so a workbook lists them as every page does."""
    return natural_sort_key(text)


def _labels(by: str, keys: set, scope: KpiScope, ctx: KpiContext) -> dict:
    """Names of the breakdown's rows (one query); per school and municipality every one in scope is listed."""
    known = [key for key in keys if key is not None]
    if by == "organisation":
        qs = Organisation.objects.filter(Q(pk__in=known) | SCHOOL)
        if scope.municipality_id:
            qs = qs.filter(municipality_id=scope.municipality_id)
        if scope.organisation_id:
            qs = qs.filter(pk=scope.organisation_id)
        rows = sorted(qs.values_list("pk", "short_name"), key=lambda row: natural_key(row[1]))
        return dict(rows)
    if by == "municipality":
        qs = Municipality.objects.all()
        if scope.municipality_id:
            qs = qs.filter(pk=scope.municipality_id)
        return dict(qs.order_by("name").values_list("pk", "name"))
    if by == "season":
        # A municipality's own programs' seasons are listed even without data; another municipality's season
        # only when people of the scope took part in it.
        return {
            season.pk: str(season)
            for season in ctx.seasons
            if season.pk in keys or not scope.municipality_id or season.program.municipality_id == scope.municipality_id
        }
    if by == "activity":
        return dict(Activity.objects.filter(pk__in=known).order_by("season", "order", "pk").values_list("pk", "title"))
    qs = RubricCriterion.objects.filter(pk__in=known).select_related("rubric").order_by("rubric", "order", "pk")
    return {c.pk: f"{c.title} (из {c.max_points})" for c in qs}


def kpi_breakdown(
    *, code: str, scope: KpiScope, by: str = "organisation", now: datetime | None = None
) -> list[KpiBreakdownRow]:
    """One KPI per organisation, municipality, season (or activity / criterion where the KPI has it): one grouped
    query plus one for the row names, whatever the number of rows. Status is against the scope's target."""
    return kpi_breakdowns(codes=[code], scope=scope, by=by, now=now)[code]


def kpi_breakdowns(
    *, codes: Iterable[str], scope: KpiScope, by: str = "organisation", now: datetime | None = None
) -> dict[str, list[KpiBreakdownRow]]:
    """Several KPIs broken down the same way, each as kpi_breakdown gives it, measured in one context: the
    aggregates they share (enrollments by status, attendance marks, staff headcounts) are counted once for all of
    them and their targets read in one go, not once per KPI (the workbook's long tables)."""
    definitions = [KPI_BY_CODE[code] for code in codes]
    for definition in definitions:
        if by not in definition.breakdowns:
            raise ValueError(f"{definition.code} has no breakdown by {by}")
    ctx = KpiContext(scope, now or timezone.now(), by)
    targets = _targets(codes=[d.code for d in definitions], municipality=_scope_municipality(scope), years=[scope.year])
    # A KPI with a default target has no breakdown: its default is the scope's own year before, not a row's.
    return {d.code: _breakdown_rows(d, ctx, targets.get((d.code, scope.year))) for d in definitions}


def _breakdown_rows(definition: KpiDefinition, ctx: KpiContext, target: Target | None) -> list[KpiBreakdownRow]:
    values = ctx.values(definition)
    labels = _labels(ctx.by, set(values), ctx.scope, ctx)
    rows = []
    for key, label in list(labels.items()) + [(k, None) for k in values if k not in labels]:
        value = values.get(key) or definition.empty()
        status = kpi_status(value, target)
        rows.append(
            KpiBreakdownRow(
                key=key,
                label=label or str(_("Без организации")),
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                status=status,
                status_label=str(KpiStatus.LABELS[status]),
                note=value.note,
            )
        )
    return rows


def _quarter_range(ctx: KpiContext) -> list[tuple[int, int]]:
    if ctx.seasons:
        first, last = min(s.starts_on for s in ctx.seasons), max(s.ends_on for s in ctx.seasons)
    else:
        first, last = ctx.scope.year_start, ctx.scope.year_end
    quarters, year, quarter = [], first.year, (first.month - 1) // 3 + 1
    while (year, quarter) <= (last.year, (last.month - 1) // 3 + 1):
        quarters.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return quarters


def kpi_quarters(*, code: str, scope: KpiScope, now: datetime | None = None) -> list[KpiQuarterRow]:
    """A program KPI per calendar quarter over the scope's seasons (every quarter listed, no data = None)."""
    definition = KPI_BY_CODE[code]
    if definition.quarterly is None:
        raise ValueError(f"{code} has no quarterly trend")
    ctx = KpiContext(scope, now or timezone.now())
    values = definition.quarterly(ctx)
    rows = []
    for year, quarter in sorted(set(_quarter_range(ctx)) | set(values)):
        value = values.get((year, quarter)) or definition.empty()
        label = _("%(quarter)s кв. %(year)s") % {"quarter": quarter, "year": year}
        rows.append(KpiQuarterRow(year, quarter, str(label), value.value, value.numerator, value.denominator))
    return rows


QUARTERLY_CODES = [d.code for d in KPI_DEFINITIONS if d.quarterly is not None]


def kpi_values(*, seasons: Iterable[Season], now: datetime) -> dict[int, dict[str, dict]]:
    """Every program KPI for every season, JSON-ready: {season id: {code: {"value", "numerator", ...}}}."""
    seasons = list(seasons)
    scope = KpiScope(year=timezone.localdate(now).year, season_ids=tuple(s.pk for s in seasons) or (0,))
    ctx = KpiContext(scope, now, "season", seasons)
    result: dict[int, dict[str, dict]] = {season.pk: {} for season in seasons}
    for definition in PROGRAM_KPIS:
        values = ctx.values(definition)
        for season in seasons:
            result[season.pk][definition.code] = definition.as_json(values.get(season.pk) or definition.empty())
    return result


__all__ = [
    "KPI_BY_CODE",
    "KPI_DEFINITIONS",
    "ORDER_KPIS",
    "PROGRAM_KPIS",
    "QUARTERLY_CODES",
    "KpiBreakdownRow",
    "KpiDefinition",
    "KpiQuarterRow",
    "KpiResult",
    "KpiScope",
    "KpiStatus",
    "KpiValue",
    "Target",
    "kpi_breakdown",
    "kpi_breakdowns",
    "kpi_quarters",
    "kpi_report",
    "kpi_status",
    "kpi_target",
    "kpi_values",
    "unit_for",
]
