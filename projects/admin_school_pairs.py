"""«Школа – Школе» in the coordinator's admin: pairs with their plan inline, and the assessment results (ВПР, ОГЭ,
ЕГЭ), editable one by one; the bulk import is the project's page (projects.views_school_pairs.results_import)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE, Forms
from programs.admin_mixins import MunicipalityScopedAdmin, ScopedOrganisationFilter, low_results_filter, year_filter

from .models.school_pairs import FIXED_GRADES, VPR_GRADES, Assessment, AssessmentResult, PairPlanItem, SchoolPair
from .services_school_pairs import pair_errors


class SchoolPairForm(forms.ModelForm):
    class Meta:
        model = SchoolPair
        fields = ["season", "leader", "leader_role", "partner", "starts_on", "ends_on", "note"]

    def clean(self):
        cleaned = super().clean()
        season, leader, partner = cleaned.get("season"), cleaned.get("leader"), cleaned.get("partner")
        starts_on = cleaned.get("starts_on")
        if season and leader and partner and starts_on:
            errors = pair_errors(
                season=season,
                leader=leader,
                partner=partner,
                starts_on=starts_on,
                ends_on=cleaned.get("ends_on"),
                pk=self.instance.pk,
            )
            for field, messages in errors.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class PlanItemInline(admin.TabularInline):
    model = PairPlanItem
    fields = ["kind", "title", "planned_on", "session"]
    readonly_fields = ["session"]
    extra = 0


admin_grammar.register(
    SchoolPair,
    Forms(
        FEMININE,
        "пара «Школа – Школе»",
        accusative="пару «Школа – Школе»",
        accusative_plural="пары «Школа – Школе»",
        few="пары «Школа – Школе»",
        many="пар «Школа – Школе»",
    ),
)


@admin.register(SchoolPair)
class SchoolPairAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    form = SchoolPairForm
    list_display = ["partner", "leader", "leader_role", "season", "starts_on", "ends_on"]
    list_filter = ["leader_role", ("partner", ScopedOrganisationFilter), year_filter("starts_on", _("год начала"))]
    search_fields = ["partner__short_name", "partner__name", "leader__short_name", "leader__name"]
    list_select_related = ["partner", "leader", "season__program"]
    autocomplete_fields = ["leader", "partner"]
    inlines = [PlanItemInline]


class AssessmentResultForm(forms.ModelForm):
    class Meta:
        model = AssessmentResult
        fields = ["organisation", "year", "assessment", "subject", "grade", "participants", "average", "low_share"]

    def clean(self):
        cleaned = super().clean()
        assessment, grade, average = cleaned.get("assessment"), cleaned.get("grade"), cleaned.get("average")
        if assessment in FIXED_GRADES and grade is not None and grade != FIXED_GRADES[assessment]:
            self.add_error(
                "grade",
                _("%(assessment)s сдают в %(grade)d классе.")
                % {"assessment": Assessment(assessment).label, "grade": FIXED_GRADES[assessment]},
            )
        if assessment == Assessment.VPR and grade is not None and not VPR_GRADES[0] <= grade <= VPR_GRADES[1]:
            self.add_error("grade", _("ВПР пишут с 4 по 11 класс."))
        if assessment in (Assessment.VPR, Assessment.OGE) and average is not None and not 2 <= average <= 5:
            self.add_error("average", _("Средняя отметка ВПР и ОГЭ — от 2 до 5."))
        return cleaned


admin_grammar.register(
    AssessmentResult,
    Forms(
        MASCULINE,
        "результат оценочной процедуры",
        accusative="результат оценочной процедуры",
        accusative_plural="результаты оценочных процедур",
        few="результата оценочных процедур",
        many="результатов оценочных процедур",
    ),
)


@admin.register(AssessmentResult)
class AssessmentResultAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    form = AssessmentResultForm
    list_display = ["organisation", "year", "assessment", "subject", "grade", "participants", "average", "low_share"]
    list_filter = [
        year_filter("year", _("год"), is_date=False),
        "assessment",
        ("organisation", ScopedOrganisationFilter),
        low_results_filter("organisation"),
    ]
    search_fields = ["organisation__short_name", "organisation__name", "subject__name"]
    list_select_related = ["organisation", "subject"]
    autocomplete_fields = ["organisation"]
