"""Admin bases shared by every app: ReadOnlyAdminMixin for logs and evidence, ZonedMomentsAdminMixin for moments that
say their zone in words, and the date bounds (core.dates) in the admin: every form, inline and list-editable field of an admin, and
every date lookup in a changelist's query string (the date drill-down `?created_at__year=9999`, `__gte=0001-…`).

One mixin on the admins' common bases, so an admin or a date field added later is covered without anyone
remembering; tests/admin/test_admin_dates.py walks the registry to prove it.
"""

from __future__ import annotations

import datetime
import functools

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponseRedirect, QueryDict
from django.utils import timezone

from core.dates import bound_date_fields, date_in_range, date_range_message, year_in_range
from core.zones import moment_text

# Transforms of a date that take a small number: (smallest, largest).
_PARTS = {
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
_COMPARISONS = {"exact", "gt", "gte", "lt", "lte", "in", "range"}


def _date_field_and_lookups(model, key: str):
    """The date field a query-string key filters on (following relations) and the lookups after it."""
    parts = key.split("__")
    opts = model._meta
    for i, part in enumerate(parts):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return None, []
        if isinstance(field, models.DateField):
            return field, parts[i + 1 :]
        if not field.is_relation or field.related_model is None:
            return None, []
        opts = field.related_model._meta
    return None, []


def _value_in_range(lookups: list[str], value: str) -> bool:
    transform = lookups[0] if lookups else "exact"
    if transform in ("year", "iso_year"):
        return year_in_range(value.strip())
    if transform in _PARTS:
        low, high = _PARTS[transform]
        value = value.strip()
        return value.isdecimal() and len(value) <= 2 and low <= int(value) <= high
    if transform == "date" or transform in _COMPARISONS:
        for item in value.split(",") if lookups[-1:] in (["in"], ["range"]) else [value]:
            try:
                moment = forms.DateTimeField().to_python(item.strip())
            except ValidationError:
                continue  # not a date at all: Django refuses it as an incorrect lookup (no 500)
            if moment is not None and not date_in_range(moment):
                return False
    return True


def out_of_range_date_params(model, query: QueryDict, date_hierarchy: str | None = None) -> list[str]:
    """The query-string keys whose date (or year, month, day) is outside the bounds or is no day at all."""
    refused = []
    for key in query:
        field, lookups = _date_field_and_lookups(model, key)
        if field is not None and not all(_value_in_range(lookups, value) for value in query.getlist(key)):
            refused.append(key)
    if date_hierarchy:
        # The drill-down builds a date of its year, month and day (30 February is refused here, not by Django);
        # a refused part takes the whole drill-down with it.
        keys = [f"{date_hierarchy}__{part}" for part in ("year", "month", "day")]
        year, month, day = (query.get(key) for key in keys)
        try:
            if year and not refused:
                datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            refused.append(keys[0])
        if any(key in refused for key in keys):
            refused += [key for key in keys if key in query and key not in refused]
    return refused


_WHEN = "__when"


class ZonedMomentsAdminMixin:
    """Every moment an admin shows in its list columns and read-only fields says whose clock it is on, in words:
    «6 декабря 2026, 14:05 (время Екатеринбурга, МСК+2)» (core.zones). The admin runs on the signed-in
    coordinator's municipality clock (participants.middleware), else the portal's Moscow time.

    Django shows a date-time field of the model as a bare «6 декабря 2026 г. 14:05»; here each such column or
    read-only field is shown through a readout of the same name plus «__when» (its heading and sorting those of
    the field), so an admin or a field added later is covered without anyone remembering."""

    def _moment_names(self) -> set[str]:
        return {f.name for f in self.model._meta.concrete_fields if isinstance(f, models.DateTimeField)}

    def _zoned(self, names, *, keep=()):
        moments = self._moment_names() - set(keep)
        zoned = [f"{name}{_WHEN}" if isinstance(name, str) and name in moments else name for name in names]
        return type(names)(zoned) if isinstance(names, tuple) else zoned

    def __getattr__(self, name: str):
        if name.endswith(_WHEN) and name.removesuffix(_WHEN) in self._moment_names():
            field = self.model._meta.get_field(name.removesuffix(_WHEN))

            def readout(obj):
                value = getattr(obj, field.name)
                return moment_text(value, timezone.get_current_timezone()) if value is not None else None

            readout.short_description = field.verbose_name
            readout.admin_order_field = field.name
            return readout
        raise AttributeError(name)

    def _readonly_moments(self, request, obj) -> set[str]:
        """The moments this page shows read-only (by the admin's final readonly list, whoever defined it)."""
        if obj is not None and not self.has_change_permission(request, obj):
            return self._moment_names()  # the view-only page shows every field read-only
        names = {n.removesuffix(_WHEN) for n in self.get_readonly_fields(request, obj) if isinstance(n, str)}
        return names & self._moment_names()

    def _zoned_fields(self, fields, readonly: set[str]):
        # A fieldset's line may be a tuple of fields shown side by side.
        return [
            self._zoned_fields(f, readonly) if isinstance(f, list | tuple) else (f"{f}{_WHEN}" if f in readonly else f)
            for f in fields
        ]

    # Each of these wraps the admin's final method, its own override included (__init_subclass__ below); the
    # renaming is idempotent, so an override that calls super() is renamed once.

    def _zoned_list_display(self, names, request):
        return self._zoned(names, keep=self.list_editable or ())

    def _zoned_list_display_links(self, links, request, list_display):
        return self._zoned(links, keep=self.list_editable or ()) if links else links

    def _zoned_readonly_fields(self, names, request, obj=None):
        return self._zoned(names)

    def _zoned_fieldsets(self, fieldsets, request, obj=None):
        readonly = self._readonly_moments(request, obj)
        if not readonly:
            return fieldsets
        return [
            (title, {**options, "fields": self._zoned_fields(options.get("fields", ()), readonly)})
            for title, options in fieldsets
        ]

    def _zoned_exclude(self, exclude, request, obj=None):
        # A moment shown through its readout is neither a form field nor a name the model form looks for.
        readonly = self._readonly_moments(request, obj)
        if not readonly:
            return exclude
        if exclude is None:  # Django then falls back to the form's own Meta.exclude: keep it
            exclude = getattr(getattr(self.form, "_meta", None), "exclude", None) or ()
        return [*exclude, *sorted(readonly), *sorted(f"{n}{_WHEN}" for n in readonly)]

    _WRAPPED = {
        "get_list_display": "_zoned_list_display",
        "get_list_display_links": "_zoned_list_display_links",
        "get_readonly_fields": "_zoned_readonly_fields",
        "get_fieldsets": "_zoned_fieldsets",
        "get_exclude": "_zoned_exclude",
    }

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for method, zoning in ZonedMomentsAdminMixin._WRAPPED.items():
            own = cls.__dict__.get(method)
            if own is not None and not getattr(own, "zoned", False):
                setattr(cls, method, _zoned_method(own, zoning))


def _zoned_method(method, zoning: str):
    @functools.wraps(method)
    def zoned(self, request, *args, **kwargs):
        return getattr(self, zoning)(method(self, request, *args, **kwargs), request, *args, **kwargs)

    zoned.zoned = True
    return zoned


def _mixin_method(name: str, zoning: str):
    def method(self, request, *args, **kwargs):
        return getattr(self, zoning)(
            getattr(super(ZonedMomentsAdminMixin, self), name)(request, *args, **kwargs), request, *args, **kwargs
        )

    method.__name__ = name
    method.zoned = True
    return method


for _name, _zoning in ZonedMomentsAdminMixin._WRAPPED.items():
    setattr(ZonedMomentsAdminMixin, _name, _mixin_method(_name, _zoning))


class BoundedDatesAdminMixin:
    """Bounds the dates of every form the admin builds, and refuses out-of-range dates in a changelist's query."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        bound_date_fields(form.base_fields)
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            bound_date_fields(formset.form.base_fields)
            yield formset, inline

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        bound_date_fields(form.base_fields)
        return form

    def changelist_view(self, request, extra_context=None):
        refused = out_of_range_date_params(self.model, request.GET, self.date_hierarchy)
        if refused:
            messages.error(request, date_range_message())
            query = request.GET.copy()
            for key in refused:
                del query[key]
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().changelist_view(request, extra_context)


class ReadOnlyAdminMixin(ZonedMomentsAdminMixin, BoundedDatesAdminMixin):
    """Records the admin shows but never adds, changes or deletes (logs, evidence, issued documents)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
