from django.contrib import admin

from programs.admin_mixins import MunicipalityScopedAdmin

from .models import KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "municipality", "year", "comparison", "value", "unit", "source"]
    list_filter = ["municipality", "year", "code"]
    search_fields = ["title", "code", "source"]
    list_select_related = ["municipality"]
