"""The base of the portal's list filters (django-filter): every list page's FilterSet lives in its app's
`filters.py` and derives from PortalFilterSet.

The querysets a FilterSet starts from, and those of its choice filters, are already narrowed to what the reader
may see (docs/decisions/0001-municipality-boundary.md), so another municipality's id in the query string is an
invalid choice shown at its field in Russian, never another district's rows. A value that does not validate is
left out of the filtering (the rest still applies) and its field says why. Date filters take the portal's bounds
(core/dates.py) through the form.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_filters
from django import forms

from .dates import BoundedDatesMixin


class FilterForm(BoundedDatesMixin, forms.Form):
    """The form of every portal FilterSet: its date fields take the portal's bounds."""


class PortalFilterSet(django_filters.FilterSet):
    class Meta:
        form = FilterForm

    def chosen(self) -> dict[str, str]:
        """The query parameters of the filters the reader filled in (for links that keep them, e.g. pages)."""
        if not self.is_bound:
            return {}
        return {name: self.data.get(name) for name in self.filters if self.data.get(name) not in (None, "")}

    @property
    def filtered(self) -> bool:
        return bool(self.chosen())

    def query_string(self) -> str:
        return urlencode(self.chosen())


class CheckboxFilter(django_filters.BooleanFilter):
    """A ticked box (`?name=on`) narrows the list; an unticked one leaves it whole (never «only the false ones»)."""

    field_class = forms.BooleanField

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs
