"""The facts the KPIs count, in the coordinator's admin: professional development (with its XLSX import),
competence diagnostics, management teams and the programmes a team took part in as a team; the management team
is also an inline of the organisation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin import OrganisationAdmin as BaseOrganisationAdmin
from programs.admin_mixins import MunicipalityScopedAdmin, ScopedOrganisationFilter, year_filter
from programs.models import Municipality, Organisation
from programs.uploads import UploadRefusalFormMixin, upload_limited, upload_refusal

from .import_jobs import import_runs_in_background, professional_development_import_start
from .imports import MAX_FILE_SIZE, FileProblem, table_discard, table_stash, table_unstash
from .models import (
    CompetenceDiagnostic,
    ManagementTeamMember,
    ManagementTeamProgramme,
    ProfessionalDevelopment,
)
from .services_pd import professional_development_check, professional_development_import, professional_development_read
from .services_teams import management_team_programme_problems

PD_IMPORT_SESSION_KEY = "participants.pd_import"
PD_IMPORT_PERMISSION = "participants.add_professionaldevelopment"
PREVIEW_ROWS = 50
PERSON_SEARCH = ["person__last_name", "person__first_name", "person__middle_name", "person__email"]


# --- Professional development --------------------------------------------------------------------------------


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


class PdImportUploadForm(UploadRefusalFormMixin, forms.Form):
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


@admin.register(ProfessionalDevelopment)
class ProfessionalDevelopmentAdmin(MunicipalityScopedAdmin):
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
        "source",
    ]
    list_filter = [
        year_filter("ends_on", _("год окончания")),
        "in_federal_registry",
        "is_remote",
        "based_on_diagnostics",
        "is_continuous_format",
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
            {"fields": ["in_federal_registry", "is_remote", "based_on_diagnostics", "is_continuous_format"]},
        ),
        (_("Служебное"), {"fields": ["source", "created_at", "created_by"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("Организация"), ordering="person__organisation__short_name")
    def organisation(self, obj):
        return obj.person.organisation

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)

    # --- Import: upload → preview with the matched people → all-or-nothing import ---

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(upload_limited(MAX_FILE_SIZE)(self.import_upload_view)),
                name="participants_pd_import",
            ),
            path(
                "import/preview/",
                self.admin_site.admin_view(self.import_preview_view),
                name="participants_pd_import_preview",
            ),
        ] + super().get_urls()

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(PD_IMPORT_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def import_upload_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        scope = self._scope(request)
        posted = request.method == "POST"
        data, files = (request.POST, request.FILES) if posted else (None, None)  # parsing runs the size cap
        form = PdImportUploadForm(
            data, files, fixed_municipality=scope is not None, upload_error=upload_refusal(request)
        )
        if posted and form.is_valid():
            try:
                table = professional_development_read(file=form.cleaned_data["file"])
            except FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                table_discard((request.session.get(PD_IMPORT_SESSION_KEY) or {}).get("table_file"))
                request.session[PD_IMPORT_SESSION_KEY] = {
                    "municipality": scope if scope is not None else form.cleaned_data["municipality"].pk,
                    "filename": form.cleaned_data["file"].name,
                    "table_file": table_stash(table),
                }
                return redirect("admin:participants_pd_import_preview")
        context = self._context(request, _("Импорт повышения квалификации: файл"), form=form)
        return TemplateResponse(request, "admin/participants/professionaldevelopment/import_upload.html", context)

    def import_preview_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        stored = request.session.get(PD_IMPORT_SESSION_KEY)
        scope = self._scope(request)
        municipality = None
        if stored and (scope is None or stored["municipality"] == scope):
            municipality = Municipality.objects.filter(pk=stored["municipality"]).first()
        table = table_unstash(stored["table_file"]) if municipality is not None else None
        if table is None:
            self.message_user(request, _("Сначала загрузите файл."), messages.WARNING)
            return redirect("admin:participants_pd_import")
        background = import_runs_in_background(table)
        if background and request.method == "POST" and ("check" in request.POST or "import" in request.POST):
            # Too long for a request: the worker checks (and on «Импортировать» imports); the job's page follows it.
            job = professional_development_import_start(
                municipality=municipality,
                table_file=stored["table_file"],
                filename=stored["filename"],
                total=len(table.rows),
                apply="import" in request.POST,
                by=request.user,
            )
            return redirect("background_job", job.pk)
        if background:
            report = None
        elif request.method == "POST" and "import" in request.POST:
            report = professional_development_import(file=table, municipality=municipality, by=request.user)
            if report.ok:
                table_discard(stored["table_file"])
                del request.session[PD_IMPORT_SESSION_KEY]
                self.message_user(
                    request,
                    ngettext(
                        "Импортирована %(n)d запись о повышении квалификации.",
                        "Импортировано записей о повышении квалификации: %(n)d.",
                        report.created,
                    )
                    % {"n": report.created},
                    messages.SUCCESS,
                )
                return redirect(
                    reverse("admin:participants_professionaldevelopment_changelist") + "?source__exact=import"
                )
        else:
            report = professional_development_check(table=table, municipality=municipality)
        context = self._context(
            request,
            _("Импорт повышения квалификации: проверка"),
            municipality=municipality,
            filename=stored["filename"],
            report=report,
            total_rows=len(table.rows),
            preview_rows=report.rows[:PREVIEW_ROWS] if report else [],
            more_rows=max(0, len(report.rows) - PREVIEW_ROWS) if report else 0,
            columns=report.columns.items() if report else [(i, h) for i, h in enumerate(table.headers)],
            background=background,
            inline_max_rows=settings.IMPORT_INLINE_MAX_ROWS,
        )
        return TemplateResponse(request, "admin/participants/professionaldevelopment/import_preview.html", context)


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

    @admin.display(description=_("Организация"), ordering="person__organisation__short_name")
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
