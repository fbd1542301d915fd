from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import MASCULINE, NEUTER, Forms
from core.admin_mixins import ReadOnlyAdminMixin
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter

from .forms import PeriodSnapshotForm, SnapshotCompareForm
from .kpi import KPI_BY_CODE, KPI_DEFINITIONS, ORDER, KpiStatus
from .models import KpiBaseline, KpiSnapshot, KpiTarget
from .services import kpi_period_snapshot_take, kpi_snapshots_compare

admin_grammar.register(
    KpiTarget,
    Forms(
        NEUTER,
        "целевое значение KPI",
        accusative="целевое значение KPI",
        accusative_plural="целевые значения KPI",
        few="целевых значения KPI",
        many="целевых значений KPI",
    ),
)


@admin.register(KpiTarget)
class KpiTargetAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "municipality", "year", "comparison", "value", "baseline_year", "unit", "source"]
    list_filter = ["municipality", "year", "code"]
    search_fields = ["title", "code", "source"]
    list_select_related = ["municipality"]


admin_grammar.register(
    KpiBaseline,
    Forms(
        NEUTER,
        "базовое значение KPI",
        accusative="базовое значение KPI",
        accusative_plural="базовые значения KPI",
        few="базовых значения KPI",
        many="базовых значений KPI",
    ),
)


@admin.register(KpiBaseline)
class KpiBaselineAdmin(MunicipalityScopedAdmin):
    """The base year's value of a «не ниже уровня 2020 года» target (приказ № 223/1, результат 12), entered by
    the coordinator of the municipality with where it comes from."""

    municipality_path = "municipality"
    list_display = ["code", "municipality", "year", "value", "source", "entered_at", "entered_by"]
    list_filter = ["municipality", "year", "code"]
    search_fields = ["code", "source"]
    list_select_related = ["municipality", "entered_by"]
    readonly_fields = ["entered_at", "entered_by"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "code" and field is not None:
            # The orders' KPIs by name, not a slug typed by hand.
            choices = [(d.code, d.name) for d in KPI_DEFINITIONS if d.group == ORDER]
            field = forms.ChoiceField(label=field.label, choices=[("", "---------"), *choices], required=True)
        return field

    def save_model(self, request, obj, form, change):
        if not change or "value" in form.changed_data:
            obj.entered_by = request.user
            obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)


def _number(value) -> str:
    if value is None:
        return "—"
    return str(value).replace(".", ",")


admin_grammar.register(
    KpiSnapshot,
    Forms(
        MASCULINE,
        "срез показателей",
        accusative="срез показателей",
        accusative_plural="срезы показателей",
        few="среза показателей",
        many="срезов показателей",
    ),
)


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    """Frozen KPI values: evidence for reports, so read-only; a coordinator sees their municipality's only."""

    municipality_path = "municipality"
    change_list_template = "admin/reports/kpisnapshot/change_list.html"
    list_display = ["taken_on", "kind", "period", "automatic", "season", "municipality", "taken_at"]
    list_filter = ["kind", "automatic", ("season", SeasonFilter)]
    list_select_related = ["season__program", "municipality"]
    date_hierarchy = "taken_on"
    fields = [
        "kind",
        "taken_on",
        "taken_at",
        "period",
        "year",
        "half",
        "automatic",
        "season",
        "municipality",
        "taken_by",
        "values_table",
    ]
    readonly_fields = fields

    @admin.display(description=_("показатели"))
    def values_table(self, obj):
        """Name, value, numerator / denominator and — for a monitoring period — the target and status then."""
        rows = []
        for code, item in obj.values.items():
            definition = KPI_BY_CODE.get(code)
            name = item.get("name") or (definition.name if definition else code)
            formula = definition.formula if definition else ""
            share = ""
            if item.get("denominator") is not None:
                share = f"{_number(item.get('numerator'))} / {item.get('denominator')}"
            target = ""
            if item.get("target") is not None:
                words = KpiTarget.Comparison(item.get("comparison") or "gte").label
                target = f"{words} {_number(item['target'])}"
            status = str(KpiStatus.LABELS.get(item.get("status"), ""))
            value = f"{_number(item.get('value'))} {item.get('unit', '')}".strip()
            rows.append((name, formula, value, share, target, status))
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}<br><small>{}</small></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            rows,
        )
        head = format_html(
            "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>",
            _("Показатель"),
            _("Значение"),
            _("Числитель / знаменатель"),
            _("Цель"),
            _("Статус"),
        )
        return format_html("<table>{}<tbody>{}</tbody></table>", head, body)

    # -- half-year monitoring (seed 002 §7.3): take a period snapshot, compare two --
    # Taking a snapshot changes no data, it records it: whoever may view snapshots (coordinators, management)
    # may take one for the municipalities they see.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("period/", wrap(self.period_view), name="reports_kpisnapshot_period"),
            path("compare/", wrap(self.compare_view), name="reports_kpisnapshot_compare"),
            *super().get_urls(),
        ]

    def period_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PeriodSnapshotForm(request.POST if request.method == "POST" else None, user=request.user)
        if request.method == "POST" and form.is_valid():
            snapshot = kpi_period_snapshot_take(
                municipality=form.cleaned_data["municipality"],
                period_label=form.cleaned_data["period_label"],
                year=form.cleaned_data["year"],
                half=form.cleaned_data["half"],
                by=request.user,
                now=timezone.now(),
            )
            messages.success(request, gettext_now("Срез «%(period)s» сохранён.") % {"period": snapshot.period})
            return redirect(reverse("admin:reports_kpisnapshot_change", args=[snapshot.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Снять срез показателей за полугодие"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/kpisnapshot/period.html", context)

    def compare_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        snapshots = (
            self.get_queryset(request)
            .filter(kind=KpiSnapshot.Kind.PERIOD)
            .select_related("municipality")
            .order_by("-taken_on", "-pk")
        )
        form = SnapshotCompareForm(request.GET if "a" in request.GET else None, snapshots=snapshots)
        rows = []
        if form.is_bound and form.is_valid():
            rows = kpi_snapshots_compare(form.cleaned_data["a"], form.cleaned_data["b"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Сравнение срезов показателей"),
            "form": form,
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/kpisnapshot/compare.html", context)
