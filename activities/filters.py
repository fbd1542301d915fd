"""Filters of the activities app's list pages (django-filter; the base is core.filters.PortalFilterSet)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import PortalFilterSet


class AttendanceSessionFilterSet(PortalFilterSet):
    """The sessions to mark (activities.selectors_attendance.attendance_sessions_for, already limited to what the
    user may mark): `?defaults=1` keeps those with default marks the coordinator has not confirmed (п. 4.4, 5.5)."""

    defaults = django_filters.ChoiceFilter(
        label=_("Отбор занятий"),
        choices=[("1", _("есть неподтверждённые отметки по умолчанию"))],
        method="filter_defaults",
        error_messages={
            "invalid_choice": _("Такого отбора занятий нет; показаны все занятия."),
        },
    )

    def filter_defaults(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(default_count__gt=0)

    @property
    def only_defaults(self) -> bool:
        return self.is_bound and self.is_valid() and self.form.cleaned_data.get("defaults") == "1"
