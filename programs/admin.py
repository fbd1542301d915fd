from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_mixins import MunicipalityScopedAdmin, scoped_formfield
from .forms import RoadmapModuleAdminForm, SeasonAdminForm
from .models import Municipality, Organisation, Program, RoadmapModule, Season, Subject
from .services import season_clone

admin.site.site_header = _("Методический портал: администрирование")
admin.site.site_title = _("Методический портал")
admin.site.index_title = _("Управление программами")


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    municipality_path = ""
    list_display = ["name", "region", "time_zone"]
    search_fields = ["name", "region"]
    list_filter = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["short_name", "kind", "municipality", "low_results", "is_active"]
    list_filter = ["kind", "low_results", "is_active", "municipality"]
    search_fields = ["short_name", "name"]
    list_select_related = ["municipality"]
    actions = ["mark_low_results", "unmark_low_results"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"municipality": ""})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Отметить: школа с низкими образовательными результатами"))
    def mark_low_results(self, request, queryset):
        n = queryset.update(low_results=True)
        self.message_user(request, ngettext("Отмечена %d организация.", "Отмечено организаций: %d.", n) % n)

    @admin.action(description=_("Снять отметку о низких результатах"))
    def unmark_low_results(self, request, queryset):
        n = queryset.update(low_results=False)
        self.message_user(request, ngettext("Отметка снята у %d организации.", "Отметка снята: %d.", n) % n)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class SeasonInline(admin.TabularInline):
    model = Season
    fields = ["title", "starts_on", "ends_on", "registration_opens_at", "registration_closes_at", "capacity"]
    extra = 0
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "code", "kind", "municipality", "organiser", "is_published"]
    list_filter = ["kind", "is_published", "municipality"]
    search_fields = ["title", "code", "summary"]
    list_select_related = ["municipality", "organiser"]
    prepopulated_fields = {}
    inlines = [SeasonInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "code", "kind", "is_published"]}),
        (_("Кто проводит"), {"fields": ["municipality", "organiser", "order_reference"]}),
        (
            _("Описание"),
            {"fields": ["summary", "description", "goals", "eligibility", "mandatory_conditions"]},
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"municipality": "", "organiser": "municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoadmapModuleInline(admin.TabularInline):
    model = RoadmapModule
    form = RoadmapModuleAdminForm
    fields = ["order", "number", "title", "starts_on", "ends_on", "learning_formats"]
    extra = 0
    show_change_link = True


@admin.register(Season)
class SeasonAdmin(MunicipalityScopedAdmin):
    form = SeasonAdminForm
    municipality_path = "program__municipality"
    list_display = [
        "__str__",
        "starts_on",
        "ends_on",
        "registration_opens_at",
        "registration_closes_at",
        "requires_approval",
        "exclusion_policy",
    ]
    list_filter = ["program", "requires_approval", "exclusion_policy"]
    search_fields = ["title", "program__title"]
    list_select_related = ["program"]
    readonly_fields = ["cloned_from", "created_at"]
    inlines = [RoadmapModuleInline]
    actions = ["clone_for_next_year"]
    fieldsets = [
        (None, {"fields": ["program", "title", "starts_on", "ends_on", "time_zone"]}),
        (
            _("Регистрация"),
            {
                "fields": [
                    "registration_opens_at",
                    "registration_closes_at",
                    "capacity",
                    "requires_approval",
                    "eligible_education_levels",
                ]
            },
        ),
        (
            _("Правила участия и исключения"),
            {
                "fields": [
                    "exclusion_policy",
                    "exclude_on_unexcused_absence",
                    "exclude_on_missed_video",
                    "chat_join_days",
                    "default_attendance_status",
                    "video_max_size_mb",
                ]
            },
        ),
        (_("Сертификаты"), {"fields": ["issue_final_certificate", "certificate_signatory"]}),
        (
            _("Веса рейтинга"),
            {
                "fields": [
                    "weight_attendance",
                    "weight_video_score",
                    "weight_achievement_municipal",
                    "weight_achievement_regional",
                    "weight_achievement_federal",
                    "weight_achievement_international",
                ]
            },
        ),
        (_("Происхождение"), {"fields": ["cloned_from", "created_at"], "classes": ["collapse"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"program": "municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Скопировать сезон на следующий учебный год"))
    def clone_for_next_year(self, request, queryset):
        for season in queryset.select_related("program"):
            try:
                new = season_clone(source=season, years=1)
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("Сезон «%(s)s» не скопирован: %(why)s") % {"s": season, "why": " ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("Создан сезон «%(new)s»: дорожная карта, мероприятия и даты сдвинуты на год.") % {"new": new},
                    messages.SUCCESS,
                )


@admin.register(RoadmapModule)
class RoadmapModuleAdmin(MunicipalityScopedAdmin):
    form = RoadmapModuleAdminForm
    municipality_path = "season__program__municipality"
    list_display = ["title", "number", "order", "season", "starts_on", "ends_on"]
    list_filter = ["season__program"]
    search_fields = ["title"]
    list_select_related = ["season__program"]
