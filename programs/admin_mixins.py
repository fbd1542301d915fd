"""Admin helpers every app's admin uses: a coordinator sees only their own municipality's rows."""

import re

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.response import TemplateResponse

from .admin_dates import BoundedDatesAdminMixin
from .models import Organisation, Season

_ROW_ID = re.compile(r"^\d{1,18}$")


def admin_scope(user) -> int | None:
    """The municipality a staff user's admin pages are limited to (None: superusers, staff without one)."""
    if user.is_superuser or not getattr(user, "municipality_id", None):
        return None
    return user.municipality_id


class MunicipalityScopedAdmin(BoundedDatesAdminMixin, admin.ModelAdmin):
    """Limits the changelist and every lookup to the coordinator's municipality.

    `municipality_path` is the ORM path from the model to its Municipality ("" for Municipality itself).
    Superusers and staff without a municipality see everything.
    """

    municipality_path: str = ""
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over a region's rows on every page is wasted work

    def _scope(self, request):
        return admin_scope(request.user)

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

    def get_list_filter(self, request):
        # A coordinator's rows are all in their own municipality: a municipality filter would offer one choice
        # (and cost a query on every page of the list).
        if self._scope(request) is None:
            return self.list_filter
        return [f for f in self.list_filter if not (isinstance(f, str) and _is_municipality_path(f))]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        municipality_id = self._scope(request)
        if municipality_id is None:
            return qs
        key = f"{self.municipality_path}__id" if self.municipality_path else "id"
        return qs.filter(**{key: municipality_id})


def _is_municipality_path(path: str) -> bool:
    return path == "municipality" or path.endswith("__municipality")


def scoped_formfield(admin_obj, db_field, request, kwargs, paths: dict[str, str]):
    """Restricts a foreign-key dropdown to the coordinator's municipality (paths: field -> ORM path)."""
    path = paths.get(db_field.name)
    if path is None:
        return kwargs
    user = request.user
    if user.is_superuser or not getattr(user, "municipality_id", None):
        return kwargs
    qs = kwargs.get("queryset") or db_field.related_model._default_manager.all()
    key = f"{path}__id" if path else "id"
    kwargs["queryset"] = qs.filter(**{key: user.municipality_id})
    return kwargs


class SeasonFilter(admin.RelatedFieldListFilter):
    """The season filter: a season's name includes its program, so the program is fetched in the same query."""

    def field_choices(self, field, request, model_admin):
        qs = Season.objects.select_related("program").order_by("program__title", "-starts_on")
        scope = getattr(request.user, "municipality_id", None)
        if scope and not request.user.is_superuser:
            qs = qs.filter(program__municipality_id=scope)
        return [(season.pk, str(season)) for season in qs]


class ReadOnlyAdminMixin(BoundedDatesAdminMixin):
    """Records the admin shows but never adds, changes or deletes (logs, evidence, issued documents)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class ScopedOrganisationFilter(admin.RelatedFieldListFilter):
    """An organisation filter listing only the coordinator's municipality's organisations."""

    def field_choices(self, field, request, model_admin):
        qs = Organisation.objects.order_by("short_name")
        scope = getattr(request.user, "municipality_id", None)
        if scope and not request.user.is_superuser:
            qs = qs.filter(municipality_id=scope)
        return [(o.pk, o.short_name) for o in qs]
