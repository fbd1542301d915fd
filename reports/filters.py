"""The KPI dashboard's and workbook's filters (django-filter; the base is core.filters.PortalFilterSet).

reports.selectors.dashboard_filters narrows every queryset to what the reader may see (reports.rules
.dashboard_scope) before the FilterSet is built, so a foreign season is an invalid choice shown in Russian at its
field; a municipality or school outside the reader's own is answered 404 by dashboard_scope before that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from core.filters import PortalFilterSet
from programs.models import Municipality, Organisation, Season

from .models import KpiSnapshot


class ListedChoiceIterator(ModelChoiceIterator):
    """A model choice field's options from the rows its caller already read (`field.rows`), else from one plain
    query of its queryset, kept with it: Django's own iterate a server-side cursor (DECLARE, FETCH, CLOSE on
    PostgreSQL). The queryset still validates a submitted value."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset if self.field.rows is None else self.field.rows:
            yield self.choice(obj)

    def __len__(self):
        rows = self.queryset if self.field.rows is None else self.field.rows
        return len(rows) + (self.field.empty_label is not None) + (self.field.null_label is not None)


class ListedChoiceField(ModelChoiceField):
    iterator = ListedChoiceIterator

    def __init__(self, *args, rows: Sequence | None = None, **kwargs):
        self.rows = rows
        super().__init__(*args, **kwargs)


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


class SeasonChoiceField(ListedChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.program.title} — {obj.title}"


class SeasonFilter(ListedChoiceFilter):
    field_class = SeasonChoiceField


class DashboardFilterSet(PortalFilterSet):
    """Over the seasons the reader may choose: `qs` is those the chosen year, season, municipality and school
    cover (a school: its municipality's seasons). The KPIs themselves take the cleaned values (reports.kpi.KpiScope,
    built by reports.selectors.dashboard_filters)."""

    year = django_filters.TypedChoiceFilter(
        label=_("Год"),
        coerce=int,
        required=True,
        method="filter_year",
        error_messages={"invalid_choice": _("Выберите год из списка.")},
    )
    season = SeasonFilter(
        label=_("Сезон программы"),
        method="filter_season",
        empty_label=_("Все сезоны года"),
        queryset=Season.objects.none(),
        error_messages={"invalid_choice": _("Такого сезона нет среди доступных вам; выберите из списка.")},
    )
    municipality = ListedChoiceFilter(
        label=_("Муниципалитет"),
        field_name="program__municipality",
        empty_label=_("Все муниципалитеты"),
        queryset=Municipality.objects.none(),
        error_messages={"invalid_choice": _("Выберите муниципалитет из списка.")},
    )
    organisation = ListedChoiceFilter(
        label=_("Школа"),
        method="filter_organisation",
        empty_label=_("Все школы"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Выберите школу из списка.")},
    )

    def __init__(
        self,
        data=None,
        *,
        years: Sequence[int],
        seasons: QuerySet[Season],
        municipalities: QuerySet[Municipality],
        organisations: QuerySet[Organisation],
        initial: dict,
        season_rows: Sequence[Season] | None = None,
    ):
        """`season_rows`: the rows of `seasons` when the caller has read them (the options come from them)."""
        super().__init__(data, seasons)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]
        self.filters["season"].queryset = seasons
        self.filters["season"].extra["rows"] = season_rows
        self.filters["municipality"].queryset = municipalities
        self.filters["organisation"].queryset = organisations
        # Shown selected on the unbound page: the year in force and the reader's own municipality or school.
        for name, value in initial.items():
            self.filters[name].extra["initial"] = value

    def filter_year(self, queryset: QuerySet[Season], name: str, value: int) -> QuerySet[Season]:
        return queryset.filter(starts_on__lte=date(value, 12, 31), ends_on__gte=date(value, 1, 1))

    def filter_season(self, queryset: QuerySet[Season], name: str, value: Season) -> QuerySet[Season]:
        return queryset.filter(pk=value.pk)

    def filter_organisation(self, queryset: QuerySet[Season], name: str, value: Organisation) -> QuerySet[Season]:
        return queryset.filter(program__municipality_id=value.municipality_id)


class MonitoringListFilterSet(PortalFilterSet):
    """The half-year monitoring list (seed 002, разд. 7) over the snapshots of the municipalities the reader may
    read (reports.views_monitoring): `?municipality=` picks one of them; without it, the reader's own."""

    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Такого муниципалитета нет среди доступных вам.")},
    )

    def __init__(
        self,
        data=None,
        queryset: QuerySet[KpiSnapshot] | None = None,
        *,
        municipalities: QuerySet[Municipality],
        default: Municipality | None,
    ):
        super().__init__(data, queryset)
        self.filters["municipality"].queryset = municipalities
        self.default = default

    @property
    def shown_municipality(self) -> Municipality | None:
        chosen = self.form.cleaned_data.get("municipality") if self.is_bound and self.is_valid() else None
        return chosen or self.default

    @property
    def qs(self) -> QuerySet[KpiSnapshot]:
        # Unbound too (django-filter filters only a bound set): the list is always one municipality's.
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def filter_queryset(self, queryset: QuerySet[KpiSnapshot]) -> QuerySet[KpiSnapshot]:
        # The chosen municipality or the reader's own; with neither, nothing.
        municipality = self.shown_municipality
        return queryset.filter(municipality=municipality) if municipality is not None else queryset.none()
