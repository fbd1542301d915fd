"""The facts the KPIs count, in the coordinator's admin: professional development (with its XLSX import),
competence diagnostics, management teams and the programmes a team took part in as a team (the management team
is also an inline of the organisation), and the staff roster per organisation and year with its XLSX import,
its copy to the next year and the headcount-only numbers."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE_ANIMATE, NEUTER, Forms
from core.import_templates import TemplateColumn, import_template_response
from core.tables import MAX_FILE_SIZE, FileProblem, table_discard, table_stash, table_unstash
from core.typography import inner_quotes
from core.uploads import UploadRefusalFormMixin, upload_limited, upload_refusal
from programs.admin import OrganisationAdmin as BaseOrganisationAdmin
from programs.admin_mixins import MunicipalityScopedAdmin, ScopedOrganisationFilter, year_filter
from programs.models import Municipality, Organisation

from .import_jobs import (
    import_runs_in_background,
    professional_development_import_done,
    professional_development_import_start,
    staff_roster_import_done,
    staff_roster_import_start,
)
from .models import (
    ROSTER_YEAR_HELP,
    CompetenceDiagnostic,
    ManagementTeamMember,
    ManagementTeamProgramme,
    ProfessionalDevelopment,
    StaffHeadcount,
    StaffRosterEntry,
)
from .services_roster import TEMPLATE_COLUMNS as ROSTER_TEMPLATE_COLUMNS
from .services_roster import (
    RosterCopyRefused,
    roster_is_teacher,
    staff_roster_check,
    staff_roster_copy_to_next_year,
    staff_roster_import,
    staff_roster_read,
)
from .services_teams import management_team_programme_problems
from .services_training import TEMPLATE_COLUMNS as TRAINING_TEMPLATE_COLUMNS
from .services_training import (
    professional_development_check,
    professional_development_import,
    professional_development_read,
)

TRAINING_IMPORT_SESSION_KEY = "participants.training_import"
TRAINING_IMPORT_PERMISSION = "participants.add_professionaldevelopment"
PREVIEW_ROWS = 50
ROSTER_YEARS = (2000, 2100)  # the models' check constraints
PERSON_SEARCH = ["person__last_name", "person__first_name", "person__middle_name", "person__email"]


# --- Professional development --------------------------------------------------------------------------------


class SpreadsheetImportAdmin:
    """The admin's spreadsheet import: upload (size-capped, Russian refusals) → preview with what was matched →
    all-or-nothing import, or a background job for a long file. One flow for every import of facts; each admin
    names its URLs, session key, permission, upload form and templates and supplies the steps: `import_read`,
    `import_check`, `import_apply`, `import_start` (the background job) and `import_done` (message and where to go).
    `import_session_extra` / `import_params` carry what the upload form adds (the roster's year)."""

    import_url_name: str
    import_session_key: str
    import_permission: str
    import_upload_form: type[forms.Form]
    import_templates: str
    import_titles: tuple
    import_template_columns: list[TemplateColumn]
    import_template_filename: str

    def import_session_extra(self, form) -> dict:
        return {}

    def import_params(self, stored: dict) -> dict:
        return {}

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(upload_limited(MAX_FILE_SIZE)(self.import_upload_view)),
                name=self.import_url_name,
            ),
            path(
                "import/preview/",
                self.admin_site.admin_view(self.import_preview_view),
                name=f"{self.import_url_name}_preview",
            ),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{self.import_url_name}_template",
            ),
        ] + super().get_urls()

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(self.import_permission)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def import_template_view(self, request):
        """The XLSX with the headers the reader accepts and a sheet explaining each column (core.import_templates)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return import_template_response(
            self.import_template_columns, title=str(self.import_titles[0]), filename=self.import_template_filename
        )

    def import_upload_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        scope = self._scope(request)
        posted = request.method == "POST"
        data, files = (request.POST, request.FILES) if posted else (None, None)  # parsing runs the size cap
        form = self.import_upload_form(
            data, files, fixed_municipality=scope is not None, upload_error=upload_refusal(request)
        )
        if posted and form.is_valid():
            try:
                table = self.import_read(form.cleaned_data["file"])
            except FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                table_discard((request.session.get(self.import_session_key) or {}).get("table_file"))
                request.session[self.import_session_key] = {
                    "municipality": scope if scope is not None else form.cleaned_data["municipality"].pk,
                    **self.import_session_extra(form),
                    "filename": form.cleaned_data["file"].name,
                    "table_file": table_stash(table),
                }
                return redirect(f"admin:{self.import_url_name}_preview")
        context = self._context(
            request,
            self.import_titles[0],
            form=form,
            template_columns=self.import_template_columns,
            template_url=reverse(f"admin:{self.import_url_name}_template"),
        )
        return TemplateResponse(request, f"{self.import_templates}/import_upload.html", context)

    def import_preview_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        stored = request.session.get(self.import_session_key)
        scope = self._scope(request)
        municipality = None
        if stored and (scope is None or stored["municipality"] == scope):
            municipality = Municipality.objects.filter(pk=stored["municipality"]).first()
        table = table_unstash(stored["table_file"]) if municipality is not None else None
        if table is None:
            self.message_user(request, _("Сначала загрузите файл."), messages.WARNING)
            return redirect(f"admin:{self.import_url_name}")
        params = self.import_params(stored)
        background = import_runs_in_background(table)
        if background and request.method == "POST" and ("check" in request.POST or "import" in request.POST):
            # Too long for a request: the worker checks (and on «Импортировать» imports); the job's page follows it.
            job = self.import_start(
                municipality=municipality,
                table_file=stored["table_file"],
                filename=stored["filename"],
                total=len(table.rows),
                apply="import" in request.POST,
                by=request.user,
                **params,
            )
            return redirect("background_job", job.pk)
        if background:
            report = None
        elif request.method == "POST" and "import" in request.POST:
            report = self.import_apply(table=table, municipality=municipality, by=request.user, **params)
            if report.ok:
                table_discard(stored["table_file"])
                del request.session[self.import_session_key]
                message, url = self.import_done(report, **params)
                self.message_user(request, message, messages.SUCCESS)
                return redirect(url)
        else:
            report = self.import_check(table=table, municipality=municipality, **params)
        context = self._context(
            request,
            self.import_titles[1],
            municipality=municipality,
            filename=stored["filename"],
            report=report,
            total_rows=len(table.rows),
            preview_rows=report.rows[:PREVIEW_ROWS] if report else [],
            more_rows=max(0, len(report.rows) - PREVIEW_ROWS) if report else 0,
            columns=report.columns.items() if report else [(i, h) for i, h in enumerate(table.headers)],
            background=background,
            inline_max_rows=settings.IMPORT_INLINE_MAX_ROWS,
            **params,
        )
        return TemplateResponse(request, f"{self.import_templates}/import_preview.html", context)


class ProfessionalDevelopmentForm(forms.ModelForm):
    class Meta:
        model = ProfessionalDevelopment
        fields = [
            "person",
            "course_title",
            "provider",
            "hours",
            "starts_on",
            "ends_on",
            "in_federal_registry",
            "is_remote",
            "based_on_diagnostics",
            "is_continuous_format",
            "per_individual_route",
            "document_number",
        ]

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours is not None and hours <= 0:
            raise forms.ValidationError(_("Объём программы должен быть больше нуля часов."))
        return hours

    def clean_document_number(self):
        return " ".join((self.cleaned_data.get("document_number") or "").split())

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Дата окончания обучения раньше даты начала."))
        person, document = cleaned.get("person"), cleaned.get("document_number")
        if person and document:
            taken = (
                ProfessionalDevelopment.objects.filter(person=person, document_number=document)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if taken is not None:
                self.add_error(
                    "document_number",
                    _("Удостоверение № %(doc)s у этого педагога уже внесено: «%(course)s», %(date)s.")
                    % {"doc": document, "course": taken.course_title, "date": taken.ends_on.strftime("%d.%m.%Y")},
                )
        return cleaned


class TrainingImportUploadForm(UploadRefusalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Файл с записями о повышении квалификации"),
        help_text=_("XLSX или CSV (UTF-8 или Windows-1251, разделитель «,» или «;»), не больше 5 МБ и 20 000 строк."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.order_by("name"),
        help_text=_("Педагоги будут найдены среди работников организаций этого муниципалитета."),
    )

    def __init__(self, *args, fixed_municipality: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_municipality:
            del self.fields["municipality"]


admin_grammar.register(
    ProfessionalDevelopment,
    Forms(
        NEUTER,
        "повышение квалификации",
        accusative="повышение квалификации",
        accusative_plural="записи о повышении квалификации",
        few="записи о повышении квалификации",
        many="записей о повышении квалификации",
        one="запись о повышении квалификации",
    ),
)


@admin.register(ProfessionalDevelopment)
class ProfessionalDevelopmentAdmin(SpreadsheetImportAdmin, MunicipalityScopedAdmin):
    municipality_path = "person__organisation__municipality"
    form = ProfessionalDevelopmentForm
    list_display = [
        "person",
        "organisation",
        "course_title",
        "provider",
        "hours",
        "ends_on",
        "in_federal_registry",
        "is_remote",
        "based_on_diagnostics",
        "is_continuous_format",
        "per_individual_route",
        "source",
    ]
    list_filter = [
        year_filter("ends_on", _("год окончания")),
        "in_federal_registry",
        "is_remote",
        "based_on_diagnostics",
        "is_continuous_format",
        "per_individual_route",
        "source",
        ("person__organisation", ScopedOrganisationFilter),
        "person__category",
    ]
    search_fields = [*PERSON_SEARCH, "course_title", "provider", "document_number"]
    list_select_related = ["person__organisation"]
    autocomplete_fields = ["person"]
    date_hierarchy = "ends_on"
    readonly_fields = ["source", "created_at", "created_by"]
    change_list_template = "admin/participants/professionaldevelopment/change_list.html"
    fieldsets = [
        (None, {"fields": ["person", "course_title", "provider", "hours", "starts_on", "ends_on", "document_number"]}),
        (
            _("Что учитывают показатели"),
            {
                "fields": [
                    "in_federal_registry",
                    "is_remote",
                    "based_on_diagnostics",
                    "is_continuous_format",
                    "per_individual_route",
                ]
            },
        ),
        (_("Служебное"), {"fields": ["source", "created_at", "created_by"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("Организация"), ordering="person__organisation__sort_key")
    def organisation(self, obj):
        return obj.person.organisation

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)

    # --- Import: upload → preview with the matched people → all-or-nothing import (SpreadsheetImportAdmin) ---

    import_url_name = "participants_training_import"
    import_session_key = TRAINING_IMPORT_SESSION_KEY
    import_permission = TRAINING_IMPORT_PERMISSION
    import_upload_form = TrainingImportUploadForm
    import_templates = "admin/participants/professionaldevelopment"
    import_template_columns = TRAINING_TEMPLATE_COLUMNS
    import_template_filename = "professional-development-template.xlsx"
    import_titles = (_("Импорт повышения квалификации: файл"), _("Импорт повышения квалификации: проверка"))

    def import_read(self, file):
        return professional_development_read(file=file)

    def import_check(self, *, table, municipality):
        return professional_development_check(table=table, municipality=municipality)

    def import_apply(self, *, table, municipality, by):
        return professional_development_import(file=table, municipality=municipality, by=by)

    def import_start(self, **kwargs):
        return professional_development_import_start(**kwargs)

    def import_done(self, report) -> tuple[str, str]:
        return professional_development_import_done(report)


# --- Competence diagnostics -----------------------------------------------------------------------------------


class CompetenceDiagnosticForm(forms.ModelForm):
    """The areas with deficits are typed one per line and kept as a list."""

    deficit_areas_text = forms.CharField(
        label=_("Области с дефицитами"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Каждая область с новой строки, например «Формирование функциональной грамотности»."),
    )

    class Meta:
        model = CompetenceDiagnostic
        fields = ["person", "taken_on", "platform", "score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["deficit_areas_text"].initial = "\n".join(self.instance.deficit_areas or [])

    def clean_score(self):
        score = self.cleaned_data.get("score")
        if score is not None and not 0 <= score <= 100:
            raise forms.ValidationError(_("Результат — процент от 0 до 100."))
        return score

    def clean_taken_on(self):
        taken_on = self.cleaned_data.get("taken_on")
        if taken_on and taken_on > timezone.localdate():
            raise forms.ValidationError(_("Дата диагностики не может быть в будущем."))
        return taken_on

    def clean(self):
        cleaned = super().clean()
        areas: list[str] = []
        for line in (cleaned.get("deficit_areas_text") or "").splitlines():
            line = " ".join(line.split())
            if line and line.casefold() not in {a.casefold() for a in areas}:
                areas.append(line)
        if any(len(a) > 300 for a in areas):
            self.add_error("deficit_areas_text", _("Название области длиннее 300 знаков: сократите его."))
        self.instance.deficit_areas = areas
        person, taken_on, platform = cleaned.get("person"), cleaned.get("taken_on"), cleaned.get("platform")
        if person and taken_on and platform:
            taken = CompetenceDiagnostic.objects.filter(person=person, taken_on=taken_on, platform=platform)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "taken_on",
                    _("Результат этого педагога на этой платформе за %(date)s уже внесён.")
                    % {"date": taken_on.strftime("%d.%m.%Y")},
                )
        return cleaned


admin_grammar.register(
    CompetenceDiagnostic,
    Forms(
        FEMININE,
        "диагностика профессиональных компетенций",
        accusative="диагностику профессиональных компетенций",
        accusative_plural="диагностики профессиональных компетенций",
        few="диагностики профессиональных компетенций",
        many="диагностик профессиональных компетенций",
    ),
)


@admin.register(CompetenceDiagnostic)
class CompetenceDiagnosticAdmin(MunicipalityScopedAdmin):
    municipality_path = "person__organisation__municipality"
    form = CompetenceDiagnosticForm
    list_display = ["person", "organisation", "taken_on", "platform", "score", "deficit_count"]
    list_filter = [
        year_filter("taken_on", _("год")),
        "platform",
        ("person__organisation", ScopedOrganisationFilter),
        "person__category",
    ]
    search_fields = [*PERSON_SEARCH, "platform"]
    list_select_related = ["person__organisation"]
    autocomplete_fields = ["person"]
    date_hierarchy = "taken_on"
    fields = ["person", "taken_on", "platform", "score", "deficit_areas_text"]

    @admin.display(description=_("Организация"), ordering="person__organisation__sort_key")
    def organisation(self, obj):
        return obj.person.organisation

    @admin.display(description=_("Областей с дефицитами"))
    def deficit_count(self, obj):
        return len(obj.deficit_areas or [])


# --- Management teams -----------------------------------------------------------------------------------------


class ManagementTeamMemberForm(forms.ModelForm):
    class Meta:
        model = ManagementTeamMember
        fields = ["organisation", "person", "role", "since", "until"]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("Дата окончания работы в команде раньше даты начала."))
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        person = cleaned.get("person")
        if organisation is not None and organisation.pk and person and until is None:
            current = ManagementTeamMember.objects.filter(organisation=organisation, person=person, until__isnull=True)
            if current.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "person",
                    _(
                        "%(person)s уже входит в управленческую команду этой организации: укажите дату «по» у прежней записи."
                    )
                    % {"person": person},
                )
        return cleaned


class ManagementTeamInline(admin.TabularInline):
    model = ManagementTeamMember
    form = ManagementTeamMemberForm
    fields = ["person", "role", "since", "until"]
    autocomplete_fields = ["person"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


class CurrentMemberFilter(admin.SimpleListFilter):
    title = _("состав")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Входит сейчас")), ("no", _("Вышел из команды"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(until__isnull=True) | queryset.filter(until__gte=today)
        if self.value() == "no":
            return queryset.filter(until__lt=today)
        return queryset


admin_grammar.register(
    ManagementTeamMember,
    Forms(
        MASCULINE_ANIMATE,
        "член управленческой команды",
        accusative="члена управленческой команды",
        accusative_plural="членов управленческих команд",
        few="члена управленческой команды",
        many="членов управленческих команд",
    ),
)


@admin.register(ManagementTeamMember)
class ManagementTeamMemberAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    form = ManagementTeamMemberForm
    list_display = ["person", "role", "organisation", "since", "until"]
    list_filter = [CurrentMemberFilter, ("organisation", ScopedOrganisationFilter), "organisation__kind"]
    search_fields = [*PERSON_SEARCH, "role", "organisation__short_name"]
    list_select_related = ["person", "organisation"]
    autocomplete_fields = ["organisation", "person"]

    def get_queryset(self, request):
        # The label names the person: the team programme's member autocomplete lists it for every row.
        return super().get_queryset(request).select_related("person")


class ManagementTeamProgrammeForm(forms.ModelForm):
    class Meta:
        model = ManagementTeamProgramme
        fields = ["organisation", "title", "provider", "starts_on", "ends_on", "members"]

    def clean_title(self):
        return " ".join((self.cleaned_data.get("title") or "").split())

    def clean_provider(self):
        return " ".join((self.cleaned_data.get("provider") or "").split())

    def clean(self):
        cleaned = super().clean()
        organisation, members, ends_on = cleaned.get("organisation"), cleaned.get("members"), cleaned.get("ends_on")
        if organisation is not None and members is not None and ends_on is not None:
            problems = management_team_programme_problems(
                organisation=organisation,
                members=members.select_related("person"),
                starts_on=cleaned.get("starts_on"),
                ends_on=ends_on,
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


admin_grammar.register(
    ManagementTeamProgramme,
    Forms(
        FEMININE,
        "программа управленческой команды",
        accusative="программу управленческой команды",
        accusative_plural="программы управленческих команд",
        few="программы управленческих команд",
        many="программ управленческих команд",
    ),
)


@admin.register(ManagementTeamProgramme)
class ManagementTeamProgrammeAdmin(MunicipalityScopedAdmin):
    """Seed 002, п. 6.2, показатель 2: the programmes a management team took part in as a team."""

    municipality_path = "organisation__municipality"
    form = ManagementTeamProgrammeForm
    list_display = ["title", "organisation", "provider", "starts_on", "ends_on", "member_count"]
    list_filter = [year_filter("ends_on", _("год")), ("organisation", ScopedOrganisationFilter), "organisation__kind"]
    search_fields = ["title", "provider", "organisation__short_name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "members"]
    date_hierarchy = "ends_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members", distinct=True))

    @admin.display(description=_("Участников от команды"), ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


# The organisation's page (programs' admin) also shows its management team: programs cannot import
# participants, so the inline is added here, from the app that owns the model.
admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(BaseOrganisationAdmin):
    inlines = [*BaseOrganisationAdmin.inlines, ManagementTeamInline]


# --- Staff roster (кадровый состав) and headcounts ------------------------------------------------------------

ROSTER_IMPORT_SESSION_KEY = "participants.roster_import"
ROSTER_IMPORT_PERMISSION = "participants.add_staffrosterentry"
ROSTER_SEARCH = ["last_name", "first_name", "middle_name", "position", "organisation__short_name"]


class RosterYearMixin:
    """The roster's year within the years a KPI can ask for (ROSTER_YEARS), for the roster and headcount forms."""

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not ROSTER_YEARS[0] <= year <= ROSTER_YEARS[1]:
            raise forms.ValidationError(
                _("Год — от %(min)d до %(max)d.") % {"min": ROSTER_YEARS[0], "max": ROSTER_YEARS[1]}
            )
        return year


class StaffRosterEntryForm(RosterYearMixin, forms.ModelForm):
    class Meta:
        model = StaffRosterEntry
        fields = [
            "organisation",
            "year",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "position",
            "staff_kind",
            "education_level",
            "experience_years",
            "category",
            "hired_on",
            "left_on",
            "person",
        ]

    def clean_experience_years(self):
        years = self.cleaned_data.get("experience_years")
        if years is not None and years > 70:
            raise forms.ValidationError(_("Стаж — число лет от 0 до 70."))
        return years

    def clean(self):
        cleaned = super().clean()
        for name in ("last_name", "first_name", "middle_name", "position"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        hired_on, left_on, year = cleaned.get("hired_on"), cleaned.get("left_on"), cleaned.get("year")
        if hired_on and left_on and left_on < hired_on:
            self.add_error("left_on", _("Дата увольнения раньше даты приёма."))
        if year and left_on and left_on.year < year:
            self.add_error("left_on", _("Уволенный до начала года в состав этого года не входит."))
        # A past year's worker may work elsewhere today: the link is checked against the municipality only.
        person, organisation = cleaned.get("person"), cleaned.get("organisation")
        if (
            person
            and organisation
            and getattr(person.organisation, "municipality_id", None) != organisation.municipality_id
        ):
            self.add_error("person", _("Этот человек на портале работает в другом муниципалитете."))
        self.instance.is_teacher = roster_is_teacher(
            staff_kind=cleaned.get("staff_kind") or "", position=cleaned.get("position") or ""
        )
        return cleaned


class RosterImportUploadForm(UploadRefusalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Файл со списком работников"),
        help_text=_("XLSX или CSV (UTF-8 или Windows-1251, разделитель «,» или «;»), не больше 5 МБ и 20 000 строк."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    year = forms.IntegerField(
        label=_("Год состава (на 31 декабря)"),
        min_value=ROSTER_YEARS[0],
        max_value=ROSTER_YEARS[1],
        help_text=ROSTER_YEAR_HELP,
    )
    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.order_by("name"),
        help_text=_("Организации из файла ищутся среди организаций этого муниципалитета."),
    )

    def __init__(self, *args, fixed_municipality: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if fixed_municipality:
            del self.fields["municipality"]


admin_grammar.register(
    StaffRosterEntry,
    Forms(
        MASCULINE_ANIMATE,
        "работник в кадровом составе",
        accusative="работника в кадровом составе",
        accusative_plural="работников в кадровом составе",
        few="работника в кадровом составе",
        many="работников в кадровом составе",
    ),
)


@admin.register(StaffRosterEntry)
class StaffRosterEntryAdmin(SpreadsheetImportAdmin, MunicipalityScopedAdmin):
    """The staff roster per organisation and KPI year: the order KPIs' denominators (seed 002 §6.2, seed 003)."""

    municipality_path = "organisation__municipality"
    form = StaffRosterEntryForm
    list_display = [
        "full_name",
        "organisation",
        "year",
        "position",
        "staff_kind",
        "is_teacher",
        "education_level",
        "experience_years",
        "left_on",
        "person",
    ]
    list_filter = [
        year_filter("year", _("год состава"), is_date=False),
        ("organisation", ScopedOrganisationFilter),
        "staff_kind",
        "is_teacher",
        "education_level",
        "organisation__kind",
        ("person", admin.EmptyFieldListFilter),
    ]
    search_fields = [*ROSTER_SEARCH, "person__email"]
    list_select_related = ["organisation", "person"]
    autocomplete_fields = ["organisation", "person"]
    readonly_fields = ["is_teacher", "created_at", "updated_at"]
    actions = ["copy_to_next_year"]
    change_list_template = "admin/participants/staffrosterentry/change_list.html"
    fieldsets = [
        (None, {"fields": ["organisation", "year"]}),
        (_("Работник"), {"fields": ["last_name", "first_name", "middle_name", "birth_date", "person"]}),
        (
            _("Что учитывают показатели"),
            {
                "fields": [
                    "position",
                    "staff_kind",
                    "is_teacher",
                    "education_level",
                    "experience_years",
                    "category",
                    "hired_on",
                    "left_on",
                ]
            },
        ),
        (_("Служебное"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("ФИО"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.action(description=_("Перенести состав на следующий год"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        """Copies the whole roster of each selected row's organisation and year (not only the selected rows)."""
        pairs = sorted(set(queryset.order_by().values_list("organisation_id", "year")))
        organisations = Organisation.objects.in_bulk({pk for pk, _year in pairs})
        for organisation_id, year in pairs:
            organisation = organisations[organisation_id]
            try:
                copied = staff_roster_copy_to_next_year(organisation=organisation, year=year)
            except RosterCopyRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Состав «%(organisation)s» перенесён с %(year)d на %(next)d год: %(n)d работник. "
                        "Уволенные в %(year)d году не перенесены, стаж увеличен на год; внесите изменения.",
                        "Состав «%(organisation)s» перенесён с %(year)d на %(next)d год: работников — %(n)d. "
                        "Уволенные в %(year)d году не перенесены, стаж увеличен на год; внесите изменения.",
                        copied,
                    )
                    % {
                        "organisation": inner_quotes(organisation.short_name),
                        "year": year,
                        "next": year + 1,
                        "n": copied,
                    },
                    messages.SUCCESS,
                )

    # --- Import: upload → preview with the matched people → all-or-nothing import (SpreadsheetImportAdmin) ---

    import_url_name = "participants_roster_import"
    import_session_key = ROSTER_IMPORT_SESSION_KEY
    import_permission = ROSTER_IMPORT_PERMISSION
    import_upload_form = RosterImportUploadForm
    import_templates = "admin/participants/staffrosterentry"
    import_template_columns = ROSTER_TEMPLATE_COLUMNS
    import_template_filename = "staff-roster-template.xlsx"
    import_titles = (_("Импорт кадрового состава: файл"), _("Импорт кадрового состава: проверка"))

    def import_read(self, file):
        return staff_roster_read(file=file)

    def import_session_extra(self, form) -> dict:
        return {"year": form.cleaned_data["year"]}

    def import_params(self, stored: dict) -> dict:
        return {"year": int(stored["year"])}

    def import_check(self, *, table, municipality, year):
        return staff_roster_check(table=table, municipality=municipality, year=year)

    def import_apply(self, *, table, municipality, by, year):
        return staff_roster_import(file=table, municipality=municipality, year=year)

    def import_start(self, **kwargs):
        return staff_roster_import_start(**kwargs)

    def import_done(self, report, *, year) -> tuple[str, str]:
        return staff_roster_import_done(report, year=year)


class StaffHeadcountForm(RosterYearMixin, forms.ModelForm):
    class Meta:
        model = StaffHeadcount
        fields = [
            "organisation",
            "year",
            "pedagogical_total",
            "teachers",
            "higher_education",
            "teachers_under_5_years",
            "management_total",
        ]

    def clean(self):
        cleaned = super().clean()
        total, teachers = cleaned.get("pedagogical_total"), cleaned.get("teachers")
        if total is not None and teachers is not None and teachers > total:
            self.add_error("teachers", _("Учителей больше, чем педагогических работников всего."))
        higher = cleaned.get("higher_education")
        if total is not None and higher is not None and higher > total:
            self.add_error("higher_education", _("С высшим образованием больше, чем педагогических работников всего."))
        young = cleaned.get("teachers_under_5_years")
        if teachers is not None and young is not None and young > teachers:
            self.add_error("teachers_under_5_years", _("Учителей со стажем до 5 лет больше, чем учителей всего."))
        return cleaned


admin_grammar.register(
    StaffHeadcount,
    Forms(
        FEMININE,
        "численность персонала",
        accusative="численность персонала",
        accusative_plural="записи о численности персонала",
        few="записи о численности персонала",
        many="записей о численности персонала",
        one="запись о численности персонала",
    ),
)


@admin.register(StaffHeadcount)
class StaffHeadcountAdmin(MunicipalityScopedAdmin):
    """Numbers only (forms ОО-1, 85-К) for an organisation and year without a named roster; the roster wins."""

    municipality_path = "organisation__municipality"
    form = StaffHeadcountForm
    list_display = [
        "organisation",
        "year",
        "pedagogical_total",
        "teachers",
        "higher_education",
        "teachers_under_5_years",
        "management_total",
        "used_by_kpis",
    ]
    list_filter = [
        year_filter("year", _("год"), is_date=False),
        ("organisation", ScopedOrganisationFilter),
        "organisation__kind",
    ]
    search_fields = ["organisation__short_name", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        roster = StaffRosterEntry.objects.filter(organisation=OuterRef("organisation"), year=OuterRef("year"))
        return super().get_queryset(request).annotate(has_roster=Exists(roster))

    @admin.display(description=_("Что учитывают показатели"), ordering="has_roster")
    def used_by_kpis(self, obj):
        if obj.has_roster:
            return _("Поимённый состав за этот год: показатели считают по нему, эти числа не используются")
        return _("Эти числа")
