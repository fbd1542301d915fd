"""Admin helpers every app's admin uses: a coordinator sees, offers and accepts only their own municipality's rows.

Two rules hold for every staff account that is not a superuser (docs/decisions/0001-municipality-boundary.md):
- the scope fails closed: an account without a municipality sees nothing, never everything (`admin_scope`);
- every relation field of every admin form — select, raw-id (and the name it prints), autocomplete, inline,
  `?field=` prefill — offers and accepts only rows of the coordinator's municipality (`scope_relation_fields`,
  applied by `ScopedRelationsMixin` to each form, inline formset and list-editable form the admin builds).
How a related model reaches its municipality is said once: by its own admin (`rows_of_municipality`, from
`municipality_path`), else in `MUNICIPALITY_PATHS`; models that belong to no municipality are listed with the
reason in `UNSCOPED_RELATIONS`. A related model named nowhere offers nothing (tests/admin/test_relation_scope.py
names it).
"""

import copy
import re

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, ManyToManyRawIdWidget, RelatedFieldWidgetWrapper
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_choices import label_choice_fields
from core.admin_mixins import BoundedDatesAdminMixin, ZonedMomentsAdminMixin

from .models import Organisation, Season, low_results_exists

_ROW_ID = re.compile(r"^\d{1,18}$")

# The scope of a staff account bound to no municipality: an id no row has, so every filter by it is empty
# (and, unlike 0 or None, it is truthy: `if scope:` cannot turn it into «everything» either).
NO_MUNICIPALITY = -1

OUTSIDE_CHOICE = _("Такой записи нет среди доступных: выберите запись своего муниципалитета.")

# Related models that belong to no municipality, with the reason; a relation to them is offered as it is.
UNSCOPED_RELATIONS: dict[str, str] = {
    "programs.Subject": "school subjects are national reference data shared by every municipality",
    "auth.Permission": "permissions are global; only superusers edit them (accounts and groups admins)",
    "auth.Group": "the staff groups are global; only superusers give them (accounts admin)",
}

# ORM paths to the municipality of related models that have no municipality-scoped admin of their own.
MUNICIPALITY_PATHS: dict[str, str] = {
    "ratings.RubricCriterion": "rubric__program__municipality",
    "ratings.ReviewScore": "review__submission__assignment__activity__season__program__municipality",
    "participants.Consent": "person__organisation__municipality",
    "participants.EnrollmentStatusChange": "enrollment__season__program__municipality",
    "activities.ExclusionCaseEvent": "case__enrollment__season__program__municipality",
}


def admin_scope(user) -> int | None:
    """The municipality a staff user's admin pages are limited to: None (everything) for superusers only.

    A staff account bound to no municipality gets NO_MUNICIPALITY, so it sees nothing: clearing one's own
    municipality must never widen what one sees.
    """
    if user.is_superuser:
        return None
    return getattr(user, "municipality_id", None) or NO_MUNICIPALITY


def in_municipality(queryset, path: str, municipality_id: int | None):
    """The queryset's rows whose municipality (reached by the ORM `path`, "" for Municipality) is the scope."""
    if municipality_id is None:
        return queryset
    if municipality_id == NO_MUNICIPALITY:
        return queryset.none()
    key = f"{path}__id" if path else "id"
    return queryset.filter(**{key: municipality_id})


def scoped_rows(queryset, user, admin_site=None):
    """The rows of `queryset` the user's admin may show in a form or accept from one: all for a superuser."""
    if user.is_superuser:
        return queryset
    model = queryset.model
    label = model._meta.label
    if label in UNSCOPED_RELATIONS:
        return queryset
    scope = admin_scope(user)
    model_admin = (admin_site or admin.site)._registry.get(model)
    rows_of = getattr(model_admin, "rows_of_municipality", None)
    if rows_of is not None:
        return rows_of(queryset, scope)
    if label in MUNICIPALITY_PATHS:
        return in_municipality(queryset, MUNICIPALITY_PATHS[label], scope)
    return queryset.none()  # a model nobody said how to scope offers nothing, rather than everything


class ScopedForeignKeyRawIdWidget(ForeignKeyRawIdWidget):
    """The raw-id input whose printed name is looked up among the rows the form accepts: an outside id
    (typed, or prefilled by `?enrollment=443`) prints nothing."""

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            if not self.queryset.filter(**{key: value}).exists():
                return "", ""
        except (ValueError, TypeError, OverflowError, ValidationError):
            return "", ""
        return super().label_and_url_for_value(value)


def _scope_field(field, request, admin_site):
    field = copy.deepcopy(field)  # a form's declared fields are shared by every request
    field.queryset = scoped_rows(field.queryset, request.user, admin_site)
    field.error_messages["invalid_choice"] = OUTSIDE_CHOICE
    wrapper = field.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else None
    widget = wrapper.widget if wrapper is not None else field.widget
    if isinstance(widget, ForeignKeyRawIdWidget) and not isinstance(widget, ManyToManyRawIdWidget):
        widget = ScopedForeignKeyRawIdWidget(
            widget.rel, widget.admin_site, queryset=field.queryset, attrs=widget.attrs, using=widget.db
        )
    elif hasattr(widget, "choices"):
        widget.choices = field.choices  # the select (or autocomplete) lists the scoped rows only
    if wrapper is not None:
        wrapper.widget = widget
    else:
        field.widget = widget
    field.municipality_scoped = True
    return field


def scope_relation_fields(fields: dict, request, admin_site=None) -> None:
    """Limit every relation field among `fields` (a form class's base_fields) to the user's municipality."""
    if request.user.is_superuser:
        return
    for name, field in list(fields.items()):
        if isinstance(field, forms.ModelChoiceField) and not getattr(field, "municipality_scoped", False):
            fields[name] = _scope_field(field, request, admin_site)


class ScopedRelationsMixin:
    """For a ModelAdmin: the relation fields of its form, its inlines' formsets and its list-editable rows are
    limited to the coordinator's municipality — every field, present or added later, with no per-field code."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        scope_relation_fields(form.base_fields, request, self.admin_site)
        label_choice_fields(form.base_fields)
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            scope_relation_fields(formset.form.base_fields, request, self.admin_site)
            label_choice_fields(formset.form.base_fields)
            yield formset, inline

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        scope_relation_fields(form.base_fields, request, self.admin_site)
        label_choice_fields(form.base_fields)
        return form


class MunicipalityScopedAdmin(ScopedRelationsMixin, ZonedMomentsAdminMixin, BoundedDatesAdminMixin, admin.ModelAdmin):
    """Limits the changelist, every lookup and every relation field to the coordinator's municipality.

    `municipality_path` is the ORM path from the model to its Municipality ("" for Municipality itself).
    Superusers see everything; staff without a municipality see nothing.
    """

    municipality_path: str = ""
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over a region's rows on every page is wasted work

    def _scope(self, request):
        return admin_scope(request.user)

    def rows_of_municipality(self, queryset, municipality_id):
        """This model's rows of a municipality (None: all): how any form's relation to the model is scoped."""
        return in_municipality(queryset, self.municipality_path, municipality_id)

    def has_add_permission(self, request, *args, **kwargs):
        # An account bound to no municipality adds nothing: whatever it added would belong nowhere it may see.
        return self._scope(request) != NO_MUNICIPALITY and super().has_add_permission(request, *args, **kwargs)

    def get_changeform_initial_data(self, request):
        # «?enrollment=²» or forty digits as the initial value of a relation reaches the database through the
        # admin's select widgets (ValueError, OverflowError: a 500); such a value is simply not preselected.
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and isinstance(field.target_field, models.IntegerField | models.AutoField):
                values = value if isinstance(value, list) else [value]
                if not all(_ROW_ID.match(str(v)) for v in values):
                    del initial[name]
        return initial

    def action_checkbox(self, obj):
        # The same markup as Django's, written directly: rendering a CheckboxInput through the form template engine
        # for every row was the largest single cost of a 50-row list (bench «pages», coordinator_list).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),  # Django admin's message
        )

    def get_list_filter(self, request):
        # A coordinator's rows are all in their own municipality: a municipality filter would offer one choice
        # (and cost a query on every page of the list). Other relation filters list only the scope's rows.
        if self._scope(request) is None:
            return self.list_filter
        return [
            _scoped_filter(self.model, f)
            for f in self.list_filter
            if not (isinstance(f, str) and _is_municipality_path(f))
        ]

    def get_queryset(self, request):
        return self.rows_of_municipality(super().get_queryset(request), self._scope(request))


def _is_municipality_path(path: str) -> bool:
    return path == "municipality" or path.endswith("__municipality")


def _scoped_filter(model, list_filter):
    """A list filter given by a relation's name offers only the coordinator's rows (not every program's title)."""
    if not isinstance(list_filter, str):
        return list_filter
    try:
        field = get_fields_from_path(model, list_filter)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return list_filter
    if field.is_relation and field.related_model is not None:
        return (list_filter, ScopedRelatedFieldListFilter)
    return list_filter


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A relation's list filter with the choices the user's admin may see: all for a superuser."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = scoped_rows(field.related_model._default_manager.all(), request.user, model_admin.admin_site)
        if ordering:
            rows = rows.order_by(*ordering)
        return [(row.pk, str(row)) for row in rows]


class SeasonFilter(admin.RelatedFieldListFilter):
    """The season filter: a season's name includes its program, so the program is fetched in the same query."""

    def field_choices(self, field, request, model_admin):
        qs = Season.objects.select_related("program").only("title", "program__title")  # what str(season) prints
        qs = in_municipality(
            qs.order_by("program__title", "-starts_on"), "program__municipality", admin_scope(request.user)
        )
        return [(season.pk, str(season)) for season in qs]


def action_form_response(model_admin, request, *, template: str, title: str, form, queryset, **extra):
    """The intermediate page of an admin action that asks for something (a reason, a tutor, a group).

    The template re-posts the selected rows (`queryset`, `action_checkbox_name`) with the action's name.
    """
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": request.POST.get("action"),
        "opts": model_admin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        **extra,
    }
    return TemplateResponse(request, template, context)


def year_filter(field_name: str, title, *, is_date: bool = True):
    """A list filter «год» over a date (or integer year) field; the years offered are those of the rows the
    user may see (one query)."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = "year"

        def lookups(self, request, model_admin):
            qs = model_admin.get_queryset(request)
            if is_date:
                years = sorted({d.year for d in qs.dates(field_name, "year")}, reverse=True)
            else:
                years = sorted(set(qs.order_by().values_list(field_name, flat=True).distinct()), reverse=True)
            return [(str(y), str(y)) for y in years]

        def queryset(self, request, queryset):
            value = self.value()
            # isdigit() passes «²», which int() refuses; a year past 9999 overflows the date bounds.
            if not value or not value.isdecimal() or len(value) > 4:
                return queryset
            key = f"{field_name}__year" if is_date else field_name
            return queryset.filter(**{key: int(value)})

    YearFilter.title = title
    return YearFilter


def low_results_filter(path: str = "pk"):
    """A list filter «ШНОР» over the organisation at `path` («organisation» of a row, or «pk» of an organisation):
    its mark of its latest year in «Сведения организаций за год» (programs.models.low_results_exists)."""

    class LowResultsFilter(admin.SimpleListFilter):
        title = _("школа с низкими образовательными результатами")
        parameter_name = "low_results" if path == "pk" else f"{path}__low_results"

        def lookups(self, request, model_admin):
            return [("1", _("Да")), ("0", _("Нет"))]

        def queryset(self, request, queryset):
            if self.value() == "1":
                return queryset.filter(low_results_exists(outer=path))
            if self.value() == "0":
                return queryset.filter(~low_results_exists(outer=path))
            return queryset

    return LowResultsFilter


class ScopedOrganisationFilter(admin.RelatedFieldListFilter):
    """An organisation filter listing only the coordinator's municipality's organisations."""

    def field_choices(self, field, request, model_admin):
        qs = in_municipality(Organisation.objects.order_by("sort_key", "pk"), "municipality", admin_scope(request.user))
        return [(o.pk, o.short_name) for o in qs]
