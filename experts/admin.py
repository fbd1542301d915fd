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


# --- Mentoring pairs and the mentor map (Pedkluster 27; seed 001) -------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402

from participants.models import Enrollment  # noqa: E402

from .models import ExpertRole, MentoringPair  # noqa: E402
from .selectors_tutor_mentor import season_mentor_map  # noqa: E402
from .services import mentoring_pair_check, mentoring_pair_create, mentoring_pair_end  # noqa: E402


class MentoringPairAdminForm(forms.ModelForm):
    """A new pair is checked by the service's rules, so a bad choice is reported at its field."""

    class Meta:
        model = MentoringPair
        fields = ["season", "mentor", "mentee", "goals", "started_on"]

    def clean(self):
        cleaned = super().clean()
        season = cleaned.get("season")
        if self.instance.pk or season is None:
            return cleaned
        try:
            mentoring_pair_check(season=season, mentor=cleaned.get("mentor"), mentee=cleaned.get("mentee"))
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


class ActivePairFilter(admin.SimpleListFilter):
    title = _("действует")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Действующие")), ("no", _("Завершённые"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


@admin.register(MentoringPair)
class MentoringPairAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    form = MentoringPairAdminForm
    change_list_template = "admin/experts/mentoring_changelist.html"
    list_display = ["mentee_name", "mentor_name", "season", "started_on", "ended_on"]
    list_display_links = ["mentee_name"]
    list_filter = [ActivePairFilter, ("season", SeasonFilter), "season__program"]
    search_fields = [
        "mentor__person__last_name",
        "mentor__person__first_name",
        "mentee__person__last_name",
        "mentee__person__first_name",
        "goals",
    ]
    list_select_related = ["mentor__person", "mentee__person", "season__program"]
    autocomplete_fields = ["mentor", "mentee"]
    actions = ["end_today"]
    date_hierarchy = "started_on"

    @admin.display(description=_("Наставляемый"), ordering="mentee__person__last_name")
    def mentee_name(self, obj):
        return obj.mentee.person.full_name

    @admin.display(description=_("Наставник"), ordering="mentor__person__last_name")
    def mentor_name(self, obj):
        return obj.mentor.person.full_name

    def get_fields(self, request, obj=None):
        fields = ["season", "mentor", "mentee", "goals", "started_on"]
        return fields if obj is None else [*fields, "ended_on", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # Who is paired with whom is fixed once the pair exists: end it and make a new one instead.
        return [] if obj is None else ["season", "mentor", "mentee", "started_on", "ended_on", "created_at"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("started_on", timezone.localdate())
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = scoped_formfield(self, db_field, request, kwargs, {"season": "program__municipality"})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["goals"])
            return
        data = form.cleaned_data
        created = mentoring_pair_create(
            season=data["season"],
            mentor=data["mentor"],
            mentee=data["mentee"],
            goals=data.get("goals", ""),
            started_on=data["started_on"],
            by=request.user,
        )
        obj.pk, obj.created_at = created.pk, created.created_at

    @admin.action(description=_("Завершить пары сегодняшней датой"))
    def end_today(self, request, queryset):
        today = timezone.localdate()
        ended = 0
        for pair in queryset.select_related("mentor__person", "mentee__person"):
            try:
                mentoring_pair_end(pair=pair, ended_on=today, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{pair}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                ended += 1
        if ended:
            text = ngettext("Завершена %(n)d пара.", "Завершено пар: %(n)d.", ended)
            self.message_user(request, text % {"n": ended}, messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view(self.mentor_map_view)
        return [path("map/", view, name="experts_mentoringpair_map"), *super().get_urls()]

    def mentor_map_view(self, request):
        """The mentor map of a season: each mentor with their mentees, and the participants still unpaired."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        seasons = Season.objects.filter(experts__role=ExpertRole.MENTOR, experts__is_active=True).distinct()
        scope = self._scope(request)
        if scope is not None:
            seasons = seasons.filter(program__municipality_id=scope)
        seasons = list(seasons.select_related("program").order_by("program__title", "-starts_on"))
        chosen = None
        raw = request.GET.get("season", "")
        if raw.isdigit():
            chosen = next((s for s in seasons if s.pk == int(raw)), None)
        if chosen is None and seasons:
            chosen = seasons[0]
        mentors, unpaired = [], []
        if chosen is not None:
            mentors = season_mentor_map([chosen.pk])
            unpaired = list(
                Enrollment.objects.filter(season=chosen, status=Enrollment.Status.ACTIVE)
                .exclude(pk__in=MentoringPair.objects.filter(season=chosen, ended_on__isnull=True).values("mentee_id"))
                .select_related("person__organisation")
                .order_by("person__last_name", "person__first_name")
            )
        for mentor in mentors:
            mentor.active_pairs = [p for p in mentor.pairs if p.ended_on is None]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Карта наставников"),
            "opts": self.model._meta,
            "seasons": seasons,
            "chosen": chosen,
            "mentors": mentors,
            "unpaired": unpaired,
            "paired_count": sum(len(m.active_pairs) for m in mentors),
        }
        return TemplateResponse(request, "admin/experts/mentoring_map.html", context)
