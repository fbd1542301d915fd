from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from programs.admin import SeasonAdmin
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, scoped_formfield
from programs.models import Season

from .models import ExpertAssignment, SeasonExpertRole


@admin.register(SeasonExpertRole)
class SeasonExpertRoleAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["season", "role", "planned_count", "assigned"]
    list_filter = ["role", "season__program"]
    list_select_related = ["season__program"]

    @admin.display(description=_("назначено"))
    def assigned(self, obj):
        return obj.assigned_count

    def get_queryset(self, request):
        assigned = (
            ExpertAssignment.objects.filter(season=OuterRef("season"), role=OuterRef("role"), is_active=True)
            .values("season")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(assigned_count=Subquery(assigned))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"season": "program__municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["person", "role", "subject", "season", "is_active"]
    list_filter = ["role", "is_active", "season__program", ("season", SeasonFilter), "subject"]
    search_fields = ["person__last_name", "person__first_name", "person__email"]
    list_select_related = ["person", "subject", "season__program"]
    autocomplete_fields = ["person"]
    actions = ["deactivate", "activate"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"season": "program__municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Вывести из команды сезона"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)

    @admin.action(description=_("Вернуть в команду сезона"))
    def activate(self, request, queryset):
        queryset.update(is_active=True)


class SeasonExpertRoleInline(admin.TabularInline):
    model = SeasonExpertRole
    fields = ["role", "planned_count", "functions"]
    extra = 0


class ExpertAssignmentInline(admin.TabularInline):
    model = ExpertAssignment
    fields = ["person", "role", "subject", "is_active"]
    autocomplete_fields = ["person"]
    extra = 0


# The season page shows its expert team; programs cannot know experts, so the page is extended here.
admin.site.unregister(Season)


@admin.register(Season)
class SeasonWithTeamAdmin(SeasonAdmin):
    inlines = [*SeasonAdmin.inlines, SeasonExpertRoleInline, ExpertAssignmentInline]
