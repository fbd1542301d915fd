"""Reads shared by the KPI dashboard pages and the KPI workbook: what the reader asked for, narrowed to what
they may see (reports.rules.dashboard_scope), turned into a reports.kpi.KpiScope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Max, Min
from django.http import QueryDict
from django.utils import timezone

from programs.models import Municipality, Organisation, Season

from .forms import DashboardFilterForm
from .kpi import SCHOOL, KpiScope
from .rules import DashboardScope, dashboard_scope

FIRST_ORDER_YEAR = 2021  # the earliest yearly target of the orders (seed 003)


@dataclass(frozen=True)
class DashboardFilters:
    form: DashboardFilterForm
    access: DashboardScope
    scope: KpiScope
    year: int
    years: list[int]
    season: Season | None

    @property
    def municipality(self) -> Municipality | None:
        return self.access.municipality

    @property
    def organisation(self) -> Organisation | None:
        return self.access.organisation

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


def dashboard_years(*, today: date) -> list[int]:
    """From the orders' first target year to the last season's (or this) year, newest first (one query)."""
    bounds = Season.objects.aggregate(first=Min("starts_on"), last=Max("ends_on"))
    first = min(FIRST_ORDER_YEAR, bounds["first"].year if bounds["first"] else today.year)
    last = max(today.year, bounds["last"].year if bounds["last"] else today.year)
    return list(range(last, first - 1, -1))


def dashboard_filters(*, user, data: QueryDict | dict, today: date | None = None) -> DashboardFilters:
    """The reader's filters. A municipality or school outside the reader's own raises Http404 (like a missing
    one); a malformed value is a form error shown at its field and replaced by the default."""
    today = today or timezone.localdate()
    access = dashboard_scope(
        user, municipality_id=_int(data.get("municipality")), organisation_id=_int(data.get("organisation"))
    )
    years = dashboard_years(today=today)
    raw_year = _int(data.get("year"))
    year = raw_year if raw_year in years else today.year

    municipalities = Municipality.objects.order_by("name")
    if not access.may_choose_municipality:
        municipalities = municipalities.filter(pk=access.municipality.pk) if access.municipality else municipalities
    organisations = Organisation.objects.none()
    if access.municipality is not None:
        organisations = Organisation.objects.filter(SCHOOL, municipality=access.municipality).order_by("short_name")
        if not access.may_choose_organisation and access.organisation is not None:
            organisations = organisations.filter(pk=access.organisation.pk)
    seasons = (
        Season.objects.select_related("program")
        .filter(starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1))
        .order_by("program__title", "-starts_on")
    )
    if access.municipality is not None:
        seasons = seasons.filter(program__municipality=access.municipality)

    initial = {
        "year": year,
        "municipality": access.municipality.pk if access.municipality else None,
        "organisation": access.organisation.pk if access.organisation else None,
    }
    bound = {key: data.get(key) for key in ("year", "season", "municipality", "organisation") if data.get(key)}
    form = DashboardFilterForm(
        {**{k: v for k, v in initial.items() if v is not None}, **bound} if bound else None,
        initial=initial,
        years=years,
        seasons=seasons,
        municipalities=municipalities,
        organisations=organisations,
    )
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
    return DashboardFilters(form=form, access=access, scope=scope, year=year, years=years, season=season)
