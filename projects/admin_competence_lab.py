"""The lab of professional competences in the admin: the organising committee keeps the district's list of
themes here; offers, requests and the express survey's answers are read here and handled on the lab's pages
(сид 001, «Лаборатория профессиональных компетенций»)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE, NEUTER, Forms
from core.admin_mixins import ReadOnlyAdminMixin
from programs.admin_mixins import MunicipalityScopedAdmin

from .models.competence_lab import CompetenceTheme, LabSurvey, LabSurveyAnswer, LearnerRequest, MentorOffer


@admin.register(CompetenceTheme)
class CompetenceThemeAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["title", "level", "is_active", "is_example", "order", "municipality"]
    list_editable = ["is_active", "order"]
    list_filter = ["level", "is_active", "is_example", "municipality"]
    search_fields = ["title"]
    fields = ["municipality", "title", "level", "description", "is_active", "is_example", "order"]


@admin.register(MentorOffer)
class MentorOfferAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    municipality_path = "theme__municipality"
    list_display = ["person", "theme", "organisation", "format", "capacity", "status", "created_at"]
    list_filter = ["status", "format", "theme__municipality"]
    search_fields = ["person__last_name", "theme__title"]
    list_select_related = ["person", "theme", "organisation"]


@admin.register(LearnerRequest)
class LearnerRequestAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    municipality_path = "theme__municipality"
    list_display = ["person", "theme", "organisation", "status", "mentor_name", "created_at"]
    list_filter = ["status", "theme__municipality"]
    search_fields = ["person__last_name", "theme__title"]
    list_select_related = ["person", "theme", "organisation", "offer__person"]

    @admin.display(description=_("наставник"))
    def mentor_name(self, obj):
        return obj.offer.person if obj.offer_id else "—"


class LabSurveyAnswerInline(admin.TabularInline):
    model = LabSurveyAnswer
    fields = ["organisation", "answered_at", "mentors_count", "learners_count", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LabSurvey)
class LabSurveyAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    municipality_path = "municipality"
    list_display = ["__str__", "municipality", "opened_at", "closed_at"]
    list_filter = ["municipality"]
    inlines = [LabSurveyAnswerInline]


admin_grammar.register(
    CompetenceTheme,
    Forms(
        FEMININE,
        "тема профессиональных компетенций",
        accusative="тему профессиональных компетенций",
        accusative_plural="темы профессиональных компетенций",
        few="темы профессиональных компетенций",
        many="тем профессиональных компетенций",
    ),
)
admin_grammar.register(
    MentorOffer,
    Forms(
        NEUTER,
        "предложение наставника",
        accusative="предложение наставника",
        accusative_plural="предложения наставников",
        few="предложения наставников",
        many="предложений наставников",
    ),
)
admin_grammar.register(
    LearnerRequest,
    Forms(
        MASCULINE,
        "запрос ученика",
        accusative="запрос ученика",
        accusative_plural="запросы учеников",
        few="запроса учеников",
        many="запросов учеников",
    ),
)
admin_grammar.register(
    LabSurvey,
    Forms(
        MASCULINE,
        "экспресс-опрос лаборатории",
        accusative="экспресс-опрос лаборатории",
        accusative_plural="экспресс-опросы лаборатории",
        few="экспресс-опроса лаборатории",
        many="экспресс-опросов лаборатории",
    ),
)
