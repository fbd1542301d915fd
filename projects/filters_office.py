"""The registry's filters (django-filter): a municipality among those the reader may read, a direction of the
national project and the state of the project's events («просрочено» derived for the municipality's day)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import PortalFilterSet
from programs.models import Municipality

from .models.office import OPEN_STATES, Direction, Project, ProjectDirection, ProjectEvent, WorkState

OVERDUE = "overdue"


class OfficeRegistryFilterSet(PortalFilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.none(),
        method="filter_nothing",
        error_messages={"invalid_choice": _("Такого муниципалитета нет среди доступных вам.")},
    )
    direction = django_filters.ChoiceFilter(
        label=_("Направление НП «Образование»"),
        choices=Direction.choices,
        method="filter_direction",
        empty_label=_("Любое"),
        error_messages={"invalid_choice": _("Выберите направление из списка.")},
    )
    state = django_filters.ChoiceFilter(
        label=_("Есть мероприятия в состоянии"),
        choices=[*WorkState.choices, (OVERDUE, _("просрочено"))],
        method="filter_state",
        empty_label=_("Не важно"),
        error_messages={"invalid_choice": _("Выберите состояние из списка.")},
    )

    class Meta(PortalFilterSet.Meta):
        model = Project
        fields = []

    def __init__(self, data=None, queryset=None, *, municipalities: QuerySet[Municipality], default, today):
        super().__init__(data, queryset)
        self.filters["municipality"].queryset = municipalities
        self.filters["municipality"].extra["empty_label"] = None
        self.default = default
        self.today = today

    @property
    def shown_municipality(self) -> Municipality | None:
        chosen = self.form.cleaned_data.get("municipality") if self.is_bound and self.is_valid() else None
        return chosen or self.default

    def filter_nothing(self, queryset, name, value):
        return queryset  # the view starts from the shown municipality's projects

    def filter_direction(self, queryset, name, value):
        return queryset.filter(Exists(ProjectDirection.objects.filter(project=OuterRef("pk"), direction=value)))

    def filter_state(self, queryset, name, value):
        events = ProjectEvent.objects.filter(project=OuterRef("pk"))
        if value == OVERDUE:
            events = events.filter(Q(state__in=OPEN_STATES) & Q(ends_on__lt=self.today))
        else:
            events = events.filter(state=value)
        return queryset.filter(Exists(events))
