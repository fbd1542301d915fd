"""Filters of the ratings app's list pages (django-filter; the base is core.filters.PortalFilterSet)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import CheckboxFilter, PortalFilterSet
from experts.models import ExpertAssignment
from programs.models import Subject

from .selectors import overdue_condition


class ReviewQueueFilterSet(PortalFilterSet):
    """The expert's review queue (ratings.selectors.review_queue): a season among the expert's own, a subject,
    only the lessons assigned to them, only the overdue ones (by each season's review period)."""

    season = django_filters.TypedChoiceFilter(
        label=_("Сезон"),
        field_name="assignment__activity__season_id",
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Такого сезона нет среди ваших; выберите сезон из списка.")},
    )
    subject = django_filters.ModelChoiceFilter(
        label=_("Предмет"),
        queryset=Subject.objects.order_by("name"),
        empty_label=_("Все предметы"),
        error_messages={"invalid_choice": _("Такого предмета нет; выберите предмет из списка.")},
    )
    mine = CheckboxFilter(label=_("Только назначенные мне"), field_name="mine")
    overdue = CheckboxFilter(label=_("Только просроченные"), method="filter_overdue")

    def __init__(self, data=None, queryset=None, *, assignments: Sequence[ExpertAssignment], now: datetime, **kw):
        super().__init__(data, queryset, **kw)
        self.seasons = list({a.season_id: a.season for a in assignments}.values())
        self.now = now
        # Only the expert's own seasons, listed from the assignments already read: no query for the choices.
        self.filters["season"].extra["choices"] = [("", _("Все сезоны"))] + [(s.pk, str(s)) for s in self.seasons]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(overdue_condition(self.seasons, self.now)) if value else queryset
