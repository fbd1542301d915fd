import copy
from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE, NEUTER, PLURAL, Forms
from core.typography import inner_quotes

from .admin_mixins import MunicipalityScopedAdmin, ScopedOrganisationFilter, low_results_filter, year_filter
from .forms import RoadmapModuleAdminForm, SeasonAdminForm
from .models import (
    MunicipalEvent,
    Municipality,
    Organisation,
    OrganisationYearFacts,
    Program,
    RoadmapModule,
    Season,
    Subject,
)
from .rule_sources import RULE_FIELDS
from .selectors import season_rules
from .services import (
    organisation_low_results_mark,
    season_clone,
    season_rule_sources_note,
)

admin.site.site_header = _("Методический портал: администрирование")
admin.site.site_title = _("Методический портал")
admin.site.index_title = _("Управление программами")


admin_grammar.register(
    Municipality,
    Forms(
        MASCULINE,
        "муниципалитет",
        accusative="муниципалитет",
        accusative_plural="муниципалитеты",
        few="муниципалитета",
        many="муниципалитетов",
    ),
)


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    municipality_path = ""
    list_display = ["name", "region", "time_zone"]
    search_fields = ["name", "region"]
    list_filter = ["region"]


FIRST_FACTS_YEAR = 2015


def _check_year(form, field: str, year: int | None) -> None:
    latest = timezone.localdate().year + 1
    if year is not None and not FIRST_FACTS_YEAR <= year <= latest:
        form.add_error(
            field, _("Год должен быть от %(first)d до %(last)d.") % {"first": FIRST_FACTS_YEAR, "last": latest}
        )


class OrganisationYearFactsForm(forms.ModelForm):
    class Meta:
        model = OrganisationYearFacts
        fields = [
            "organisation",
            "year",
            "methodical_associations",
            "pedagogical_classes",
            "runs_mentoring_model",
            "low_results",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        _check_year(self, "year", cleaned.get("year"))
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        year = cleaned.get("year")
        if organisation is not None and organisation.pk and year and "year" not in self.errors:
            taken = OrganisationYearFacts.objects.filter(organisation=organisation, year=year).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error(
                    "year",
                    _("Сведения организации «%(org)s» за %(year)d год уже внесены: откройте и исправьте их.")
                    % {"org": inner_quotes(str(organisation)), "year": year},
                )
        return cleaned


class OrganisationYearFactsInline(admin.TabularInline):
    model = OrganisationYearFacts
    form = OrganisationYearFactsForm
    fields = ["year", "methodical_associations", "pedagogical_classes", "runs_mentoring_model", "low_results", "note"]
    extra = 0
    ordering = ["-year"]


admin_grammar.register(
    OrganisationYearFacts,
    Forms(
        PLURAL,
        "сведения организации за год",
        accusative="сведения организации за год",
        accusative_plural="сведения организаций за год",
        few="записи сведений за год",
        many="записей сведений за год",
        one="запись сведений за год",
        one_gender=FEMININE,
    ),
)


@admin.register(OrganisationYearFacts)
class OrganisationYearFactsAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    form = OrganisationYearFactsForm
    list_display = [
        "organisation",
        "year",
        "methodical_associations",
        "pedagogical_classes",
        "runs_mentoring_model",
        "low_results",
    ]
    list_filter = [
        year_filter("year", _("год"), is_date=False),
        "runs_mentoring_model",
        "low_results",
        "organisation__kind",
        ("organisation", ScopedOrganisationFilter),
    ]
    search_fields = ["organisation__short_name", "organisation__name", "note"]
    list_select_related = ["organisation"]

    autocomplete_fields = ["organisation"]


class MunicipalEventForm(forms.ModelForm):
    class Meta:
        model = MunicipalEvent
        fields = ["municipality", "organisation", "title", "held_on", "category", "level", "participants_count"]

    def clean(self):
        cleaned = super().clean()
        municipality, organisation = cleaned.get("municipality"), cleaned.get("organisation")
        if municipality and organisation and organisation.municipality_id != municipality.pk:
            self.add_error(
                "organisation",
                _("Организация «%(org)s» относится к другому муниципалитету.")
                % {"org": inner_quotes(str(organisation))},
            )
        held_on = cleaned.get("held_on")
        if held_on and not date(FIRST_FACTS_YEAR, 1, 1) <= held_on <= date(timezone.localdate().year + 1, 12, 31):
            self.add_error("held_on", _("Проверьте дату проведения: год вне допустимого диапазона."))
        if cleaned.get("participants_count") == 0:
            self.add_error("participants_count", _("Укажите число участников больше нуля или оставьте поле пустым."))
        return cleaned


admin_grammar.register(
    MunicipalEvent,
    Forms(
        NEUTER,
        "мероприятие муниципалитета",
        accusative="мероприятие муниципалитета",
        accusative_plural="мероприятия муниципалитета",
        few="мероприятия муниципалитета",
        many="мероприятий муниципалитета",
    ),
)


@admin.register(MunicipalEvent)
class MunicipalEventAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    form = MunicipalEventForm
    list_display = ["title", "held_on", "category", "level", "organisation", "participants_count", "municipality"]
    list_filter = [
        year_filter("held_on", _("год")),
        "category",
        "level",
        ("organisation", ScopedOrganisationFilter),
        "municipality",
    ]
    search_fields = ["title", "organisation__short_name"]
    list_select_related = ["municipality", "organisation"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "held_on"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if self._scope(request) is not None:
            initial.setdefault("municipality", self._scope(request))
        return initial


admin_grammar.register(
    Organisation,
    Forms(
        FEMININE,
        "организация",
        accusative="организацию",
        accusative_plural="организации",
        few="организации",
        many="организаций",
    ),
)


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    municipality_path = "municipality"
    inlines = [OrganisationYearFactsInline]
    list_display = ["short_name", "kind", "municipality", "low_results", "is_active"]
    list_filter = ["kind", low_results_filter(), "is_active", "municipality"]
    search_fields = ["short_name", "name"]
    list_select_related = ["municipality"]
    # The mark is the latest year's «Сведения организации за год» (edited in the rows below), never typed here and
    # never stored on the organisation: one record, so the current mark and the yearly count of the KPI cannot
    # disagree (сид 001, «Школа – Школе»).
    readonly_fields = ["low_results"]
    actions = ["mark_low_results", "unmark_low_results"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_low_results()

    @admin.display(description=_("школа с низкими образовательными результатами"), boolean=True, ordering="low_results")
    def low_results(self, obj):
        # A new organisation, not yet saved, has no yearly facts.
        return bool(getattr(obj, "low_results", False))

    @admin.action(description=_("Отметить: школа с низкими образовательными результатами в этом году"))
    def mark_low_results(self, request, queryset):
        year = timezone.localdate().year
        n = organisation_low_results_mark(
            organisation_ids=queryset.values_list("pk", flat=True), year=year, low_results=True
        )
        self.message_user(
            request,
            ngettext(
                "Отмечена %(n)d организация: сведения за %(year)d год.",
                "Отмечено организаций: %(n)d, сведения за %(year)d год.",
                n,
            )
            % {"n": n, "year": year},
        )

    @admin.action(description=_("Снять отметку о низких результатах в этом году"))
    def unmark_low_results(self, request, queryset):
        year = timezone.localdate().year
        n = organisation_low_results_mark(
            organisation_ids=queryset.values_list("pk", flat=True), year=year, low_results=False
        )
        self.message_user(
            request,
            ngettext(
                "Отметка снята у %(n)d организации: сведения за %(year)d год.",
                "Отметка снята у организаций: %(n)d, сведения за %(year)d год.",
                n,
            )
            % {"n": n, "year": year},
        )


admin_grammar.register(
    Subject,
    Forms(MASCULINE, "предмет", accusative="предмет", accusative_plural="предметы", few="предмета", many="предметов"),
)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class SeasonInline(admin.TabularInline):
    model = Season
    fields = ["title", "starts_on", "ends_on", "registration_opens_at", "registration_closes_at", "capacity"]
    extra = 0
    show_change_link = True


admin_grammar.register(
    Program,
    Forms(
        FEMININE, "программа", accusative="программу", accusative_plural="программы", few="программы", many="программ"
    ),
)


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "kind" and formfield is not None:
            # The kind decides who may join (participants.services.school_gate_check): say so, with its source.
            formfield.help_text = _(
                "«Методический абонемент»: педагоги участвуют только от школ, чья заявка на сезон одобрена; "
                "координатор сезона может допустить педагога без неё, записав основание. Источник: приказ № 18 "
                "от 10.02.2021 (г. Армавир), Положение, раздел III, п. 2."
            )
        return formfield


class RoadmapModuleInline(admin.TabularInline):
    model = RoadmapModule
    form = RoadmapModuleAdminForm
    fields = ["order", "number", "title", "starts_on", "ends_on", "learning_formats"]
    extra = 0
    show_change_link = True


admin_grammar.register(
    Season, Forms(MASCULINE, "сезон", accusative="сезон", accusative_plural="сезоны", few="сезона", many="сезонов")
)


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
    readonly_fields = ["cloned_from", "created_at", "rule_sources_table"]
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
                    "chat_url",
                    "chat_join_days",
                    "visit_period",
                    "default_attendance_status",
                    "video_max_size_mb",
                ]
            },
        ),
        (_("Сертификаты"), {"fields": ["issue_final_certificate", "certificate_signatory"]}),
        (_("Доступ к видеоурокам"), {"fields": ["videos_open_to_experts", "videos_open_reason"]}),
        (
            _("Веса рейтинга"),
            {
                "fields": [
                    "weight_attendance",
                    "weight_video_score",
                    "video_score_rule",
                    "weight_achievement_municipal",
                    "weight_achievement_regional",
                    "weight_achievement_federal",
                    "weight_achievement_international",
                ]
            },
        ),
        (
            _("Источник правил"),
            {
                "fields": ["rule_sources_table"],
                "description": _(
                    "Пункт приказа для каждого правила сезона. Правило, изменённое здесь по сравнению с приказом, "
                    "получает источник «изменено координатором» с датой."
                ),
            },
        ),
        (_("Происхождение"), {"fields": ["cloned_from", "created_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("Правила сезона и их источники"))
    def rule_sources_table(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Появится после сохранения сезона.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r.group, r.label, r.value, r.source) for r in season_rules(obj)),
        )
        return format_html(
            '<table class="rule-sources"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            gettext("Раздел"),
            gettext("Правило"),
            gettext("Значение"),
            gettext("Источник"),
            rows,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk is not None:
            # Each rule's source beside its field; copies, since declared fields are shared by every request.
            for name in RULE_FIELDS:
                field = form.base_fields.get(name)
                if field is None:
                    continue
                field = copy.deepcopy(field)
                source, _is_default = obj.rule_source(name)
                note = gettext("Источник: %(source)s.") % {"source": escape(source)}
                field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
                form.base_fields[name] = field
        return form

    def save_model(self, request, obj, form, change):
        # A rule moved away from its order's value no longer follows the order: say so (or restore the clause).
        season_rule_sources_note(season=obj, changed=form.changed_data)
        super().save_model(request, obj, form, change)

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


admin_grammar.register(
    RoadmapModule,
    Forms(
        MASCULINE,
        "модуль дорожной карты",
        accusative="модуль дорожной карты",
        accusative_plural="модули дорожной карты",
        few="модуля дорожной карты",
        many="модулей дорожной карты",
    ),
)


@admin.register(RoadmapModule)
class RoadmapModuleAdmin(MunicipalityScopedAdmin):
    form = RoadmapModuleAdminForm
    municipality_path = "season__program__municipality"
    list_display = ["title", "number", "order", "season", "starts_on", "ends_on"]
    list_filter = ["season__program"]
    search_fields = ["title"]
    list_select_related = ["season__program"]
