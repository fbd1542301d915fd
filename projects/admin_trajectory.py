"""«Траектория развития» in the coordinator's admin: the schools' monitoring of mentoring forms, row by row; the
district's page with who has not reported is the project's (projects.views_trajectory.monitoring)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import MASCULINE, Forms
from programs.admin_mixins import MunicipalityScopedAdmin, ScopedOrganisationFilter, year_filter

from .models.trajectory import MENTORING_FORMS, MentoringFormsReport


class MentoringFormsReportForm(forms.ModelForm):
    class Meta:
        model = MentoringFormsReport
        fields = ["season", "organisation", "year", "half", *(f for f, _label in MENTORING_FORMS), "note"]

    def clean(self):
        cleaned = super().clean()
        season, organisation = cleaned.get("season"), cleaned.get("organisation")
        if season and organisation and organisation.municipality_id != season.program.municipality_id:
            self.add_error("organisation", _("Школа должна быть из муниципалитета сезона."))
        return cleaned


admin_grammar.register(
    MentoringFormsReport,
    Forms(
        MASCULINE,
        "мониторинг форм наставничества",
        accusative="мониторинг форм наставничества",
        accusative_plural="мониторинги форм наставничества",
        few="мониторинга форм наставничества",
        many="мониторингов форм наставничества",
    ),
)


@admin.register(MentoringFormsReport)
class MentoringFormsReportAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    form = MentoringFormsReportForm
    list_display = ["organisation", "year", "half", *(f for f, _label in MENTORING_FORMS), "entered_at"]
    list_filter = [year_filter("year", _("год"), is_date=False), "half", ("organisation", ScopedOrganisationFilter)]
    search_fields = ["organisation__short_name", "organisation__name"]
    list_select_related = ["organisation", "season__program"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["entered_at", "entered_by"]

    def save_model(self, request, obj, form, change):
        obj.entered_at, obj.entered_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
