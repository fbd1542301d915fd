"""Filters of the experts app's list pages (django-filter; the base is core.filters.PortalFilterSet)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, PortalFilterSet
from participants.models import SubscriptionForm

from .models import Consultation, ExpertAssignment, IndividualRequest


class TutorRequestFilterSet(PortalFilterSet):
    """The tutor's bank of requests (experts.selectors_tutor_mentor.tutor_requests, already limited to the tutor's
    own requests and the new ones of their seasons): by status and by the preferred form."""

    status = django_filters.ChoiceFilter(
        label=_("Статус"),
        choices=IndividualRequest.Status.choices,
        empty_label=_("Все статусы"),
        error_messages={"invalid_choice": _("Такого статуса нет; выберите статус из списка.")},
    )
    form = django_filters.ChoiceFilter(
        label=_("Форма"),
        field_name="preferred_form",
        choices=SubscriptionForm.choices,
        empty_label=_("Все формы"),
        error_messages={"invalid_choice": _("Такой формы нет; выберите форму из списка.")},
    )


class ConsultationFilterForm(FilterForm):
    def clean(self):
        data = super().clean()
        if data.get("held_from") and data.get("held_to") and data["held_from"] > data["held_to"]:
            self.add_error("held_to", _("Конец периода раньше его начала; укажите дату не раньше «с даты»."))
        return data


class ConsultationFilterSet(PortalFilterSet):
    """The expert's own consultations (experts.selectors.expert_consultations): a season among those they
    consult in, the kind, and the days they were held (in the portal's date bounds, core/dates.py)."""

    season = django_filters.TypedChoiceFilter(
        label=_("Сезон"),
        field_name="season_id",
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Такого сезона нет среди ваших; выберите сезон из списка.")},
    )
    kind = django_filters.ChoiceFilter(
        label=_("Вид"),
        choices=Consultation.Kind.choices,
        empty_label=_("Все виды"),
        error_messages={"invalid_choice": _("Такого вида консультации нет; выберите вид из списка.")},
    )
    held_from = django_filters.DateFilter(
        label=_("С даты"),
        method="filter_held_from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Введите дату, например 2025-09-01.")},
    )
    held_to = django_filters.DateFilter(
        label=_("По дату"),
        method="filter_held_to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Введите дату, например 2025-09-30.")},
    )

    class Meta(PortalFilterSet.Meta):
        form = ConsultationFilterForm

    def __init__(self, data=None, queryset=None, *, assignments: Sequence[ExpertAssignment], **kwargs):
        super().__init__(data, queryset, **kwargs)
        seasons = {a.season_id: a.season for a in assignments}
        self.seasons = list(seasons.values())
        # Only the expert's own seasons, listed from the assignments already read: no query for the choices.
        self.filters["season"].extra["choices"] = [("", _("Все сезоны"))] + [
            (pk, f"{season.program.title}, {season.title}") for pk, season in seasons.items()
        ]

    def _on_days(self, lookup: str, day: date) -> Q:
        """Held at or after (`gte`) or before (`lt`) the start of `day` in each season's own time zone, the zone
        the list shows the times in; a season the expert no longer consults in is read in the portal's zone."""
        moment = datetime.combine(day, time.min)
        condition = Q(~Q(season_id__in=[s.pk for s in self.seasons]), **{f"held_at__date__{lookup}": day})
        for season in self.seasons:
            condition |= Q(season_id=season.pk, **{f"held_at__{lookup}": moment.replace(tzinfo=season.tz)})
        return condition

    def filter_held_from(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(self._on_days("gte", value))

    def filter_held_to(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(self._on_days("lt", value + timedelta(days=1)))
