from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from programs.admin_mixins import MunicipalityScopedAdmin, ReadOnlyAdminMixin, SeasonFilter

from .kpi import KPI_BY_CODE
from .models import KpiSnapshot, KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "municipality", "year", "comparison", "value", "unit", "source"]
    list_filter = ["municipality", "year", "code"]
    search_fields = ["title", "code", "source"]
    list_select_related = ["municipality"]


def _number(value) -> str:
    if value is None:
        return "—"
    return str(value).replace(".", ",")


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    """Frozen KPI values: evidence for reports, so read-only; a coordinator sees their municipality's only."""

    municipality_path = "municipality"
    list_display = ["taken_on", "kind", "season", "municipality", "taken_at"]
    list_filter = ["kind", ("season", SeasonFilter)]
    list_select_related = ["season__program", "municipality"]
    date_hierarchy = "taken_on"
    fields = ["kind", "taken_on", "taken_at", "period", "season", "municipality", "taken_by", "values_table"]
    readonly_fields = fields

    @admin.display(description=_("показатели"))
    def values_table(self, obj):
        rows = []
        for code, item in obj.values.items():
            definition = KPI_BY_CODE.get(code)
            name = definition.name if definition else code
            formula = definition.formula if definition else ""
            share = ""
            if item.get("denominator") is not None:
                share = f"{item.get('numerator')} / {item.get('denominator')}"
            rows.append((name, formula, f"{_number(item.get('value'))} {item.get('unit', '')}".strip(), share))
        body = format_html_join("", "<tr><th scope='row'>{}<br><small>{}</small></th><td>{}</td><td>{}</td></tr>", rows)
        head = format_html(
            "<thead><tr><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>",
            _("Показатель"),
            _("Значение"),
            _("Числитель / знаменатель"),
        )
        return format_html("<table>{}<tbody>{}</tbody></table>", head, body)
