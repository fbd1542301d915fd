"""The bank's filters (django-filter, on core.filters.PortalFilterSet): the community of the season, the kind, words
of the title or description."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import PortalFilterSet

from .models import Community, Practice


class BankFilterSet(PortalFilterSet):
    community = django_filters.ModelChoiceFilter(
        label=_("Сообщество"),
        queryset=Community.objects.none(),
        empty_label=_("Все сообщества"),
        error_messages={"invalid_choice": _("Такого сообщества в этом сезоне нет; показаны все.")},
    )
    kind = django_filters.ChoiceFilter(
        label=_("Вид"),
        choices=Practice.Kind.choices,
        empty_label=_("Материалы и практики"),
        error_messages={"invalid_choice": _("Такого вида нет; показаны все.")},
    )
    q = django_filters.CharFilter(label=_("Слова из названия или описания"), method="filter_words", max_length=100)

    def __init__(self, *args, season, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["community"].queryset = Community.objects.filter(season=season).order_by("name", "pk")

    def filter_words(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset
