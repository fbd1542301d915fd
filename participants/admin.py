from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import admin_grammar, tables
from core.admin_grammar import FEMININE, MASCULINE, MASCULINE_ANIMATE, NEUTER, Forms
from core.admin_mixins import BoundedDatesAdminMixin, ZonedMomentsAdminMixin
from core.history_admin import AuditHistoryAdmin
from core.import_templates import import_template_response
from core.outgoing_emails import letters_queued, letters_state
from core.uploads import upload_limited, upload_refusal
from programs.admin_mixins import (
    NO_MUNICIPALITY,
    MunicipalityScopedAdmin,
    ScopedOrganisationFilter,
    ScopedRelationsMixin,
    SeasonFilter,
    action_form_response,
    admin_scope,
    in_municipality,
    low_results_filter,
)
from programs.models import Program, Season

from . import imports
from .feedback import feedback_summary
from .forms import ImportMappingForm, ImportUploadForm
from .import_jobs import (
    RegistrationsReport,
    import_runs_in_background,
    registrations_import_done,
    registrations_import_start,
)
from .journal import enrollment_journal
from .models import (
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FeedbackQuestion,
    Person,
    PersonalDataRequest,
    SchoolApplication,
    User,
)
from .retention import erasure_request_carry_out, retention_due_people, withdrawal_erasures_due
from .services import (
    SCHOOL_GATE_SOURCE,
    ImportRejected,
    enrollment_school_gate_override,
    enrollments_set_status,
    registrations_import,
    school_application_decide,
    school_gate_check,
    user_may_override_school_gate,
)
from .services_chat import chat_membership_confirm, chat_membership_revoke

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


# What only a superuser changes on any account, one's own included (a cleared municipality widened the scope).
SUPERUSER_ONLY_USER_FIELDS = [
    "role",
    "municipality",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
]


admin_grammar.register(
    User,
    Forms(
        MASCULINE_ANIMATE,
        "пользователь",
        accusative="пользователя",
        accusative_plural="пользователей",
        few="пользователя",
        many="пользователей",
    ),
)


@admin.register(User)
class UserAdmin(ScopedRelationsMixin, ZonedMomentsAdminMixin, BoundedDatesAdminMixin, BaseUserAdmin):
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
        # Only a superuser hands out rights and places: a coordinator edits an account's e-mail and password
        # (their own included) and cannot clear or change its municipality, role, flags, groups or permissions —
        # the fields are shown, never taken from the form (a crafted POST with them changes nothing).
        if request.user.is_superuser:
            return []
        return [*SUPERUSER_ONLY_USER_FIELDS, "last_login", "date_joined"]

    def has_add_permission(self, request):
        # An account bound to no municipality creates none: what it created would belong nowhere.
        return admin_scope(request.user) != NO_MUNICIPALITY and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        # Another staff account (a fellow coordinator's) is not a coordinator's to change, nor its password set:
        # that would be signing in as them.
        if obj is not None and not request.user.is_superuser and obj.is_staff and obj.pk != request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and obj.is_staff:
            return False
        return super().has_delete_permission(request, obj)

    def rows_of_municipality(self, queryset, municipality_id):
        """The accounts of a municipality (None: all); how any form's relation to an account is scoped."""
        if municipality_id is None:
            return queryset
        if municipality_id == NO_MUNICIPALITY:
            return queryset.none()
        return queryset.filter(is_superuser=False).filter(_users_of_municipality(municipality_id))

    def get_queryset(self, request):
        return self.rows_of_municipality(super().get_queryset(request), admin_scope(request.user))

    def save_model(self, request, obj, form, change):
        # An account a coordinator creates belongs to their municipality, so it stays in their list.
        scope = admin_scope(request.user)
        if not change and scope is not None and obj.municipality_id is None:
            obj.municipality_id = scope
        super().save_model(request, obj, form, change)


# Groups carry permissions: only a superuser creates, changes or deletes one (a coordinator may only look).
admin.site.unregister(Group)


admin_grammar.register(
    Group, Forms(FEMININE, "группа", accusative="группу", accusative_plural="группы", few="группы", many="групп")
)


@admin.register(Group)
class SuperuserOnlyGroupAdmin(ScopedRelationsMixin, GroupAdmin):
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def _users_of_municipality(municipality_id: int) -> Q:
    """Accounts of a municipality: bound to it, or of a person working, enrolled or engaged as an expert there."""
    people = Person.objects.filter(
        Q(organisation__municipality_id=municipality_id)
        | Q(enrollments__season__program__municipality_id=municipality_id)
        # The reverse relation spares importing the experts app.
        | Q(expert_assignments__season__program__municipality_id=municipality_id),
        user_id__isnull=False,
    ).values("user_id")
    return Q(municipality_id=municipality_id) | Q(pk__in=people)


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


admin_grammar.register(
    Person,
    Forms(
        MASCULINE_ANIMATE, "человек", accusative="человека", accusative_plural="людей", few="человека", many="человек"
    ),
)


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
        (_("ФИО"), {"fields": ["last_name", "first_name", "middle_name", "gender", "birth_date"]}),
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


class ChatRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Например: участник вышел из чата. Причина сохраняется в истории участия."),
        error_messages={"required": _("Укажите причину, по которой снимается отметка о вступлении в чат.")},
    )


class SchoolGateReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Основание допуска без одобренной заявки школы"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=SCHOOL_GATE_SOURCE,
    )


class EnrollmentAdminForm(forms.ModelForm):
    """A hand-made enrollment passes the same school gate as a registration (seed 004, §III.2), or carries the
    coordinator's written reason for admitting the teacher without it."""

    school_gate_reason = forms.CharField(
        label=_("Основание допуска без одобренной заявки школы"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_(
            "Только для «Методического абонемента», если школа педагога не подала заявку или заявка не одобрена. "
            "Источник правила: %(source)s."
        )
        % {"source": SCHOOL_GATE_SOURCE},
    )

    class Meta:
        model = Enrollment
        fields = ["person", "season", "applied_at", "chat_joined_at", "preferred_format"]

    def clean(self):
        cleaned = super().clean()
        person, season = cleaned.get("person"), cleaned.get("season")
        if self.instance.pk or person is None or season is None:
            return cleaned
        try:
            school_gate_check(season=season, organisation_id=person.organisation_id)
        except ValidationError as exc:
            reason = (cleaned.get("school_gate_reason") or "").strip()
            if not reason:
                raise ValidationError(exc.messages) from exc
            if not user_may_override_school_gate(self.request_user, season):
                raise ValidationError(
                    _("Допустить педагога без одобренной заявки школы может только координатор этого сезона.")
                ) from exc
            self.school_gate_override = reason
        return cleaned


class EnrollmentChangeList(ChangeList):
    """The enrollment list reads only the columns it shows (`list_only`) for the rows of its page; the actions
    work on the changelist's own queryset (`get_queryset`), whole rows as before."""

    def get_results(self, request):
        self.queryset = self.queryset.only(*self.model_admin.list_only)
        super().get_results(request)


admin_grammar.register(
    Enrollment,
    Forms(
        NEUTER,
        "участие",
        accusative="участие в программе",
        accusative_plural="участия в программах",
        few="участия в программах",
        many="участий в программах",
        one="участие в программе",
    ),
)


def _letters_message(queued: str, state) -> tuple[str, int]:
    """An action's report on the letters it queued: `queued` says how many and how many went at once; the ones
    the mail server did not take are said to be retried, the refused ones to be in «Исходящие письма»."""
    text, level = queued, messages.SUCCESS
    if state.pending:
        text += " " + ngettext(
            "%(n)d письмо почтовый сервер пока не принял — портал повторит отправку автоматически.",
            "%(n)d письма почтовый сервер пока не принял — портал повторит отправку автоматически.",
            state.pending,
        ) % {"n": state.pending}
        level = messages.WARNING
    if state.failed:
        text += " " + ngettext(
            "%(n)d письмо не доставлено: почтовый сервер его отклонил (см. «Исходящие письма»).",
            "%(n)d письма не доставлены: почтовый сервер их отклонил (см. «Исходящие письма»).",
            state.failed,
        ) % {"n": state.failed}
        level = messages.WARNING
    return text, level


@admin.register(Enrollment)
class EnrollmentAdmin(AuditHistoryAdmin, MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["person", "organisation", "season", "status", "applied_at", "status_changed_at"]
    list_filter = [
        "status",
        "season__program",
        ("season", SeasonFilter),
        "person__organisation__municipality",
        ("applied_at", admin.DateFieldListFilter),
    ]
    search_fields = ["person__last_name", "person__first_name", "person__middle_name", "person__email"]
    list_select_related = ["person__organisation", "season__program"]
    # What the list's columns print (names, the school's short name, «program — season»): its 50 rows are read
    # without the people's, programs' and seasons' other columns (the program's description among them).
    list_only = [
        "person__last_name",
        "person__first_name",
        "person__middle_name",
        "person__organisation__short_name",
        "season__title",
        "season__program__title",
        "status",
        "applied_at",
        "status_changed_at",
    ]
    autocomplete_fields = ["person"]
    inlines = [StatusChangeInline]
    actions = [
        "approve",
        "approve_without_school_application",
        "reject",
        "exclude_from_program",
        "reinstate",
        "complete",
        "confirm_chat_membership",
        "revoke_chat_membership",
    ]
    change_list_template = "admin/participants/enrollment/change_list.html"
    form = EnrollmentAdminForm
    school_gate_fields = ["school_gate_override_reason", "school_gate_override_at", "school_gate_override_by"]
    # Chat membership (seed 000 §4.4) changes only through its service: the teacher's claim in the cabinet, the
    # confirmation by the technical specialist's page or the action below — each records who and when.
    chat_fields = ["chat_join_claimed_at", "chat_joined_at", "chat_join_confirmed_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user
        return form

    def get_changelist(self, request, **kwargs):
        return EnrollmentChangeList

    def get_fields(self, request, obj=None):
        fields = [
            "person",
            "season",
            "status",
            "applied_at",
            "status_changed_at",
            *self.chat_fields,
            "preferred_format",
        ]
        if obj is None:
            return [*fields, "school_gate_reason"]
        return [*fields, *self.school_gate_fields]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reason = getattr(form, "school_gate_override", "")
        if not change and reason:
            enrollment_school_gate_override(enrollment=obj, actor=request.user, reason=reason)

    # --- Import of a Google Form export: upload → column mapping and preview → all-or-nothing import ---

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(upload_limited(tables.MAX_FILE_SIZE)(self.import_upload_view)),
                name="participants_enrollment_import",
            ),
            path(
                "import/mapping/",
                self.admin_site.admin_view(self.import_mapping_view),
                name="participants_enrollment_import_mapping",
            ),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.import_template_view),
                name="participants_enrollment_import_template",
            ),
            path(
                "<int:object_id>/journal/",
                self.admin_site.admin_view(self.journal_view),
                name="participants_enrollment_journal",
            ),
        ]
        return urls + super().get_urls()

    # --- «Журнал изменений»: everything the audit trail recorded for the participant in the season ---

    def _journal_enrollment(self, request, object_id):
        enrollment = self.get_queryset(request).select_related("person", "season__program").filter(pk=object_id).first()
        if enrollment is None or not request.user.has_perm("participants.read_audit_trail", enrollment):
            return None
        return enrollment

    def journal_view(self, request, object_id: int):
        enrollment = self._journal_enrollment(request, object_id)
        if enrollment is None:
            raise Http404
        page_obj, entries = enrollment_journal(enrollment=enrollment, page=request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Журнал изменений: %(enrollment)s") % {"enrollment": enrollment},
            "opts": self.model._meta,
            "original": enrollment,
            "enrollment": enrollment,
            "page_obj": page_obj,
            "entries": entries,
        }
        return TemplateResponse(request, "admin/participants/enrollment/journal.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_read_journal": False}
        if str(object_id).isdigit():
            extra_context["can_read_journal"] = self._journal_enrollment(request, int(object_id)) is not None
        return super().change_view(request, object_id, form_url, extra_context)

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

    def import_template_view(self, request):
        """The XLSX with a Google Form's usual headers and a sheet explaining each column (core.import_templates)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return import_template_response(
            imports.TEMPLATE_COLUMNS,
            title=_("Импорт регистраций: шаблон таблицы"),
            filename="registrations-template.xlsx",
        )

    def import_upload_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        data, files = (request.POST, request.FILES) if posted else (None, None)  # parsing runs the size cap
        form = ImportUploadForm(
            data, files, seasons=self._import_seasons(request), upload_error=upload_refusal(request)
        )
        if request.method == "POST" and form.is_valid():
            try:
                table = tables.read_table(form.cleaned_data["file"])
            except tables.FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                tables.table_discard((request.session.get(IMPORT_SESSION_KEY) or {}).get("table_file"))
                request.session[IMPORT_SESSION_KEY] = {
                    "season": form.cleaned_data["season"].pk,
                    "filename": form.cleaned_data["file"].name,
                    "table_file": tables.table_stash(table),
                }
                return redirect("admin:participants_enrollment_import_mapping")
        context = self._import_context(
            request,
            _("Импорт из Google Формы: файл"),
            form=form,
            template_columns=imports.TEMPLATE_COLUMNS,
            template_url=reverse("admin:participants_enrollment_import_template"),
        )
        return TemplateResponse(request, "admin/participants/enrollment/import_upload.html", context)

    def import_mapping_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        stored = request.session.get(IMPORT_SESSION_KEY)
        season = self._import_seasons(request).filter(pk=(stored or {}).get("season")).first()
        table = tables.table_unstash((stored or {}).get("table_file")) if season is not None else None
        if table is None:
            self.message_user(request, _("Сначала загрузите файл."), messages.WARNING)
            return redirect("admin:participants_enrollment_import")
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
        background = import_runs_in_background(table)
        if mapping is not None and background:
            # Too long for a request: the worker checks (and on «Импортировать» imports); the job's page follows it.
            if posted and ("check" in request.POST or "import" in request.POST):
                job = registrations_import_start(
                    season=season,
                    mapping=mapping,
                    table_file=stored["table_file"],
                    filename=stored["filename"],
                    total=len(table.rows),
                    apply="import" in request.POST,
                    by=request.user,
                )
                return redirect("background_job", job.pk)
        elif mapping is not None:
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
                    tables.table_discard(stored["table_file"])
                    del request.session[IMPORT_SESSION_KEY]
                    done = RegistrationsReport(rows=result.rows, problems=[], enrollments=enrollments)
                    message, url = registrations_import_done(done, season=season)
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(url)
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
            ready=(mapping is not None) if background else (result is not None and not result.problems),
            background=background,
            inline_max_rows=settings.IMPORT_INLINE_MAX_ROWS,
        )
        return TemplateResponse(request, "admin/participants/enrollment/import_mapping.html", context)

    def get_readonly_fields(self, request, obj=None):
        # The status changes only through actions, so that every change is recorded with its reason.
        if obj is None:
            return ["status", "status_changed_at", *self.chat_fields]
        return ["person", "season", "status", "status_changed_at", *self.chat_fields, *self.school_gate_fields]

    @admin.display(description=_("Организация"), ordering="person__organisation__sort_key")
    def organisation(self, obj):
        return obj.person.organisation

    def _apply(self, request, queryset, to_status, reason=""):
        with letters_queued() as letters:
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
        if letters:
            state = letters_state(letters)
            queued = gettext("Писем участникам поставлено в очередь: %(n)d, отправлено сразу: %(sent)d.")
            self.message_user(request, *_letters_message(queued % {"n": state.total, "sent": state.sent}, state))
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
        return action_form_response(
            self,
            request,
            template="admin/participants/enrollment/status_reason.html",
            title=title,
            form=form,
            queryset=queryset.select_related("person", "season__program"),
        )

    @admin.action(description=_("Утвердить заявки"))
    def approve(self, request, queryset):
        self._apply(request, queryset, Enrollment.Status.ACTIVE, _("Заявка утверждена координатором"))

    @admin.action(description=_("Допустить без одобренной заявки школы и утвердить (с основанием)"))
    def approve_without_school_application(self, request, queryset):
        """«Методический абонемент»: the coordinator admits teachers whose school is not admitted (seed 004,
        §III.2), writing why; the reason, who and when stay on the enrollment and in its journal."""
        if "apply" in request.POST:
            form = SchoolGateReasonForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                admitted = []
                for enrollment in queryset.select_related("person", "season__program"):
                    try:
                        enrollment_school_gate_override(enrollment=enrollment, actor=request.user, reason=reason)
                    except ValidationError as exc:
                        self.message_user(request, f"{enrollment.person}: {' '.join(exc.messages)}", messages.WARNING)
                    else:
                        admitted.append(enrollment.pk)
                applied = Enrollment.objects.filter(pk__in=admitted, status=Enrollment.Status.APPLIED)
                if applied.exists():
                    self._apply(request, applied, Enrollment.Status.ACTIVE, reason)
                return None
        else:
            form = SchoolGateReasonForm()
        return action_form_response(
            self,
            request,
            template="admin/participants/enrollment/status_reason.html",
            title=_("Допустить без одобренной заявки школы"),
            form=form,
            queryset=queryset.select_related("person", "season__program"),
        )

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

    # Seed 000 §4.4: the coordinator marks the season's chat membership in bulk. The queryset is the changelist's,
    # scoped to the coordinator's municipality, so another municipality's ids posted here are not touched.
    @admin.action(description=_("Подтвердить вступление в чат"), permissions=["change"])
    def confirm_chat_membership(self, request, queryset):
        confirmed, skipped = chat_membership_confirm(enrollments=queryset, by=request.user)
        self.message_user(request, _("Вступление в чат подтверждено: %(n)s.") % {"n": confirmed}, messages.SUCCESS)
        for enrollment, why in skipped:
            self.message_user(
                request,
                _("%(person)s: не подтверждено — %(why)s.") % {"person": enrollment.person, "why": why},
                messages.WARNING,
            )

    @admin.action(description=_("Снять отметку о вступлении в чат"), permissions=["change"])
    def revoke_chat_membership(self, request, queryset):
        form = ChatRevokeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                revoked = chat_membership_revoke(
                    enrollments=queryset, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request, _("Отметка о вступлении в чат снята: %(n)s.") % {"n": revoked}, messages.SUCCESS
                )
                return None
        return action_form_response(
            self,
            request,
            template="admin/participants/enrollment/status_reason.html",
            title=_("Снять отметку о вступлении в чат"),
            form=form,
            queryset=queryset.select_related("person", "season__program"),
        )


# --- Methodical Subscription ---------------------------------------------------------------------------


class SubscriptionEnrollmentAutocompleteView(AutocompleteJsonView):
    """Enrollment autocomplete limited to seasons of the Methodical Subscription (and to the coordinator's
    municipality, through the enrollment admin's own queryset)."""

    def get_queryset(self):
        return super().get_queryset().filter(season__program__kind=Program.Kind.SUBSCRIPTION)


class SubscriptionEnrollmentSelect(AutocompleteSelect):
    def __init__(self, field, admin_site, url_name: str, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.subscription_url_name = url_name

    def get_url(self):
        return reverse(f"{self.admin_site.name}:{self.subscription_url_name}")


class SubscriptionEnrollmentAdminMixin:
    """For the admins of rows that belong to a participant of the Subscription (requests, route items):
    the `enrollment` field searches only Subscription enrollments of the coordinator's municipality."""

    def _subscription_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_subscription_enrollments"

    def get_urls(self):
        view = SubscriptionEnrollmentAutocompleteView.as_view(admin_site=self.admin_site)
        own = [path("subscription-enrollments/", self.admin_site.admin_view(view), name=self._subscription_url_name())]
        return own + super().get_urls()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enrollment":
            kwargs["widget"] = SubscriptionEnrollmentSelect(
                db_field, self.admin_site, url_name=self._subscription_url_name()
            )
            kwargs["queryset"] = Enrollment.objects.filter(season__program__kind=Program.Kind.SUBSCRIPTION)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SubscriptionSeasonFilter(SeasonFilter):
    """The season filter of the Subscription's admin pages: only seasons of the Methodical Subscription."""

    def field_choices(self, field, request, model_admin):
        qs = Season.objects.select_related("program").filter(program__kind=Program.Kind.SUBSCRIPTION)
        qs = in_municipality(qs, "program__municipality", admin_scope(request.user))
        return [(season.pk, str(season)) for season in qs.order_by("program__title", "-starts_on")]


# The organisation filter now lives with the other admin helpers; the old name stays for experts and activities.
OrganisationScopedFilter = ScopedOrganisationFilter


class GroundFilter(admin.SimpleListFilter):
    title = _("основание")
    parameter_name = "ground"

    def lookups(self, request, model_admin):
        return SchoolApplication.Ground.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value not in SchoolApplication.Ground.values:
            return queryset
        # The grounds are a JSON list of distinct codes; a quoted code matches on SQLite and PostgreSQL alike.
        return queryset.filter(grounds__icontains=f'"{value}"')


class SchoolApplicationAdminForm(forms.ModelForm):
    """An application received on paper, entered by the coordinator."""

    grounds = forms.MultipleChoiceField(
        label=_("Основания"),
        choices=SchoolApplication.Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одно основание для включения школы в проект.")},
    )

    class Meta:
        model = SchoolApplication
        fields = ["season", "organisation", "applicant", "grounds", "details", "teachers_planned"]

    def clean(self):
        cleaned = super().clean()
        season, organisation = cleaned.get("season"), cleaned.get("organisation")
        applicant = cleaned.get("applicant")
        if season and season.program.kind != Program.Kind.SUBSCRIPTION:
            self.add_error("season", _("Заявки школ принимаются только в программу «Методический абонемент»."))
        if organisation and applicant and applicant.organisation_id != organisation.pk:
            self.add_error("applicant", _("Заявитель должен работать в этой организации."))
        if season and organisation and not self.instance.pk:
            duplicate = SchoolApplication.objects.filter(
                season=season,
                organisation=organisation,
                status__in=[SchoolApplication.Status.APPLIED, SchoolApplication.Status.APPROVED],
            ).first()
            if duplicate is not None:
                self.add_error(
                    "organisation",
                    _("У этой школы уже есть заявка на этот сезон со статусом «%(status)s».")
                    % {"status": duplicate.get_status_display()},
                )
        return cleaned


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отказа"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Причину получит заявитель по электронной почте; она видна в его личном кабинете."),
        error_messages={"required": _("Укажите причину отказа: её получит заявитель.")},
    )


admin_grammar.register(
    SchoolApplication,
    Forms(
        FEMININE,
        "заявка школы на абонемент",
        accusative="заявку школы на абонемент",
        accusative_plural="заявки школ на абонемент",
        few="заявки школ на абонемент",
        many="заявок школ на абонемент",
    ),
)


@admin.register(SchoolApplication)
class SchoolApplicationAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    form = SchoolApplicationAdminForm
    list_display = [
        "organisation",
        "season",
        "applicant",
        "grounds_display",
        "teachers_planned",
        "status",
        "submitted_at",
        "decided_at",
    ]
    list_filter = ["status", ("season", SubscriptionSeasonFilter), GroundFilter, low_results_filter("organisation")]
    search_fields = [
        "organisation__short_name",
        "organisation__name",
        "applicant__last_name",
        "applicant__first_name",
        "details",
    ]
    list_select_related = ["organisation", "season__program", "applicant"]
    autocomplete_fields = ["organisation", "applicant"]
    date_hierarchy = "submitted_at"
    actions = ["approve", "reject"]
    decision_fields = ["status", "submitted_at", "decided_at", "decided_by", "decision_reason"]

    def get_fields(self, request, obj=None):
        fields = ["season", "organisation", "applicant", "grounds", "details", "teachers_planned"]
        return fields if obj is None else [*fields, *self.decision_fields]

    def get_readonly_fields(self, request, obj=None):
        # The decision is taken only through the actions, so that the applicant is told and the reason is kept.
        if obj is None:
            return []
        return ["season", "organisation", "applicant", *self.decision_fields]

    @admin.display(description=_("Основания"))
    def grounds_display(self, obj):
        chosen = set(obj.grounds or [])
        return "; ".join(str(label) for value, label in SchoolApplication.Ground.choices if value in chosen)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "season":
            kwargs["queryset"] = kwargs.get("queryset", Season.objects.all()).filter(
                program__kind=Program.Kind.SUBSCRIPTION
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _decide(self, request, queryset, approve: bool, reason: str = ""):
        with letters_queued() as letters:
            decided, skipped = school_application_decide(
                applications=queryset, approve=approve, reason=reason, by=request.user
            )
        if decided:
            text = (
                ngettext("Одобрена %(n)d заявка.", "Одобрено заявок: %(n)d.", decided)
                if approve
                else ngettext("Отклонена %(n)d заявка.", "Отклонено заявок: %(n)d.", decided)
            )
            self.message_user(request, text % {"n": decided}, messages.SUCCESS)
        if letters:
            state = letters_state(letters)
            queued = gettext("Писем заявителям поставлено в очередь: %(n)d, отправлено сразу: %(sent)d.")
            self.message_user(request, *_letters_message(queued % {"n": state.total, "sent": state.sent}, state))
        for application, why in skipped:
            self.message_user(request, f"{application.organisation}: {why}", messages.WARNING)

    @admin.action(description=_("Одобрить заявки школ"))
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Отклонить заявки школ (с указанием причины)"))
    def reject(self, request, queryset):
        if "apply" in request.POST:
            form = DecisionReasonForm(request.POST)
            if form.is_valid():
                self._decide(request, queryset, approve=False, reason=form.cleaned_data["reason"])
                return None
        else:
            form = DecisionReasonForm()
        return action_form_response(
            self,
            request,
            template="admin/participants/schoolapplication/decision_reason.html",
            title=_("Отклонить заявки школ"),
            form=form,
            queryset=queryset.select_related("organisation", "season__program"),
        )


# --- Quarterly feedback questions, their summary, personal-data requests -----------------------------------


class FeedbackQuestionForm(forms.ModelForm):
    """Choices are typed one per line instead of as JSON."""

    choices_text = forms.CharField(
        label=_("Варианты ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Для вопроса с выбором: каждый вариант с новой строки, не меньше двух."),
    )

    class Meta:
        model = FeedbackQuestion
        fields = [
            "season",
            "audience",
            "order",
            "text",
            "help_text",
            "kind",
            "is_required",
            "is_pulse",
            "shows_individual_answers",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        choices = [line.strip() for line in (data.get("choices_text") or "").splitlines() if line.strip()]
        if len(set(choices)) != len(choices):
            self.add_error("choices_text", _("Варианты повторяются: каждый вариант должен быть один раз."))
        if kind == FeedbackQuestion.Kind.CHOICE and len(choices) < 2:
            self.add_error("choices_text", _("У вопроса с выбором должно быть не меньше двух вариантов."))
        if kind != FeedbackQuestion.Kind.CHOICE and choices:
            self.add_error("choices_text", _("Варианты нужны только вопросу с выбором из вариантов."))
        if data.get("is_pulse") and kind != FeedbackQuestion.Kind.SCALE:
            self.add_error("is_pulse", _("Пульс нагрузки — это всегда вопрос со шкалой 1–5."))
        if self.instance.pk and kind and kind != self.instance.kind and self.instance.answers.exists():
            self.add_error("kind", _("На вопрос уже отвечали: вид ответа менять нельзя, добавьте новый вопрос."))
        self.instance.choices = choices
        return data


def can_see_feedback_summary(user, season: Season) -> bool:
    """Coordinators of the season's municipality (and superusers): the summary is not for other districts."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.municipality_id == season.program.municipality_id and user.has_perm(
        "participants.change_feedbackquestion"
    )


admin_grammar.register(
    FeedbackQuestion,
    Forms(
        MASCULINE,
        "вопрос обратной связи",
        accusative="вопрос обратной связи",
        accusative_plural="вопросы обратной связи",
        few="вопроса обратной связи",
        many="вопросов обратной связи",
    ),
)


@admin.register(FeedbackQuestion)
class FeedbackQuestionAdmin(MunicipalityScopedAdmin):
    form = FeedbackQuestionForm
    municipality_path = "season__program__municipality"
    list_display = [
        "text",
        "season",
        "audience",
        "order",
        "kind",
        "is_required",
        "is_pulse",
        "is_active",
        "summary_link",
    ]
    list_display_links = ["text"]
    list_editable = ["order", "is_active"]
    list_filter = [("season", SeasonFilter), "audience", "kind", "is_pulse", "is_active"]
    list_select_related = ["season__program"]
    search_fields = ["text"]
    ordering = ["season", "order", "pk"]
    fieldsets = [
        (None, {"fields": ["season", "audience", "order", "text", "help_text"]}),
        (_("Ответ"), {"fields": ["kind", "choices_text", "is_required", "is_pulse"]}),
        (_("Отчёты"), {"fields": ["shows_individual_answers", "is_active"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "season":
            kwargs["queryset"] = kwargs.get("queryset", Season.objects.all()).select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Сводка"))
    def summary_link(self, obj):
        url = reverse("admin:participants_feedback_summary", args=[obj.season_id])
        return format_html('<a href="{}">{}</a>', url, _("Сводка ответов"))

    def get_urls(self):
        return [
            path(
                "summary/<int:season_id>/",
                self.admin_site.admin_view(self.summary_view),
                name="participants_feedback_summary",
            ),
        ] + super().get_urls()

    def summary_view(self, request, season_id: int):
        season = get_object_or_404(Season.objects.select_related("program"), pk=season_id)
        if not can_see_feedback_summary(request.user, season):
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "title": _("Обратная связь участников: %(season)s") % {"season": season},
            "season": season,
            "quarters": feedback_summary(season=season),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/participants/feedback_summary.html", context)


admin_grammar.register(
    PersonalDataRequest,
    Forms(
        MASCULINE,
        "запрос по персональным данным",
        accusative="запрос по персональным данным",
        accusative_plural="запросы по персональным данным",
        few="запроса по персональным данным",
        many="запросов по персональным данным",
    ),
)


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(MunicipalityScopedAdmin):
    """The journal of 152-FZ requests: evidence, so coordinators only read it; requests come from the cabinet.

    A superuser may record a request received on paper; what was done is still written by the services.
    """

    municipality_path = "person__organisation__municipality"
    list_display = ["requested_at", "kind", "basis", "status", "person_ref", "person", "completed_at", "processed_by"]
    list_filter = ["kind", "basis", "status"]
    search_fields = ["person_ref"]
    list_select_related = ["person", "processed_by"]
    date_hierarchy = "requested_at"
    actions = ["carry_out_erasure"]
    change_list_template = "admin/participants/personaldatarequest/change_list.html"
    fields = [
        "person",
        "person_ref",
        "kind",
        "basis",
        "status",
        "reason",
        "requested_at",
        "completed_at",
        "processed_by",
        "result",
    ]
    autocomplete_fields = ["person"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["person_ref", "basis", "status", "requested_at", "completed_at", "processed_by", "result"]
        return self.fields

    def changelist_view(self, request, extra_context=None):
        # The dry run of the nightly destruction, in the coordinator's municipality: who is due now.
        now = timezone.now()
        people, requests = retention_due_people(now=now), withdrawal_erasures_due(now=now)
        municipality_id = self._scope(request)
        if municipality_id is not None:
            people = people.filter(organisation__municipality_id=municipality_id)
            requests = requests.filter(person__organisation__municipality_id=municipality_id)
        extra_context = {
            **(extra_context or {}),
            "retention_due": people.count(),
            "withdrawal_due": requests.count(),
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
            "withdrawal_days": settings.PERSONAL_DATA_WITHDRAWAL_ERASE_DAYS,
        }
        return super().changelist_view(request, extra_context=extra_context)

    def has_erase_permission(self, request) -> bool:
        return request.user.has_perm("participants.carry_out_erasure")

    @admin.action(description=_("Обезличить данные по открытым запросам на удаление"), permissions=["erase"])
    def carry_out_erasure(self, request, queryset):
        open_requests = queryset.filter(
            kind=PersonalDataRequest.Kind.ERASURE, status=PersonalDataRequest.Status.REQUESTED
        )
        results = [erasure_request_carry_out(request=r, by=request.user) for r in open_requests.order_by("pk")]
        erased = results.count("erased")
        self.message_user(
            request,
            _(
                "Обезличено: %(erased)d; закрыто без удаления: %(closed)d; пропущено (не открытые запросы на удаление): %(skipped)d."
            )
            % {
                "erased": erased,
                "closed": len(results) - erased,
                "skipped": queryset.count() - len(results),
            },
            messages.SUCCESS if erased else messages.WARNING,
        )

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.person_ref = str(obj.person_id or "")
        obj.processed_by = request.user
        super().save_model(request, obj, form, change)


# The job log and long jobs; the facts the KPIs count (ДПО, diagnostics, management teams).
from . import admin_axes, admin_facts  # noqa: E402,F401
