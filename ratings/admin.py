from django.contrib import admin

from programs.admin_mixins import MunicipalityScopedAdmin

from .models import Review, ReviewScore, Rubric, RubricCriterion


class CriterionInline(admin.StackedInline):
    model = RubricCriterion
    fields = ["order", "title", "description", "max_points", "levels", "weight", "comment_required"]
    extra = 0


@admin.register(Rubric)
class RubricAdmin(MunicipalityScopedAdmin):
    municipality_path = "program__municipality"
    list_display = ["title", "program", "version", "is_current", "created_at"]
    list_filter = ["program", "is_current"]
    list_select_related = ["program"]
    inlines = [CriterionInline]


class ScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ["criterion", "points", "comment"]
    extra = 0


@admin.register(Review)
class ReviewAdmin(MunicipalityScopedAdmin):
    municipality_path = "submission__assignment__activity__season__program__municipality"
    list_display = ["submission", "expert", "status", "total_score", "started_at", "released_at"]
    list_filter = ["status", "submission__assignment__activity__season__program"]
    search_fields = ["submission__topic", "submission__enrollment__person__last_name"]
    list_select_related = ["submission__enrollment__person", "expert__person"]
    raw_id_fields = ["submission", "expert", "rubric"]
    inlines = [ScoreInline]


from . import admin_achievements  # noqa: E402,F401  (achievements: registered in their own module)
