from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants.admin import OrganisationScopedFilter, SubscriptionEnrollmentAdminMixin, SubscriptionSeasonFilter
from programs.admin import SeasonAdmin
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, scoped_formfield
from programs.models import Season

from .models import ExpertAssignment, IndividualRequest, SeasonExpertRole
from .selectors import season_tutors
from .services import (
    individual_request_assign_tutor,
    individual_request_check_enrollment,
    individual_requests_set_status,
)


@admin.register(SeasonExpertRole)
class SeasonExpertRoleAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["season", "role", "planned_count", "assigned"]
    list_filter = ["role", "season__program"]
    list_select_related = ["season__program"]

    @admin.display(description=_("назначено"))
    def assigned(self, obj):
        return obj.assigned_count

    def get_queryset(self, request):
        assigned = (
            ExpertAssignment.objects.filter(season=OuterRef("season"), role=OuterRef("role"), is_active=True)
            .values("season")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(assigned_count=Subquery(assigned))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"season": "program__municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["person", "role", "subject", "season", "is_active"]
    list_filter = ["role", "is_active", "season__program", ("season", SeasonFilter), "subject"]
    search_fields = ["person__last_name", "person__first_name", "person__email"]
    list_select_related = ["person", "subject", "season__program"]
    autocomplete_fields = ["person"]
    actions = ["deactivate", "activate"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"season": "program__municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Вывести из команды сезона"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)

    @admin.action(description=_("Вернуть в команду сезона"))
    def activate(self, request, queryset):
        queryset.update(is_active=True)


class SeasonExpertRoleInline(admin.TabularInline):
    model = SeasonExpertRole
    fields = ["role", "planned_count", "functions"]
    extra = 0


class ExpertAssignmentInline(admin.TabularInline):
    model = ExpertAssignment
    fields = ["person", "role", "subject", "is_active"]
    autocomplete_fields = ["person"]
    extra = 0


# The season page shows its expert team; programs cannot know experts, so the page is extended here.
admin.site.unregister(Season)


@admin.register(Season)
class SeasonWithTeamAdmin(SeasonAdmin):
    inlines = [*SeasonAdmin.inlines, SeasonExpertRoleInline, ExpertAssignmentInline]


# --- The bank of requests of the Methodical Subscription --------------------------------------------------


class IndividualRequestAdminForm(forms.ModelForm):
    """A request a coordinator records on a teacher's behalf (e.g. received on paper)."""

    class Meta:
        model = IndividualRequest
        fields = ["enrollment", "deficit", "subject", "topic", "preferred_form", "comment"]

    def clean_enrollment(self):
        enrollment = self.cleaned_data["enrollment"]
        if not self.instance.pk:
            try:
                individual_request_check_enrollment(enrollment)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return enrollment


class TutorForm(forms.Form):
    tutor = forms.ModelChoiceField(
        label=_("Тьютор"),
        queryset=ExpertAssignment.objects.none(),
        help_text=_("Только тьюторы, которые работают в команде сезона выбранных запросов."),
        error_messages={"required": _("Выберите тьютора.")},
    )

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors
        self.fields["tutor"].label_from_instance = lambda a: f"{a.person.full_name} — {a.season}"


class RequestStatusForm(forms.Form):
    reason = forms.CharField(
        label=_("Пояснение к статусу"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Пояснение увидит педагог в личном кабинете. При отказе и возобновлении оно обязательно."),
    )


@admin.register(IndividualRequest)
class IndividualRequestAdmin(SubscriptionEnrollmentAdminMixin, MunicipalityScopedAdmin):
    municipality_path = "enrollment__season__program__municipality"
    form = IndividualRequestAdminForm
    list_display = [
        "topic",
        "teacher",
        "organisation",
        "subject",
        "preferred_form",
        "status",
        "tutor_name",
        "season",
        "created_at",
    ]
    list_filter = [
        "status",
        ("enrollment__season", SubscriptionSeasonFilter),
        "subject",
        "preferred_form",
        ("enrollment__person__organisation", OrganisationScopedFilter),
    ]
    search_fields = [
        "topic",
        "deficit",
        "enrollment__person__last_name",
        "enrollment__person__first_name",
        "enrollment__person__organisation__short_name",
    ]
    list_select_related = [
        "enrollment__person__organisation",
        "enrollment__season__program",
        "subject",
        "tutor__person",
    ]
    date_hierarchy = "created_at"
    actions = ["assign_tutor", "mark_in_work", "mark_done", "decline", "return_to_bank", "reopen"]
    status_fields = ["status", "tutor", "status_reason", "created_at", "updated_at"]

    def get_fields(self, request, obj=None):
        fields = ["enrollment", "deficit", "subject", "topic", "preferred_form", "comment"]
        return fields if obj is None else [*fields, *self.status_fields]

    def get_readonly_fields(self, request, obj=None):
        # Tutor and status change only through the actions, which check the season and the transitions.
        return [] if obj is None else ["enrollment", *self.status_fields]

    @admin.display(description=_("Педагог"), ordering="enrollment__person__last_name")
    def teacher(self, obj):
        return obj.enrollment.person.short_name

    @admin.display(description=_("Организация"), ordering="enrollment__person__organisation__short_name")
    def organisation(self, obj):
        return obj.enrollment.person.organisation

    @admin.display(description=_("Сезон"), ordering="enrollment__season")
    def season(self, obj):
        return obj.enrollment.season

    @admin.display(description=_("Тьютор"), ordering="tutor__person__last_name")
    def tutor_name(self, obj):
        return obj.tutor.person.short_name if obj.tutor_id else "—"

    def _report(self, request, changed: int, skipped, done_text: str):
        if changed:
            self.message_user(request, done_text, messages.SUCCESS)
        for item, why in skipped:
            self.message_user(request, f"«{item.topic}» ({item.enrollment.person.short_name}): {why}", messages.WARNING)

    def _page(self, request, queryset, template: str, title: str, form, **extra):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset.select_related("enrollment__person", "enrollment__season__program", "tutor__person"),
            "action": request.POST.get("action"),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **extra,
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=_("Назначить тьютора"))
    def assign_tutor(self, request, queryset):
        season_ids = set(queryset.values_list("enrollment__season_id", flat=True))
        tutors = season_tutors(season_ids)
        scope = self._scope(request)
        if scope is not None:
            tutors = tutors.filter(season__program__municipality_id=scope)
        form = TutorForm(request.POST if "apply" in request.POST else None, tutors=tutors)
        if "apply" in request.POST and form.is_valid():
            try:
                changed, skipped = individual_request_assign_tutor(requests=queryset, tutor=form.cleaned_data["tutor"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                text = ngettext("Тьютор назначен на %(n)d запрос.", "Тьютор назначен на запросы: %(n)d.", changed)
                self._report(request, changed, skipped, text % {"n": changed})
                return None
        return self._page(
            request,
            queryset,
            "admin/experts/individualrequest/assign_tutor.html",
            _("Назначить тьютора"),
            form,
            has_tutors=tutors.exists(),
        )

    def _set_status(self, request, queryset, to_status: str, title: str):
        form = RequestStatusForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                changed, skipped = individual_requests_set_status(
                    requests=queryset, to_status=to_status, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                label = IndividualRequest.Status(to_status).label
                text = ngettext(
                    "Статус «%(status)s» установлен у %(n)d запроса.",
                    "Статус «%(status)s» установлен у запросов: %(n)d.",
                    changed,
                )
                self._report(request, changed, skipped, text % {"status": label, "n": changed})
                return None
        return self._page(
            request, queryset, "admin/experts/individualrequest/status_reason.html", title, form, to_status=to_status
        )

    @admin.action(description=_("Маршрут выполняется (взять в работу)"))
    def mark_in_work(self, request, queryset):
        return self._set_status(request, queryset, IndividualRequest.Status.IN_WORK, _("Взять запросы в работу"))

    @admin.action(description=_("Отметить запросы выполненными"))
    def mark_done(self, request, queryset):
        return self._set_status(request, queryset, IndividualRequest.Status.DONE, _("Отметить запросы выполненными"))

    @admin.action(description=_("Отклонить запросы (с указанием причины)"))
    def decline(self, request, queryset):
        return self._set_status(request, queryset, IndividualRequest.Status.DECLINED, _("Отклонить запросы"))

    @admin.action(description=_("Вернуть отклонённые запросы в банк (с указанием причины)"))
    def return_to_bank(self, request, queryset):
        return self._set_status(request, queryset, IndividualRequest.Status.NEW, _("Вернуть запросы в банк"))

    @admin.action(description=_("Возобновить выполненные запросы (с указанием причины)"))
    def reopen(self, request, queryset):
        return self._set_status(request, queryset, IndividualRequest.Status.IN_WORK, _("Возобновить запросы"))
