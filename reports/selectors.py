"""Reads shared by the KPI dashboard pages and the KPI workbook: what the reader asked for, narrowed to what
they may see (reports.rules.dashboard_scope), turned into a reports.kpi.KpiScope."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from urllib.parse import urlencode

from django import forms
from django.db.models import Max, Min, QuerySet, Subquery
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from core.zones import as_zone
from programs.models import Municipality, Organisation, Season

from .charts import MET, MISSED, NEUTRAL, Point, bar_chart, hbar_chart, line_chart
from .filters import DashboardFilterSet
from .kpi import (
    KPI_BY_CODE,
    ORDER,
    PERCENT,
    SCHOOL,
    KpiBreakdownRow,
    KpiDefinition,
    KpiQuarterRow,
    KpiResult,
    KpiScope,
    KpiStatus,
    kpi_breakdown,
    kpi_quarters,
    kpi_report,
    kpi_years,
)
from .kpi_cache import FILTER_TTL_SECONDS, kpi_cached
from .rules import DashboardScope, dashboard_scope

FIRST_ORDER_YEAR = 2021  # the earliest yearly target of the orders (seed 003)


@dataclass(frozen=True)
class DashboardFilters:
    form: forms.Form  # reports.filters.DashboardFilterSet's
    access: DashboardScope
    scope: KpiScope
    year: int
    years: list[int]
    season: Season | None
    # The seasons the scope's KPIs read (reports.kpi.KpiContext.seasons, ordered by id): the chosen one, else every
    # season overlapping the year, whatever its municipality; None: the KPI engine reads them itself.
    kpi_seasons: tuple[Season, ...] | None = None

    @property
    def municipality(self) -> Municipality | None:
        return self.access.municipality

    @property
    def organisation(self) -> Organisation | None:
        return self.access.organisation

    @property
    def time_zone(self) -> tzinfo:
        """Whose clock the numbers are read on: the season's, else the municipality's, else the portal's."""
        if self.season is not None:
            return self.season.tz
        return as_zone(self.municipality.time_zone if self.municipality is not None else None)

    def params(self) -> dict:
        """The filters as GET parameters (for links between the pages and the workbook's job parameters)."""
        params = {"year": self.year}
        if self.season is not None:
            params["season"] = self.season.pk
        if self.municipality is not None and self.access.may_choose_municipality:
            params["municipality"] = self.municipality.pk
        if self.organisation is not None and self.access.may_choose_organisation:
            params["organisation"] = self.organisation.pk
        return params

    def query_string(self) -> str:
        return urlencode(self.params())


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _season_years() -> tuple[int | None, int | None]:
    bounds = Season.objects.aggregate(first=Min("starts_on"), last=Max("ends_on"))
    return _years_of(bounds["first"], bounds["last"])


def _years_of(first: date | None, last: date | None) -> tuple[int | None, int | None]:
    return (first.year if first else None, last.year if last else None)


def _with_season_span(municipalities: QuerySet[Municipality]) -> QuerySet[Municipality]:
    """The municipalities with the seasons' span (every season's, not theirs) for the year list: read with the
    reader's municipality, the span costs no query of its own."""
    return municipalities.annotate(
        seasons_first=Subquery(Season.objects.order_by("starts_on").values("starts_on")[:1]),
        seasons_last=Subquery(Season.objects.order_by("-ends_on").values("ends_on")[:1]),
    )


def dashboard_years(*, today: date, span: tuple[int | None, int | None] | None = None) -> list[int]:
    """From the orders' first target year to the last season's (or this) year, newest first. The seasons' span
    (first and last year) is `span` when the caller read it already, else one query, cached with the KPIs (a
    season saved makes it stale like any KPI)."""
    if span is None:
        span = kpi_cached(("season-years",), _season_years, ttl=FILTER_TTL_SECONDS).value
    first_season, last_season = span
    first = min(FIRST_ORDER_YEAR, first_season or today.year)
    last = max(today.year, last_season or today.year)
    return list(range(last, first - 1, -1))


def dashboard_filters(*, user, data: QueryDict | dict, today: date | None = None) -> DashboardFilters:
    """The reader's filters. A municipality or school outside the reader's own raises Http404 (like a missing
    one); a malformed value is a form error shown at its field and replaced by the default."""
    today = today or timezone.localdate()
    access = dashboard_scope(
        user,
        municipality_id=_int(data.get("municipality")),
        organisation_id=_int(data.get("organisation")),
        municipalities=_with_season_span(Municipality.objects.all()),
    )
    # A director's municipality comes with their school, without the span: then the span is read (or cached) apart.
    span = None
    if access.municipality is not None and hasattr(access.municipality, "seasons_first"):
        span = _years_of(access.municipality.seasons_first, access.municipality.seasons_last)
    years = dashboard_years(today=today, span=span)
    raw_year = _int(data.get("year"))
    year = raw_year if raw_year in years else today.year

    municipalities = Municipality.objects.order_by("name")
    if not access.may_choose_municipality:
        municipalities = municipalities.filter(pk=access.municipality.pk) if access.municipality else municipalities
    organisations = Organisation.objects.none()
    if access.municipality is not None:
        organisations = Organisation.objects.filter(SCHOOL, municipality=access.municipality).order_by("sort_key", "pk")
        if not access.may_choose_organisation and access.organisation is not None:
            organisations = organisations.filter(pk=access.organisation.pk)
    seasons = (
        Season.objects.select_related("program")
        .filter(starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1))
        .order_by("program__title", "-starts_on")
    )
    # Every season of the year, read once: the KPIs measure them all (a municipality's scope counts its people in
    # any municipality's program, reports.kpi), the season filter offers the reader's municipality's among them.
    year_seasons = list(seasons)
    season_rows = year_seasons
    if access.municipality is not None:
        seasons = seasons.filter(program__municipality=access.municipality)
        season_rows = [s for s in year_seasons if s.program.municipality_id == access.municipality.pk]

    initial = {
        "year": year,
        "municipality": access.municipality.pk if access.municipality else None,
        "organisation": access.organisation.pk if access.organisation else None,
    }
    bound = {key: data.get(key) for key in ("year", "season", "municipality", "organisation") if data.get(key)}
    form = DashboardFilterSet(
        {**{k: v for k, v in initial.items() if v is not None}, **bound} if bound else None,
        initial=initial,
        years=years,
        seasons=seasons,
        season_rows=season_rows,
        municipalities=municipalities,
        organisations=organisations,
    ).form
    season = None
    if form.is_bound and form.is_valid():
        season = form.cleaned_data["season"]
    elif form.is_bound and "season" not in form.errors:
        season = form.cleaned_data.get("season")
    scope = KpiScope(
        year=year,
        season_ids=(season.pk,) if season else (),
        municipality_id=access.municipality.pk if access.municipality else None,
        organisation_id=access.organisation.pk if access.organisation else None,
    )
    return DashboardFilters(
        form=form,
        access=access,
        scope=scope,
        year=year,
        years=years,
        season=season,
        kpi_seasons=(season,) if season else tuple(sorted(year_seasons, key=lambda s: s.pk)),
    )


# --- The dashboard pages: what they show, assembled here so the views stay thin -------------------------------

CHART_STATUS = {KpiStatus.MET: MET, KpiStatus.MISSED: MISSED}
YEARS_OF_PROGRAM_KPIS = 4  # a program KPI's «value per year» chart: this year and the three before


def chart_status(status: str) -> str:
    """A KPI status as a chart colour: met → green, missed → red, no target / no data → neutral."""
    return CHART_STATUS.get(status, NEUTRAL)


def _target(result: KpiResult) -> float | None:
    return float(result.target) if result.target is not None else None


@dataclass(frozen=True)
class DashboardOverview:
    """The overview page: every KPI of the scope, split into the orders' and the programs'."""

    order: list[KpiResult]
    program: list[KpiResult]
    order_chart: SafeString | None  # the order KPIs measured in % (value vs target); None when there is none
    as_of: datetime | None = None  # when the numbers were computed (they may come from the KPI cache)


CHART_LABEL = 26  # characters of a bar's label that fit the horizontal chart's label column in Cyrillic


def _short(label: str) -> str:
    """A bar's label cut to fit the chart (the full name is in the table that follows every chart)."""
    return label if len(label) <= CHART_LABEL else label[: CHART_LABEL - 1].rstrip() + "…"


def _numbered(index: int, name: str) -> str:
    # Long names are cut; the number ties a bar to its row of the table below.
    return _short(f"{index}. {name}")


def _overview_compute(scope: KpiScope, now: datetime, seasons: tuple[Season, ...] | None = None) -> DashboardOverview:
    results = kpi_report(scope=scope, now=now, seasons=seasons)
    order = [r for r in results if r.group == ORDER]
    program = [r for r in results if r.group != ORDER]
    points = [
        Point(_numbered(index, r.name), r.value, _target(r), chart_status(r.status))
        for index, r in enumerate(order, start=1)
        if r.unit == PERCENT
    ]
    chart = hbar_chart(title=gettext("Показатели приказов, %"), points=points) if points else None
    return DashboardOverview(order=order, program=program, order_chart=chart)


def dashboard_overview(*, filters: DashboardFilters, now: datetime) -> DashboardOverview:
    """Every KPI for the reader's filters and the chart of the order KPIs in %: computed (a constant number of
    queries) once per scope until the KPI data change (reports.kpi_cache), then read from the cache."""
    cached = kpi_cached(
        ("overview", filters.scope), lambda: _overview_compute(filters.scope, now, filters.kpi_seasons), now=now
    )
    return replace(cached.value, as_of=cached.computed_at)


@dataclass(frozen=True)
class KpiBreakdown:
    """One breakdown of a KPI (per school, municipality, season, activity or criterion) with its chart."""

    by: str
    title: str
    label_heading: str
    rows: list[KpiBreakdownRow]
    chart: SafeString


@dataclass(frozen=True)
class KpiDetail:
    result: KpiResult
    years: list[KpiResult]
    years_chart: SafeString
    years_cover_all_seasons: bool  # a season was chosen, but each year's bar counts every season of that year
    quarters: list[KpiQuarterRow]
    quarters_chart: SafeString | None
    breakdowns: list[KpiBreakdown]
    as_of: datetime | None = None  # when the numbers were computed (they may come from the KPI cache)

    @property
    def definition(self) -> KpiDefinition:
        # Looked up, not stored: a definition holds functions, and the page is kept in the cache.
        return KPI_BY_CODE[self.result.code]


BREAKDOWN_TITLES = {
    "organisation": (gettext_lazy("По школам"), gettext_lazy("Школа")),
    "municipality": (gettext_lazy("По муниципалитетам"), gettext_lazy("Муниципалитет")),
    "season": (gettext_lazy("По сезонам программ"), gettext_lazy("Сезон")),
    "activity": (gettext_lazy("По мероприятиям программы"), gettext_lazy("Мероприятие")),
    "criterion": (gettext_lazy("По критериям рубрики"), gettext_lazy("Критерий")),
}


def kpi_detail_breakdowns(filters: DashboardFilters, definition: KpiDefinition) -> list[str]:
    """Which breakdowns a KPI's page shows for these filters: per school inside one municipality (all of its
    schools, so not when one school is chosen), per municipality region-wide (only a reader who may choose one),
    per season when no season is chosen, per activity / criterion always where the KPI has them."""
    shown = []
    for by in definition.breakdowns:
        if by == "organisation" and (filters.municipality is None or filters.organisation is not None):
            continue
        if by == "municipality" and (filters.municipality is not None or not filters.access.may_choose_municipality):
            continue
        if by == "season" and filters.season is not None:
            continue
        shown.append(by)
    return shown


def kpi_detail_years(filters: DashboardFilters, definition: KpiDefinition) -> list[int]:
    """The years of the «value and target per year» chart, oldest first: for an order KPI every year the orders
    set targets for up to the chosen one (2021–…), for a program KPI the chosen year and the three before."""
    if definition.group == ORDER:
        return sorted(year for year in filters.years if FIRST_ORDER_YEAR <= year <= filters.year)
    return list(range(filters.year - YEARS_OF_PROGRAM_KPIS + 1, filters.year + 1))


def kpi_detail_data(*, filters: DashboardFilters, code: str, now: datetime) -> KpiDetail:
    """Everything a KPI's page shows: its value against the target, the value per year, the quarterly trend (when
    it has one) and its breakdowns, with a chart each. Raises Http404 for an unknown code. The number of queries
    depends on the KPI and the filters only, never on the number of schools, seasons or participants."""
    definition = KPI_BY_CODE.get(code)
    if definition is None:
        raise Http404
    years = tuple(kpi_detail_years(filters, definition))
    shown = tuple(kpi_detail_breakdowns(filters, definition))
    cached = kpi_cached(
        ("detail", code, filters.scope, years, shown),
        lambda: _detail_compute(definition, filters.scope, years=years, shown=shown, now=now),
        now=now,
    )
    return replace(cached.value, as_of=cached.computed_at)


def _detail_compute(
    definition: KpiDefinition, scope: KpiScope, *, years: tuple[int, ...], shown: tuple[str, ...], now: datetime
) -> KpiDetail:
    code = definition.code
    unit = str(definition.unit)
    (result,) = kpi_report(scope=scope, now=now, codes=[code])

    # Per year: a chosen season lies in one or two years, so each year's bar counts that year's seasons.
    years = kpi_years(code=code, scope=replace(scope, season_ids=()), years=years, now=now)
    years_chart = bar_chart(
        title=gettext("%(name)s: значение и цель по годам") % {"name": result.name},
        points=[Point(str(r.year), r.value, _target(r), chart_status(r.status)) for r in years],
        unit=unit,
    )

    quarters, quarters_chart = [], None
    if definition.quarterly is not None:
        quarters = kpi_quarters(code=code, scope=scope, now=now)
        quarters_chart = line_chart(
            title=gettext("%(name)s: динамика по кварталам") % {"name": result.name},
            labels=[row.label for row in quarters],
            series=[(result.name, [row.value for row in quarters])],
            unit=unit,
        )

    breakdowns = []
    for by in shown:
        rows = kpi_breakdown(code=code, scope=scope, by=by, now=now)
        title, heading = BREAKDOWN_TITLES[by]
        chart = hbar_chart(
            title=f"{result.name}: {str(title).lower()}",
            points=[Point(_short(row.label), row.value, _target(result), chart_status(row.status)) for row in rows],
            unit=unit,
        )
        breakdowns.append(KpiBreakdown(by, str(title), str(heading), rows, chart))

    return KpiDetail(
        result=result,
        years=years,
        years_chart=years_chart,
        years_cover_all_seasons=bool(scope.season_ids),
        quarters=quarters,
        quarters_chart=quarters_chart,
        breakdowns=breakdowns,
    )
