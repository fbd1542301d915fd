from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.admin import RoadmapModuleAdmin as BaseRoadmapModuleAdmin
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, scoped_formfield
from programs.models import RoadmapModule

from .models import Activity, Attendance, Session, Submission, VideoAssignment


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["title", "starts_at", "ends_at", "place"]
    extra = 0
    show_change_link = True


class VideoAssignmentInline(admin.StackedInline):
    model = VideoAssignment
    fields = ["instructions", "opens_at", "due_at", "cutoff_at"]
    extra = 0
    max_num = 1


@admin.register(Activity)
class ActivityAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["title", "kind", "format", "module", "season", "is_mandatory", "gives_certificate", "hours"]
    list_filter = ["kind", "format", "is_mandatory", "gives_certificate", "season__program", ("season", SeasonFilter)]
    search_fields = ["title", "description"]
    list_select_related = ["module", "season__program"]
    inlines = [SessionInline, VideoAssignmentInline]
    actions = ["make_mandatory", "make_optional"]
    fieldsets = [
        (None, {"fields": ["season", "module", "order", "title", "kind", "format", "description"]}),
        (_("Правила"), {"fields": ["is_mandatory", "gives_certificate", "hours", "required_sessions"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(
            self,
            db_field,
            request,
            kwargs,
            {"season": "program__municipality", "module": "season__program__municipality"},
        )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Сделать обязательными"))
    def make_mandatory(self, request, queryset):
        queryset.update(is_mandatory=True)

    @admin.action(description=_("Сделать необязательными"))
    def make_optional(self, request, queryset):
        queryset.update(is_mandatory=False)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["enrollment", "status", "reason", "marked_by", "marked_at", "is_default"]
    readonly_fields = ["enrollment", "marked_by", "marked_at", "is_default"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__person", "marked_by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(MunicipalityScopedAdmin):
    municipality_path = "activity__season__program__municipality"
    list_display = ["__str__", "activity", "starts_at", "ends_at"]
    list_filter = ["activity__season__program", "activity__kind"]
    search_fields = ["title", "activity__title"]
    list_select_related = ["activity__season"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(MunicipalityScopedAdmin):
    municipality_path = "session__activity__season__program__municipality"
    list_display = ["enrollment", "session", "status", "reason", "is_default", "marked_at"]
    list_filter = ["status", "is_default", "session__activity__season__program"]
    search_fields = ["enrollment__person__last_name", "session__activity__title"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "session__activity"]
    raw_id_fields = ["session", "enrollment", "marked_by"]


@admin.register(VideoAssignment)
class VideoAssignmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "activity__season__program__municipality"
    list_display = ["activity", "opens_at", "due_at", "cutoff_at"]
    list_filter = ["activity__season__program"]
    list_select_related = ["activity"]


@admin.register(Submission)
class SubmissionAdmin(MunicipalityScopedAdmin):
    municipality_path = "assignment__activity__season__program__municipality"
    list_display = ["topic", "enrollment", "assignment", "version", "status", "is_late", "submitted_at"]
    list_filter = ["status", "is_late", "is_current", "assignment__activity__season__program"]
    search_fields = ["topic", "enrollment__person__last_name"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "assignment__activity"]
    raw_id_fields = ["enrollment", "assignment"]
    date_hierarchy = "submitted_at"


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["order", "title", "kind", "format", "is_mandatory", "gives_certificate", "hours", "required_sessions"]
    extra = 0
    show_change_link = True


# The roadmap module page shows its activities; programs cannot know activities, so the page is extended here.
admin.site.unregister(RoadmapModule)


@admin.register(RoadmapModule)
class RoadmapModuleWithActivitiesAdmin(BaseRoadmapModuleAdmin):
    inlines = [ActivityInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, Activity):
                obj.season_id = form.instance.season_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
