from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, scoped_formfield
from programs.models import Season

from . import imports
from .forms import ImportMappingForm, ImportUploadForm
from .models import Consent, Enrollment, EnrollmentStatusChange, Person, User
from .services import ImportRejected, enrollments_set_status, registrations_import

IMPORT_SESSION_KEY = "participants.enrollment_import"
IMPORT_PERMISSIONS = ("participants.add_person", "participants.add_enrollment")


class EmailUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "role", "municipality", "is_staff", "is_active", "last_login"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active", "municipality"]
    search_fields = ["email", "person__last_name", "person__first_name"]
    list_select_related = ["municipality"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Роль"), {"fields": ["role", "municipality"]}),
        (_("Права"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Даты"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out rights: a coordinator cannot make anyone, themselves included, a superuser.
        if request.user.is_superuser:
            return []
        return ["is_superuser", "groups", "user_permissions", "last_login", "date_joined"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(is_superuser=False)


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    fields = ["season", "status", "applied_at"]
    readonly_fields = ["season", "status", "applied_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ConsentInline(admin.TabularInline):
    """Consents are evidence (152-FZ): shown, never edited or deleted here."""

    model = Consent
    fields = ["kind", "text_version", "given_at", "withdrawn_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    list_display = ["full_name", "organisation", "position", "education_level", "category", "is_manager"]
    list_filter = ["education_level", "category", "is_manager", "organisation__municipality"]
    search_fields = ["last_name", "first_name", "middle_name", "email", "phone"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]
    filter_horizontal = ["subjects"]
    readonly_fields = ["is_anonymised", "created_at"]
    inlines = [EnrollmentInline, ConsentInline]
    fieldsets = [
        (_("ФИО"), {"fields": ["last_name", "first_name", "middle_name", "birth_date"]}),
        (_("Контакты"), {"fields": ["email", "phone", "user"]}),
        (
            _("Работа"),
            {
                "fields": [
                    "organisation",
                    "position",
                    "subjects",
                    "is_manager",
                    "education_level",
                    "experience_years",
                    "category",
                ]
            },
        ),
        (_("Служебное"), {"fields": ["is_anonymised", "created_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("ФИО"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"organisation": "municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StatusChangeInline(admin.TabularInline):
    model = EnrollmentStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Причину увидит участник; она сохраняется в истории участия."),
    )


@admin.register(Enrollment)
class EnrollmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["person", "organisation", "season", "status", "applied_at", "status_changed_at"]
    list_filter = ["status", "season__program", ("season", SeasonFilter), "person__organisation__municipality"]
    search_fields = ["person__last_name", "person__first_name", "person__middle_name", "person__email"]
    list_select_related = ["person__organisation", "season__program"]
    date_hierarchy = "applied_at"
    autocomplete_fields = ["person"]
    inlines = [StatusChangeInline]
    actions = ["approve", "reject", "exclude_from_program", "reinstate", "complete"]
    change_list_template = "admin/participants/enrollment/change_list.html"

    # --- Import of a Google Form export: upload → column mapping and preview → all-or-nothing import ---

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_upload_view),
                name="participants_enrollment_import",
            ),
            path(
                "import/mapping/",
                self.admin_site.admin_view(self.import_mapping_view),
                name="participants_enrollment_import_mapping",
            ),
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request) -> bool:
        return request.user.has_perms(IMPORT_PERMISSIONS)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def _import_seasons(self, request):
        seasons = Season.objects.select_related("program").order_by("program__title", "-starts_on")
        if self._scope(request) is not None:
            seasons = seasons.filter(program__municipality_id=self._scope(request))
        return seasons

    def _import_context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **extra,
        }

    def import_upload_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            seasons=self._import_seasons(request),
        )
        if request.method == "POST" and form.is_valid():
            try:
                table = imports.read_table(form.cleaned_data["file"])
            except imports.FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                request.session[IMPORT_SESSION_KEY] = {
                    "season": form.cleaned_data["season"].pk,
                    "filename": form.cleaned_data["file"].name,
                    "table": table.to_dict(),
                }
                return redirect("admin:participants_enrollment_import_mapping")
        context = self._import_context(request, _("Импорт из Google Формы: файл"), form=form)
        return TemplateResponse(request, "admin/participants/enrollment/import_upload.html", context)

    def import_mapping_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        stored = request.session.get(IMPORT_SESSION_KEY)
        season = self._import_seasons(request).filter(pk=(stored or {}).get("season")).first()
        if not stored or season is None:
            self.message_user(request, _("Сначала загрузите файл."), messages.WARNING)
            return redirect("admin:participants_enrollment_import")
        table = imports.Table.from_dict(stored["table"])
        posted = request.method == "POST"
        form = ImportMappingForm(
            request.POST if posted else None,
            headers=table.headers,
            fields=imports.FIELDS,
            initial_mapping=imports.guess_mapping(table.headers),
        )
        mapping = None
        if posted:
            if form.is_valid():
                mapping = form.mapping()
        elif not imports.mapping_problems(imports.guess_mapping(table.headers)):
            mapping = imports.guess_mapping(table.headers)
        result = None
        if mapping is not None:
            result = imports.check_rows(table=table, mapping=mapping, season=season)
            if posted and "import" in request.POST and not result.problems:
                try:
                    enrollments = registrations_import(
                        season=season,
                        rows=result.rows,
                        actor=request.user,
                        site_url=request.build_absolute_uri("/"),
                    )
                except ImportRejected as exc:
                    result.problems = exc.problems
                else:
                    del request.session[IMPORT_SESSION_KEY]
                    self.message_user(
                        request,
                        ngettext(
                            "Импортирован %(n)d участник в сезон «%(season)s»; приглашение отправлено на почту.",
                            "Импортировано участников: %(n)d в сезон «%(season)s»; приглашения отправлены на почту.",
                            len(enrollments),
                        )
                        % {"n": len(enrollments), "season": season},
                        messages.SUCCESS,
                    )
                    return redirect(
                        reverse("admin:participants_enrollment_changelist") + f"?season__id__exact={season.pk}"
                    )
        report = []
        if result is not None:
            report = [
                (p.row_number, imports.column_title(p.column, mapping, table.headers), p.message)
                for p in result.problems
            ]
        preview_rows = result.rows[:10] if result is not None else []
        context = self._import_context(
            request,
            _("Импорт из Google Формы: столбцы и проверка"),
            form=form,
            season=season,
            filename=stored["filename"],
            headers=table.headers,
            raw_preview=[cells for _n, cells in table.rows[:5]],
            total_rows=len(table.rows),
            checked=result is not None,
            report=report,
            preview_rows=preview_rows,
            ready=result is not None and not result.problems,
        )
        return TemplateResponse(request, "admin/participants/enrollment/import_mapping.html", context)

    def get_readonly_fields(self, request, obj=None):
        # The status changes only through actions, so that every change is recorded with its reason.
        return ["status", "status_changed_at"] if obj is None else ["person", "season", "status", "status_changed_at"]

    @admin.display(description=_("Организация"), ordering="person__organisation__short_name")
    def organisation(self, obj):
        return obj.person.organisation

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"season": "program__municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _apply(self, request, queryset, to_status, reason=""):
        changed, skipped = enrollments_set_status(
            enrollments=queryset,
            to_status=to_status,
            actor=request.user,
            reason=reason,
            site_url=request.build_absolute_uri("/"),
        )
        if changed:
            label = Enrollment.Status(to_status).label
            self.message_user(
                request,
                ngettext(
                    "Статус «%(status)s» установлен у %(n)d участника.",
                    "Статус «%(status)s» установлен у %(n)d участников.",
                    changed,
                )
                % {"status": label, "n": changed},
                messages.SUCCESS,
            )
        for enrollment, why in skipped:
            self.message_user(request, f"{enrollment.person}: {why}", messages.WARNING)

    def _with_reason(self, request, queryset, to_status, title):
        if "apply" in request.POST:
            form = ReasonForm(request.POST)
            if form.is_valid():
                self._apply(request, queryset, to_status, form.cleaned_data["reason"])
                return None
        else:
            form = ReasonForm()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset.select_related("person", "season__program"),
            "action": request.POST.get("action"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/participants/enrollment/status_reason.html", context)

    @admin.action(description=_("Утвердить заявки"))
    def approve(self, request, queryset):
        self._apply(request, queryset, Enrollment.Status.ACTIVE, _("Заявка утверждена координатором"))

    @admin.action(description=_("Отклонить заявки (с указанием причины)"))
    def reject(self, request, queryset):
        return self._with_reason(request, queryset, Enrollment.Status.REJECTED, _("Отклонить заявки"))

    @admin.action(description=_("Исключить из программы (с указанием причины)"))
    def exclude_from_program(self, request, queryset):
        return self._with_reason(request, queryset, Enrollment.Status.EXCLUDED, _("Исключить участников"))

    @admin.action(description=_("Восстановить в программе (с указанием причины)"))
    def reinstate(self, request, queryset):
        return self._with_reason(request, queryset, Enrollment.Status.ACTIVE, _("Восстановить участников"))

    @admin.action(description=_("Отметить: программа завершена"))
    def complete(self, request, queryset):
        self._apply(request, queryset, Enrollment.Status.COMPLETED, _("Программа завершена"))
