from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE, NEUTER, Forms
from core.admin_mixins import ReadOnlyAdminMixin
from core.dates import BoundedDatesMixin
from core.history_admin import AuditHistoryAdmin
from core.zones import moment_text
from participants.models import Enrollment
from programs.admin import RoadmapModuleAdmin as BaseRoadmapModuleAdmin
from programs.admin_mixins import (
    MunicipalityScopedAdmin,
    SeasonFilter,
    action_form_response,
    admin_scope,
    in_municipality,
)
from programs.models import RoadmapModule, Season

from .exclusion import exclusion_case_confirm, exclusion_case_dismiss, exclusion_case_reinstate
from .jobs_certificates import certificates_batch_start, certificates_zip_start
from .models import (
    Activity,
    Attendance,
    Certificate,
    ExclusionCase,
    ExclusionCaseEvent,
    Session,
    Submission,
    SubmissionExtension,
    SubmissionExtensionRequest,
    VideoAssignment,
)
from .selectors_attendance import expected_count_subquery, not_listed_reason
from .services import (
    activities_mandatory_set,
    attendance_defaults_confirm,
    extension_check,
    extension_grant,
    session_invite_group,
    session_not_started_error,
)
from .services_certificates import certificate_reissue, certificate_revoke
from .services_extension_requests import extension_request_grant, extension_request_reject


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["title", "starts_at", "ends_at", "place"]
    extra = 0
    show_change_link = True


class VideoAssignmentInline(admin.StackedInline):
    model = VideoAssignment
    fields = ["instructions", "opens_at", "due_at", "cutoff_at"]
    extra = 0
    max_num = 1


admin_grammar.register(
    Activity,
    Forms(
        NEUTER,
        "мероприятие",
        accusative="мероприятие",
        accusative_plural="мероприятия",
        few="мероприятия",
        many="мероприятий",
    ),
)


@admin.register(Activity)
class ActivityAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = [
        "title",
        "kind",
        "format",
        "module",
        "season",
        "is_mandatory",
        "gives_certificate",
        "is_feedback_meeting",
        "hours",
        "certificate_links",
    ]
    list_filter = [
        "kind",
        "format",
        "is_mandatory",
        "gives_certificate",
        "is_feedback_meeting",
        "audience",
        "season__program",
        ("season", SeasonFilter),
    ]
    search_fields = ["title", "description"]
    list_select_related = ["module", "season__program"]
    inlines = [SessionInline, VideoAssignmentInline]
    actions = ["make_mandatory", "make_optional"]
    fieldsets = [
        (None, {"fields": ["season", "module", "order", "title", "kind", "format", "description"]}),
        (_("Кто участвует"), {"fields": ["audience", "learning_format"]}),
        (
            _("Правила"),
            {"fields": ["is_mandatory", "gives_certificate", "is_feedback_meeting", "hours", "required_sessions"]},
        ),
    ]

    @admin.display(description=_("сертификаты"))
    def certificate_links(self, obj):
        if not obj.gives_certificate:
            return "—"
        return format_html(
            '<a href="{}?activity={}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:activities_certificate_issue"),
            obj.pk,
            _("Выдать сейчас"),
            reverse("admin:activities_certificate_zip", args=[obj.pk]),
            _("Скачать все сертификаты (ZIP)"),
        )

    @admin.action(description=_("Сделать обязательными"))
    def make_mandatory(self, request, queryset):
        n = activities_mandatory_set(activities=queryset, is_mandatory=True)
        self.message_user(request, _("Сделано обязательными мероприятий: %(n)d.") % {"n": n})

    @admin.action(description=_("Сделать необязательными"))
    def make_optional(self, request, queryset):
        n = activities_mandatory_set(activities=queryset, is_mandatory=False)
        self.message_user(request, _("Сделано необязательными мероприятий: %(n)d.") % {"n": n})


class AttendanceAdminForm(forms.ModelForm):
    """A mark set in the admin is refused before its session starts, as on every other marking path."""

    class Meta:
        model = Attendance
        # The admin passes each page's own fields; these are all a mark has.
        fields = ["session", "enrollment", "status", "reason", "marked_at", "marked_by", "is_default", "source"]

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed():  # a mark left as it was on the session's page is not being set now
            return cleaned
        session = cleaned.get("session")  # on the session's page, its hidden inline key: the session itself
        if session is not None and (message := session_not_started_error(session, timezone.now())):
            # At the mark: the session's key is hidden on the session's page.
            self.add_error("status" if "status" in self.fields else None, message)
        enrollment = cleaned.get("enrollment") or (self.instance.enrollment if self.instance.enrollment_id else None)
        if session is not None and enrollment is not None:
            # Only a participant expected at the session (or listed, «По желанию») can have a mark there.
            if message := not_listed_reason(session, enrollment):
                field = "enrollment" if "enrollment" in self.fields else ("status" if "status" in self.fields else None)
                self.add_error(field, _("Отметить этого участника нельзя: %(why)s") % {"why": message})
        return cleaned


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = AttendanceAdminForm
    fields = ["enrollment", "status", "reason", "marked_by", "marked_at", "is_default"]
    readonly_fields = ["enrollment", "marked_by", "marked_at", "is_default"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__person", "marked_by")

    def has_add_permission(self, request, obj=None):
        return False


class SessionAdminForm(forms.ModelForm):
    """Invitations («Приглашённые»): participants of the session's season one by one, or a whole group of it."""

    # experts.ExpertGroup, reached through Season's reverse relation «groups»: activities does not import experts.
    invite_group = forms.ModelChoiceField(
        label=_("пригласить всю группу"),
        queryset=Season._meta.get_field("groups").related_model.objects.none(),
        required=False,
        help_text=_("Все участники выбранной группы сезона будут добавлены к приглашённым."),
    )

    class Meta:
        model = Session
        fields = ["activity", "title", "starts_at", "ends_at", "place", "invited"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        season_id = self.instance.activity.season_id if self.instance.activity_id else None
        if "invited" in self.fields:
            self.fields["invited"].queryset = (
                Enrollment.objects.filter(season_id=season_id, status=Enrollment.Status.ACTIVE)
                .select_related("person")
                .order_by("person__last_name", "person__first_name")
                if season_id
                else Enrollment.objects.none()
            )
        groups = self.fields["invite_group"].queryset.model.objects
        # Only the session's own season's groups; a new session has no season yet, so no group can be chosen.
        self.fields["invite_group"].queryset = (
            groups.filter(season_id=season_id).order_by("name") if season_id else groups.none()
        )
        if not season_id:
            self.fields["invite_group"].help_text = _("Группу можно пригласить после сохранения занятия.")


admin_grammar.register(
    Session, Forms(NEUTER, "занятие", accusative="занятие", accusative_plural="занятия", few="занятия", many="занятий")
)


@admin.register(Session)
class SessionAdmin(MunicipalityScopedAdmin):
    municipality_path = "activity__season__program__municipality"
    form = SessionAdminForm
    list_display = ["__str__", "activity", "starts_at", "ends_at", "unconfirmed_defaults", "attendance_link"]
    list_filter = ["activity__season__program", "activity__kind", "activity__audience"]
    search_fields = ["title", "activity__title"]
    list_select_related = ["activity__season"]
    date_hierarchy = "starts_at"
    readonly_fields = ["attendance_link"]
    filter_horizontal = ["invited"]
    inlines = [AttendanceInline]
    actions = ["confirm_defaults"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(default_count=Coalesce(expected_count_subquery(defaults=True), Value(0)))
        )

    @admin.display(description=_("неподтверждённые отметки по умолчанию"), ordering="default_count")
    def unconfirmed_defaults(self, obj):
        return getattr(obj, "default_count", 0)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.cleaned_data.get("invite_group")
        if group is not None:
            added = session_invite_group(session=form.instance, group_id=group.pk, by=request.user)
            messages.info(request, _("Приглашено участников группы: %(n)s.") % {"n": added})

    @admin.action(description=_("Подтвердить отметки по умолчанию"))
    def confirm_defaults(self, request, queryset):
        confirmed = 0
        for session in queryset.select_related("activity__season__program"):
            try:
                confirmed += attendance_defaults_confirm(session=session, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                messages.error(request, f"{session}: {text}")
        messages.success(request, _("Подтверждено отметок по умолчанию: %(n)s.") % {"n": confirmed})

    @admin.display(description=_("посещаемость"))
    def attendance_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("session_attendance", args=[obj.pk]), _("Отметить посещаемость")
        )


admin_grammar.register(
    Attendance,
    Forms(
        FEMININE,
        "отметка посещаемости",
        accusative="отметку посещаемости",
        accusative_plural="отметки посещаемости",
        few="отметки посещаемости",
        many="отметок посещаемости",
    ),
)


@admin.register(Attendance)
class AttendanceAdmin(AuditHistoryAdmin, MunicipalityScopedAdmin):
    municipality_path = "session__activity__season__program__municipality"
    form = AttendanceAdminForm
    list_display = ["enrollment", "session", "mark", "reason", "source", "is_default", "marked_at"]
    list_filter = ["status", "source", "is_default", "session__activity__season__program"]
    search_fields = ["enrollment__person__last_name", "session__activity__title"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "session__activity"]
    raw_id_fields = ["session", "enrollment", "marked_by"]

    @admin.display(description=_("отметка"), ordering="status")
    def mark(self, obj):
        return obj.status_label


class ExtensionInline(admin.TabularInline):
    """The assignment's personal extensions, read-only: they are granted on their own page, through the service."""

    model = SubmissionExtension
    fields = ["enrollment", "until", "reason", "granted_by", "granted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("Продления сроков (добавляются в разделе «Продления сроков»)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__person", "enrollment__season", "granted_by")

    def has_add_permission(self, request, obj=None):
        return False


admin_grammar.register(
    VideoAssignment,
    Forms(
        NEUTER,
        "задание: видеоурок",
        accusative="задание: видеоурок",
        accusative_plural="задания: видеоуроки",
        few="задания: видеоурок",
        many="заданий: видеоурок",
    ),
)


@admin.register(VideoAssignment)
class VideoAssignmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "activity__season__program__municipality"
    list_display = ["activity", "opens_at", "due_at", "cutoff_at"]
    list_filter = ["activity__season__program"]
    list_select_related = ["activity"]
    search_fields = ["activity__title"]
    inlines = [ExtensionInline]


class SubmissionExtensionForm(forms.ModelForm):
    """Validates through the service's own check, so the coordinator sees its refusal at the field."""

    granted_by_user = None  # set per request by SubmissionExtensionAdmin.get_form

    class Meta:
        model = SubmissionExtension
        fields = ["assignment", "enrollment", "until", "reason"]

    def clean(self):
        cleaned = super().clean()
        assignment = cleaned.get("assignment") or getattr(self.instance, "assignment", None)
        enrollment = cleaned.get("enrollment") or getattr(self.instance, "enrollment", None)
        if assignment is None or enrollment is None or self.errors:
            return cleaned
        try:
            extension_check(
                assignment=assignment,
                enrollment=enrollment,
                until=cleaned.get("until"),
                reason=cleaned.get("reason", ""),
                by=self.granted_by_user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, exc)
        return cleaned


admin_grammar.register(
    SubmissionExtension,
    Forms(
        NEUTER,
        "продление срока",
        accusative="продление срока",
        accusative_plural="продления сроков",
        few="продления срока",
        many="продлений срока",
    ),
)


@admin.register(SubmissionExtension)
class SubmissionExtensionAdmin(MunicipalityScopedAdmin):
    municipality_path = "assignment__activity__season__program__municipality"
    form = SubmissionExtensionForm
    list_display = ["enrollment", "assignment", "until", "reason", "granted_by", "granted_at"]
    list_filter = ["assignment__activity__season__program", ("assignment__activity__season", SeasonFilter)]
    search_fields = ["enrollment__person__last_name", "enrollment__person__first_name", "assignment__activity__title"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "assignment__activity", "granted_by"]
    autocomplete_fields = ["enrollment", "assignment"]
    readonly_fields = ["granted_by", "granted_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["assignment", "enrollment", *self.readonly_fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.granted_by_user = request.user  # a class made for this request by modelform_factory
        return form

    def save_model(self, request, obj, form, change):
        extension = extension_grant(
            assignment=obj.assignment, enrollment=obj.enrollment, until=obj.until, reason=obj.reason, by=request.user
        )
        obj.pk, obj.granted_by, obj.granted_at = extension.pk, extension.granted_by, extension.granted_at


admin_grammar.register(
    Submission,
    Forms(
        MASCULINE,
        "видеоурок",
        accusative="видеоурок",
        accusative_plural="видеоуроки",
        few="видеоурока",
        many="видеоуроков",
    ),
)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    """Read-only: a video lesson is submitted by its teacher; a coordinator looks, filters and follows versions."""

    municipality_path = "assignment__activity__season__program__municipality"
    list_display = ["topic", "enrollment", "assignment", "version", "is_current", "status", "is_late", "submitted_at"]
    list_filter = [
        "status",
        "is_late",
        "is_current",
        "assignment__activity__season__program",
        ("assignment__activity__season", SeasonFilter),
    ]
    search_fields = ["topic", "enrollment__person__last_name", "enrollment__person__first_name"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "assignment__activity"]
    date_hierarchy = "submitted_at"
    fields = [
        "assignment",
        "enrollment",
        "version",
        "is_current",
        "video",
        "topic",
        "grade",
        "subject",
        "learning_format",
        "reflection",
        "submitted_at",
        "is_late",
        "status",
        "all_versions",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("subject", "enrollment__season")

    @admin.display(description=_("видео"))
    def video(self, obj):
        if obj.video_file:
            return format_html('<a href="{}">{}</a>', reverse("submission_file", args=[obj.pk]), _("видеофайл"))
        if obj.video_url:
            return format_html(
                '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', obj.video_url, obj.video_url
            )
        return "—"

    @admin.display(description=_("все версии"))
    def all_versions(self, obj):
        versions = Submission.objects.filter(assignment_id=obj.assignment_id, enrollment_id=obj.enrollment_id).order_by(
            "-version"
        )
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:activities_submission_change", args=[v.pk]),
                    v.version,
                    _("текущая") if v.is_current else "",
                    moment_text(v.submitted_at, obj.enrollment.season.tz),
                    v.get_status_display(),
                    _("с опозданием") if v.is_late else "",
                )
                for v in versions
            ),
        )
        return format_html("<table><tbody>{}</tbody></table>", rows)


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = [
        "order",
        "title",
        "kind",
        "format",
        "is_mandatory",
        "gives_certificate",
        "is_feedback_meeting",
        "hours",
        "required_sessions",
    ]
    extra = 0
    show_change_link = True


# The roadmap module page shows its activities; programs cannot know activities, so the page is extended here.
admin.site.unregister(RoadmapModule)


@admin.register(RoadmapModule)
class RoadmapModuleWithActivitiesAdmin(BaseRoadmapModuleAdmin):
    inlines = [ActivityInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, Activity):
                obj.season_id = form.instance.season_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


# --- Certificates (положение, п. 5.9) ------------------------------------------------------------------


class CertificateReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Сохраняется в карточке сертификата; на публичной странице проверки видно только «Отозван»."),
    )


class CertificateIssueForm(forms.Form):
    """«Выдать сертификаты сейчас»: a season (everything owed in it) or one activity."""

    season = forms.ModelChoiceField(label=_("Сезон"), queryset=None, required=False)
    activity = forms.ModelChoiceField(label=_("Мероприятие"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        seasons = Season.objects.select_related("program").order_by("program__title", "-starts_on")
        activities = Activity.objects.filter(gives_certificate=True).select_related("season__program")
        if user is not None:  # a staff account bound to no municipality is offered nothing
            seasons = in_municipality(seasons, "program__municipality", admin_scope(user))
            activities = in_municipality(activities, "season__program__municipality", admin_scope(user))
        self.fields["season"].queryset = seasons
        self.fields["activity"].queryset = activities.order_by("season__program__title", "title")
        self.fields["activity"].label_from_instance = lambda a: f"{a.title} ({a.season})"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("season") and not cleaned.get("activity"):
            raise ValidationError(_("Выберите сезон или мероприятие."))
        if cleaned.get("season") and cleaned.get("activity"):
            raise ValidationError(_("Выберите что-то одно: сезон или мероприятие."))
        return cleaned


class CertificateStateFilter(admin.SimpleListFilter):
    title = _("состояние")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("valid", _("Действителен")), ("revoked", _("Отозван"))]

    def queryset(self, request, queryset):
        if self.value() == "valid":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


admin_grammar.register(
    Certificate,
    Forms(
        MASCULINE,
        "сертификат",
        accusative="сертификат",
        accusative_plural="сертификаты",
        few="сертификата",
        many="сертификатов",
    ),
)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, AuditHistoryAdmin, MunicipalityScopedAdmin):
    """Certificates are issued by the service (never typed in); a coordinator revokes or re-issues with a reason."""

    municipality_path = "enrollment__season__program__municipality"
    list_display = ["number", "holder", "title", "hours", "issued_at", "state", "pdf_link"]
    list_filter = [CertificateStateFilter, "kind", "program", ("enrollment__season", SeasonFilter)]
    search_fields = ["number", "enrollment__person__last_name", "enrollment__person__first_name", "title"]
    list_select_related = ["enrollment__person", "enrollment__season"]
    date_hierarchy = "issued_at"
    actions = ["revoke", "reissue"]
    change_list_template = "admin/activities/certificate/change_list.html"
    fields = [
        "number",
        "holder",
        "kind",
        "title",
        "hours",
        "issued_at",
        "issued_by",
        "state",
        "revoked_by",
        "revoke_reason",
        "reissue_of",
        "pdf_link",
        "verify_link",
        "pdf_sha256",
    ]
    readonly_fields = fields

    @admin.display(description=_("кому выдан"), ordering="enrollment__person__last_name")
    def holder(self, obj):
        return obj.enrollment.person.full_name

    @admin.display(description=_("состояние"))
    def state(self, obj):
        if obj.revoked_at is None:
            return _("Действителен")
        local = timezone.localtime(obj.revoked_at, ZoneInfo(obj.enrollment.season.time_zone))
        return _("Отозван %(date)s") % {"date": date_format(local, "j E Y")}

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("certificate_download", args=[obj.pk]), _("скачать"))

    @admin.display(description=_("страница проверки"))
    def verify_link(self, obj):
        url = reverse("certificate_verify", args=[obj.code])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    # -- actions through a page asking for the reason --

    def _with_reason(self, request, queryset, *, title, apply):
        queryset = queryset.select_related("enrollment__person", "enrollment__season__program")
        if "apply" in request.POST:
            form = CertificateReasonForm(request.POST)
            if form.is_valid():
                done = 0
                for certificate in queryset:
                    if not request.user.has_perm("activities.manage_certificate", certificate):
                        continue
                    try:
                        apply(certificate, form.cleaned_data["reason"])
                    except ValidationError as exc:
                        self.message_user(request, f"{certificate.number}: {' '.join(exc.messages)}", messages.WARNING)
                    else:
                        done += 1
                if done:
                    self.message_user(request, _("Готово: %(n)d.") % {"n": done}, messages.SUCCESS)
                return None
        else:
            form = CertificateReasonForm()
        return action_form_response(
            self,
            request,
            template="admin/activities/certificate/reason.html",
            title=title,
            form=form,
            queryset=queryset,
        )

    @admin.action(description=_("Отозвать"))
    def revoke(self, request, queryset):
        return self._with_reason(
            request,
            queryset.filter(revoked_at__isnull=True),
            title=_("Отозвать сертификаты"),
            apply=lambda c, reason: certificate_revoke(certificate=c, by=request.user, reason=reason),
        )

    @admin.action(description=_("Выдать заново"))
    def reissue(self, request, queryset):
        return self._with_reason(
            request,
            queryset.filter(revoked_at__isnull=True),
            title=_("Выдать сертификаты заново (старые будут отозваны)"),
            apply=lambda c, reason: certificate_reissue(certificate=c, by=request.user, reason=reason),
        )

    # -- long jobs: issue now, ZIP of an activity --

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("issue/", wrap(self.issue_view), name="activities_certificate_issue"),
            path("zip/<int:activity_id>/", wrap(self.zip_view), name="activities_certificate_zip"),
            *super().get_urls(),
        ]

    def issue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        initial = {}
        for key in ("season", "activity"):
            if request.GET.get(key, "").isdecimal():  # isdigit() passes «²», which int() refuses
                initial[key] = int(request.GET[key])
        data = request.POST if request.method == "POST" else None
        form = CertificateIssueForm(data, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            target = form.cleaned_data["activity"] or form.cleaned_data["season"]
            if not request.user.has_perm("activities.issue_certificates", target):
                raise Http404
            job = certificates_batch_start(
                by=request.user, season=form.cleaned_data["season"], activity=form.cleaned_data["activity"]
            )
            return redirect("background_job", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Выдать сертификаты сейчас"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/activities/certificate/issue.html", context)

    def zip_view(self, request, activity_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        activity = get_object_or_404(Activity.objects.select_related("season__program"), pk=activity_id)
        if not request.user.has_perm("activities.issue_certificates", activity):
            raise Http404
        if request.method == "POST":
            job = certificates_zip_start(by=request.user, activity=activity)
            return redirect("background_job", job.pk)
        count = Certificate.objects.filter(activity=activity, revoked_at__isnull=True).exclude(pdf="").count()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Скачать все сертификаты (ZIP)"),
            "activity": activity,
            "count": count,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/activities/certificate/zip.html", context)


# --- Exclusion cases (seed 000 §4.4, §5.5) -------------------------------------------------------------------


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Обоснование решения"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Обоснование увидит участник; оно сохраняется в истории дела."),
        error_messages={"required": _("Напишите обоснование решения: без него решение не принимается.")},
    )


class ExclusionCaseEventInline(admin.TabularInline):
    """The audit trail, read-only: every step is written by the services."""

    model = ExclusionCaseEvent
    fields = ["at", "action", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin_grammar.register(
    ExclusionCase,
    Forms(
        NEUTER,
        "основание для исключения",
        accusative="основание для исключения",
        accusative_plural="основания для исключения",
        few="основания для исключения",
        many="оснований для исключения",
    ),
)


@admin.register(ExclusionCase)
class ExclusionCaseAdmin(ReadOnlyAdminMixin, AuditHistoryAdmin, MunicipalityScopedAdmin):
    """Grounds for exclusion found by the rules job; decided only through the actions, with a written reason."""

    municipality_path = "enrollment__season__program__municipality"
    list_display = ["person", "season", "status", "reasons_count", "automatic", "opened_at", "decided_at"]
    list_filter = ["status", ("enrollment__season", SeasonFilter), "automatic"]
    search_fields = ["enrollment__person__last_name", "enrollment__person__first_name"]
    list_select_related = ["enrollment__person", "enrollment__season__program"]
    date_hierarchy = "opened_at"
    fields = [
        "person",
        "season",
        "status",
        "automatic",
        "opened_at",
        "reasons_list",
        "decided_at",
        "decided_by",
        "decision_reason",
    ]
    readonly_fields = fields
    inlines = [ExclusionCaseEventInline]
    actions = ["confirm", "dismiss", "reinstate"]

    @admin.display(description=_("участник"), ordering="enrollment__person__last_name")
    def person(self, obj):
        return obj.enrollment.person

    @admin.display(description=_("сезон"), ordering="enrollment__season")
    def season(self, obj):
        return obj.enrollment.season

    @admin.display(description=_("оснований"))
    def reasons_count(self, obj):
        return len(obj.reasons or [])

    @admin.display(description=_("основания и свидетельства"))
    def reasons_list(self, obj):
        season = obj.enrollment.season
        rows = []
        for reason in obj.reasons or []:
            at = reason.get("at")
            when = ""
            if at:
                when = moment_text(datetime.fromisoformat(at), season.tz)
            # A reason recorded before sources were kept reads the season's source for its rule.
            source = reason.get("source") or season.rule_source(reason.get("rule", ""))[0]
            rows.append((reason.get("rule_text", ""), reason.get("evidence", ""), when, _("Источник:"), source))
        if not rows:
            return "—"
        body = format_html_join(
            "", "<li><strong>{}</strong><br>{} <small>({})</small><br><small>{} {}</small></li>", rows
        )
        return format_html("<ul>{}</ul>", body)

    def _decide(self, request, queryset, service, done_message, title):
        if "apply" in request.POST:
            form = DecisionReasonForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                done = 0
                # One transaction and row lock per case: a refusal of one never undoes the others.
                for case in queryset.select_related("enrollment__person", "enrollment__season__program"):
                    try:
                        service(case=case, by=request.user, reason=reason)
                    except PermissionDenied as exc:
                        self.message_user(request, f"{case.enrollment.person}: {exc}", messages.WARNING)
                    except ValidationError as exc:
                        self.message_user(
                            request, f"{case.enrollment.person}: {' '.join(exc.messages)}", messages.WARNING
                        )
                    else:
                        done += 1
                if done:
                    self.message_user(request, done_message(done), messages.SUCCESS)
                return None
        else:
            form = DecisionReasonForm()
        return action_form_response(
            self,
            request,
            template="admin/activities/exclusioncase/decision_reason.html",
            title=title,
            form=form,
            queryset=queryset.select_related("enrollment__person", "enrollment__season__program"),
        )

    @admin.action(description=_("Подтвердить исключение"))
    def confirm(self, request, queryset):
        return self._decide(
            request,
            queryset,
            exclusion_case_confirm,
            lambda n: (
                ngettext("Исключение подтверждено: %(n)d участник.", "Исключение подтверждено: %(n)d участников.", n)
                % {"n": n}
            ),
            _("Подтвердить исключение"),
        )

    @admin.action(description=_("Отклонить (оставить в программе)"))
    def dismiss(self, request, queryset):
        return self._decide(
            request,
            queryset,
            exclusion_case_dismiss,
            lambda n: (
                ngettext(
                    "Исключение отклонено, участник остаётся в программе: %(n)d.",
                    "Исключение отклонено, участники остаются в программе: %(n)d.",
                    n,
                )
                % {"n": n}
            ),
            _("Отклонить исключение"),
        )

    @admin.action(description=_("Восстановить участника"))
    def reinstate(self, request, queryset):
        return self._decide(
            request,
            queryset,
            exclusion_case_reinstate,
            lambda n: (
                ngettext("Восстановлен в программе: %(n)d участник.", "Восстановлены в программе: %(n)d участников.", n)
                % {"n": n}
            ),
            _("Восстановить участников"),
        )


# --- Teachers' requests for an extension (a late joiner's missed video lesson, seed 000 п. 4.4, 5.5) ------------


class ExtensionRequestGrantForm(BoundedDatesMixin, forms.Form):
    until = forms.DateField(
        label=_("Продлить до (включительно)"),
        help_text=_("Срок истекает в конце этого дня по времени программы."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Укажите дату, до которой продлевается срок."),
            "invalid": _("Введите дату в формате ДД.ММ.ГГГГ."),
        },
    )
    note = forms.CharField(
        label=_("Комментарий для участника"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Необязательно. Без комментария основанием продления станет сообщение участника."),
    )


class ExtensionRequestRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Причина отказа"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Причину увидит участник."),
        error_messages={"required": _("Напишите причину отказа: без неё запрос не отклоняется.")},
    )


def _end_of_day(day, season: Season) -> datetime:
    return datetime.combine(day, datetime.max.time().replace(microsecond=0), tzinfo=season.tz)


admin_grammar.register(
    SubmissionExtensionRequest,
    Forms(
        MASCULINE,
        "запрос на продление срока",
        accusative="запрос на продление срока",
        accusative_plural="запросы на продление срока",
        few="запроса на продление срока",
        many="запросов на продление срока",
    ),
)


@admin.register(SubmissionExtensionRequest)
class SubmissionExtensionRequestAdmin(ReadOnlyAdminMixin, MunicipalityScopedAdmin):
    """Teachers' requests: made in the cabinet, decided here only through the actions (extend or refuse)."""

    municipality_path = "assignment__activity__season__program__municipality"
    list_display = ["enrollment", "assignment", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", ("assignment__activity__season", SeasonFilter)]
    search_fields = ["enrollment__person__last_name", "enrollment__person__first_name", "assignment__activity__title"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "assignment__activity", "decided_by"]
    fields = [
        "enrollment",
        "assignment",
        "cutoff",
        "message",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields
    actions = ["grant", "reject"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "enrollment__person",
                "enrollment__season__program",
                "assignment__activity__season__program",
                "decided_by",
            )
        )

    @admin.display(description=_("окончательный срок задания"))
    def cutoff(self, obj):
        season = obj.assignment.activity.season
        return moment_text(obj.assignment.cutoff_at, season.tz)

    def _apply(self, request, queryset, *, form_class, template, title, decide):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                done = 0
                # One transaction and row lock per request: a refusal of one never undoes the others.
                for item in queryset.select_related("enrollment__person", "assignment__activity__season__program"):
                    try:
                        decide(item, form.cleaned_data)
                    except PermissionDenied as exc:
                        self.message_user(request, f"{item.enrollment.person}: {exc}", messages.WARNING)
                    except ValidationError as exc:
                        self.message_user(
                            request, f"{item.enrollment.person}: {' '.join(exc.messages)}", messages.WARNING
                        )
                    else:
                        done += 1
                if done:
                    self.message_user(
                        request,
                        ngettext("Решение принято: %(n)d запрос.", "Решение принято: запросов — %(n)d.", done)
                        % {"n": done},
                        messages.SUCCESS,
                    )
                return None
        else:
            form = form_class()
        return action_form_response(
            self,
            request,
            template=template,
            title=title,
            form=form,
            queryset=queryset.select_related("enrollment__person", "assignment__activity"),
        )

    @admin.action(description=_("Продлить до …"))
    def grant(self, request, queryset):
        def decide(item, data):
            until = _end_of_day(data["until"], item.assignment.activity.season)
            extension_request_grant(request=item, until=until, note=data["note"], by=request.user)

        return self._apply(
            request,
            queryset,
            form_class=ExtensionRequestGrantForm,
            template="admin/activities/submissionextensionrequest/decision.html",
            title=_("Продлить срок сдачи видеоурока"),
            decide=decide,
        )

    @admin.action(description=_("Отклонить"))
    def reject(self, request, queryset):
        def decide(item, data):
            extension_request_reject(request=item, note=data["note"], by=request.user)

        return self._apply(
            request,
            queryset,
            form_class=ExtensionRequestRejectForm,
            template="admin/activities/submissionextensionrequest/decision.html",
            title=_("Отклонить запрос на продление"),
            decide=decide,
        )
