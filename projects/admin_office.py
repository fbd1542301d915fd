"""The project office in the coordinator's admin: a project with its directions, stages, events and working group
as inlines, scoped to the coordinator's municipality (docs/decisions/0001)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import MASCULINE, Forms
from programs.admin_mixins import MunicipalityScopedAdmin

from .models.office import Project, ProjectDirection, ProjectEvent, ProjectStage, WorkingGroupMember


class ProjectDirectionInline(admin.TabularInline):
    model = ProjectDirection
    fields = ["direction"]
    extra = 0


class ProjectStageInline(admin.StackedInline):
    model = ProjectStage
    fields = [("order", "kind"), ("starts_on", "ends_on"), "schedule", "description", ("state", "result_note")]
    extra = 0


class ProjectEventInline(admin.StackedInline):
    model = ProjectEvent
    fields = [
        ("number", "stage"),
        "title",
        ("schedule", "starts_on", "ends_on"),
        "expected_result",
        "responsible",
        ("state", "result_note"),
    ]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The event's stage is one of its own project's stages.
        if db_field.name == "stage":
            project_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = ProjectStage.objects.filter(project_id=project_id if project_id else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    fields = ["order", "person", "full_name", "position", "is_head"]
    raw_id_fields = ["person"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "position", "program", "municipality"]
    list_filter = ["municipality", "directions__direction"]
    list_select_related = ["program", "municipality"]
    search_fields = ["title"]
    fieldsets = [
        (None, {"fields": ["municipality", "organisation", "title", "slug", "position", "program"]}),
        (
            _("Замысел"),
            {"fields": ["unique_idea", "goal", "tasks", "summary", "participants_text"]},
        ),
        (_("Ресурсы и результаты"), {"fields": ["funding", "normative_documents", "expected_results"]}),
    ]
    inlines = [ProjectDirectionInline, ProjectStageInline, ProjectEventInline, WorkingGroupMemberInline]


admin_grammar.register(
    Project,
    Forms(MASCULINE, "проект", accusative="проект", accusative_plural="проекты", few="проекта", many="проектов"),
)
