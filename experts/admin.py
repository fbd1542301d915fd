from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _

from core import admin_grammar
from core.admin_grammar import FEMININE, MASCULINE, MASCULINE_ANIMATE, NEUTER, Forms
from participants.admin import OrganisationScopedFilter, SubscriptionEnrollmentAdminMixin, SubscriptionSeasonFilter
from participants.models import Enrollment
from programs.admin import SeasonAdmin
from programs.admin_mixins import MunicipalityScopedAdmin, SeasonFilter, action_form_response
from programs.models import Season

from .forms import GroupMoveForm, GroupsSplitForm
from .models import (
    CompetenceTest,
    Consultation,
    EntryInterview,
    ExpertAssignment,
    ExpertGroup,
    ExpertRole,
    GroupMember,
    IndividualRequest,
    MentoringMeeting,
    MentoringPair,
    SeasonExpertRole,
)
from .rules import can_read_consultation_content, can_read_interview_notes, is_season_coordinator, user_is_coordinator
from .selectors import current_quarter, season_tutors, visit_coverage
from .selectors_obligations import season_obligations
from .selectors_tutor_mentor import QUIET_DAYS, pair_running_q, season_mentor_map
from .services import (
    expert_assignments_set_active,
    group_members_move,
    groups_split,
    individual_request_assign_tutor,
    individual_request_check_enrollment,
    individual_requests_set_status,
    mentoring_meeting_check,
    mentoring_meeting_log,
    mentoring_pair_check,
    mentoring_pair_create,
    mentoring_pair_end,
)

admin_grammar.register(
    SeasonExpertRole,
    Forms(
        FEMININE,
        "роль в экспертной команде",
        accusative="роль в экспертной команде",
        accusative_plural="роли в экспертной команде",
        few="роли в экспертной команде",
        many="ролей в экспертной команде",
    ),
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


admin_grammar.register(
    ExpertAssignment,
    Forms(
        NEUTER,
        "назначение эксперта",
        accusative="назначение эксперта",
        accusative_plural="назначения экспертов",
        few="назначения эксперта",
        many="назначений экспертов",
    ),
)


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    list_display = ["person", "role", "subject", "season", "is_active"]
    list_filter = ["role", "is_active", "season__program", ("season", SeasonFilter), "subject"]
    search_fields = ["person__last_name", "person__first_name", "person__email"]
    list_select_related = ["person", "subject", "season__program"]
    autocomplete_fields = ["person"]
    actions = ["deactivate", "activate"]

    @admin.action(description=_("Вывести из команды сезона"))
    def deactivate(self, request, queryset):
        n = expert_assignments_set_active(assignments=queryset, is_active=False)
        self.message_user(request, _("Выведено из команды сезона экспертов: %(n)d.") % {"n": n})

    @admin.action(description=_("Вернуть в команду сезона"))
    def activate(self, request, queryset):
        n = expert_assignments_set_active(assignments=queryset, is_active=True)
        self.message_user(request, _("Возвращено в команду сезона экспертов: %(n)d.") % {"n": n})


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


admin_grammar.register(
    IndividualRequest,
    Forms(
        MASCULINE,
        "индивидуальный запрос",
        accusative="индивидуальный запрос",
        accusative_plural="индивидуальные запросы",
        few="индивидуальных запроса",
        many="индивидуальных запросов",
    ),
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

    @admin.display(description=_("Организация"), ordering="enrollment__person__organisation__sort_key")
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
        return action_form_response(
            self,
            request,
            template=template,
            title=title,
            form=form,
            queryset=queryset.select_related("enrollment__person", "enrollment__season__program", "tutor__person"),
            **extra,
        )

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


# === Groups, entry results, consultations (приказ 643-од, положение, п. 2.2) ===============================


class SeasonEnrollmentAutocompleteView(AutocompleteJsonView):
    """Enrollment autocomplete of a group's member inline: the group's season's active participants only
    (and the coordinator's municipality, through the enrollment admin's own queryset)."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(season_id=self.kwargs["season_id"], status=Enrollment.Status.ACTIVE)
            .select_related("person")
        )


class SeasonEnrollmentSelect(AutocompleteSelect):
    def __init__(self, field, admin_site, season_id: int, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.season_id = season_id

    def get_url(self):
        return reverse(f"{self.admin_site.name}:experts_group_enrollments", args=[self.season_id])


class GroupMemberInlineForm(forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["enrollment"]

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group

    def clean_enrollment(self):
        enrollment = self.cleaned_data["enrollment"]
        if self.group is not None and enrollment.season_id != self.group.season_id:
            raise ValidationError(_("Участник из другого сезона: в группу входят только участники её сезона."))
        if enrollment.status != Enrollment.Status.ACTIVE and enrollment.pk != self.initial.get("enrollment"):
            raise ValidationError(_("В группу добавляются только действующие участники."))
        other = GroupMember.objects.filter(enrollment=enrollment).exclude(pk=self.instance.pk).select_related("group")
        other = other.first()
        if other is not None:
            raise ValidationError(
                _(
                    "%(name)s уже в группе «%(group)s»: переведите участника действием «Перевести в группу» в составе групп."
                )
                % {"name": enrollment.person.full_name, "group": other.group.name}
            )
        return enrollment

    def validate_unique(self):
        # clean_enrollment has already said, in words, which group the participant is in.
        pass


class GroupMemberFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "group": self.instance}


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    form = GroupMemberInlineForm
    formset = GroupMemberFormSet
    fields = ["enrollment", "added_at"]
    readonly_fields = ["added_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__person", "enrollment__season__program")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        season_id = getattr(request, "_experts_group_season_id", None)
        if db_field.name == "enrollment" and season_id is not None:
            kwargs["widget"] = SeasonEnrollmentSelect(db_field, self.admin_site, season_id=season_id)
            kwargs["queryset"] = Enrollment.objects.filter(season_id=season_id).select_related(
                "person", "season__program"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExpertGroupForm(forms.ModelForm):
    class Meta:
        model = ExpertGroup
        fields = ["season", "name", "learning_format", "curator"]

    def clean(self):
        cleaned = super().clean()
        season, curator = cleaned.get("season"), cleaned.get("curator")
        if season and curator and (curator.season_id != season.pk or curator.role != ExpertRole.CURATOR):
            self.add_error("curator", _("Куратором группы назначается куратор из экспертной команды её сезона."))
        return cleaned


admin_grammar.register(
    ExpertGroup, Forms(FEMININE, "группа", accusative="группу", accusative_plural="группы", few="группы", many="групп")
)


@admin.register(ExpertGroup)
class ExpertGroupAdmin(MunicipalityScopedAdmin):
    municipality_path = "season__program__municipality"
    form = ExpertGroupForm
    list_display = ["name", "season", "curator_name", "learning_format", "members_count", "links"]
    list_filter = [("season", SeasonFilter)]
    search_fields = ["name", "learning_format", "curator__person__last_name"]
    list_select_related = ["season__program", "curator__person"]
    change_list_template = "admin/experts/expertgroup/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_members=Count("members"))

    def get_inlines(self, request, obj):
        # The members' autocomplete needs the season: the inline appears once the group is saved.
        if obj is None:
            return []
        request._experts_group_season_id = obj.season_id
        return [GroupMemberInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "curator" in form.base_fields:
            curators = ExpertAssignment.objects.filter(role=ExpertRole.CURATOR, is_active=True).select_related(
                "person", "season__program"
            )
            if obj is not None:
                curators = curators.filter(season_id=obj.season_id)
            scope = self._scope(request)
            if scope is not None:
                curators = curators.filter(season__program__municipality_id=scope)
            form.base_fields["curator"].queryset = curators.order_by("person__last_name", "person__first_name")
            form.base_fields["curator"].help_text = _("Только действующие кураторы экспертной команды сезона группы.")
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "season":
            kwargs["queryset"] = kwargs.get("queryset", Season.objects.all()).select_related("program")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Куратор"), ordering="curator__person__last_name")
    def curator_name(self, obj):
        return obj.curator.person.short_name if obj.curator_id else "—"

    @admin.display(description=_("Участников"), ordering="n_members")
    def members_count(self, obj):
        return obj.n_members

    @admin.display(description=_("Страницы"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("expert_group", args=[obj.pk]),
            _("страница группы"),
            reverse("admin:experts_visit_coverage", args=[obj.season_id]),
            _("посещения по кварталам"),
            reverse("admin:experts_season_obligations", args=[obj.season_id]),
            _("просроченные посещения и обратная связь"),
        )

    def get_urls(self):
        autocomplete = SeasonEnrollmentAutocompleteView.as_view(admin_site=self.admin_site)
        return [
            path("split/", self.admin_site.admin_view(self.split_view), name="experts_groups_split"),
            path(
                "coverage/<int:season_id>/",
                self.admin_site.admin_view(self.coverage_view),
                name="experts_visit_coverage",
            ),
            path(
                "obligations/",
                self.admin_site.admin_view(self.obligations_index_view),
                name="experts_obligations",
            ),
            path(
                "obligations/<int:season_id>/",
                self.admin_site.admin_view(self.obligations_view),
                name="experts_season_obligations",
            ),
            path(
                "season-enrollments/<int:season_id>/",
                self.admin_site.admin_view(autocomplete),
                name="experts_group_enrollments",
            ),
        ] + super().get_urls()

    def _seasons(self, request):
        seasons = Season.objects.select_related("program").order_by("program__title", "-starts_on")
        scope = self._scope(request)
        return seasons if scope is None else seasons.filter(program__municipality_id=scope)

    def split_view(self, request):
        """«Распределить по группам»: the season's ungrouped active participants by format and entry results."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = GroupsSplitForm(request.POST or None, seasons=self._seasons(request))
        if request.method == "POST" and form.is_valid():
            number = form.cleaned_data["number"]
            size_or_count = {"size": number} if form.cleaned_data["by"] == "size" else {"count": number}
            try:
                result = groups_split(season=form.cleaned_data["season"], by=request.user, **size_or_count)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                text = _("Распределено участников: %(n)d; создано групп: %(g)d.") % {
                    "n": result.members_added,
                    "g": len(result.created),
                }
                self.message_user(request, text, messages.SUCCESS if result.members_added else messages.INFO)
                if result.without_curator:
                    self.message_user(
                        request,
                        _("В команде сезона нет действующих кураторов: новые группы остались без куратора."),
                        messages.WARNING,
                    )
                changelist = reverse("admin:experts_expertgroup_changelist")
                return redirect(f"{changelist}?season__id__exact={form.cleaned_data['season'].pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Распределить по группам"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/experts/expertgroup/split.html", context)

    def coverage_view(self, request, season_id: int):
        """Lesson visits per quarter: every active participant visited at least once a quarter (seed 000 §2.2)."""
        season = get_object_or_404(self._seasons(request), pk=season_id)
        if not (request.user.is_superuser or is_season_coordinator(request.user, season)):
            raise Http404
        current = current_quarter(season)
        try:
            year = int(request.GET.get("year", current.year))
            number = int(request.GET.get("quarter", current.number))
            coverage = visit_coverage(season=season, year=year, quarter=number)
        except (ValueError, OverflowError):  # ?year=10**40 overflows date()
            coverage = visit_coverage(season=season, year=current.year, quarter=current.number)
        years = list(range(season.starts_on.year, season.ends_on.year + 1))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Посещения уроков по кварталам: %(season)s") % {"season": season},
            "season": season,
            "coverage": coverage,
            "years": years,
            "quarters": [1, 2, 3, 4],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/experts/expertgroup/coverage.html", context)

    def obligations_index_view(self, request):
        """The coordinator's seasons that ask for visits or feedback, each linking to its page below. One query."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Посещения уроков и обратная связь: сроки"),
            "seasons": list(self._seasons(request)),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/experts/expertgroup/obligations_index.html", context)

    def obligations_view(self, request, season_id: int):
        """Overdue lesson visits by curator and participant (seed 000 §1.4, §2.2) and, per quarter, the participants
        and experts who have not given feedback (§2.2). A constant number of queries whatever the season's size."""
        season = get_object_or_404(self._seasons(request), pk=season_id)
        if not (request.user.is_superuser or is_season_coordinator(request.user, season)):
            raise Http404
        report = season_obligations(season, timezone.now())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Посещения уроков и обратная связь: %(season)s") % {"season": season},
            "season": season,
            "report": report,
            "by_curator": report.by_curator(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/experts/expertgroup/obligations.html", context)


admin_grammar.register(
    GroupMember,
    Forms(
        MASCULINE_ANIMATE,
        "участник группы",
        accusative="участника группы",
        accusative_plural="участников группы",
        few="участника группы",
        many="участников группы",
    ),
)


@admin.register(GroupMember)
class GroupMemberAdmin(MunicipalityScopedAdmin):
    """The groups' members across the season; moving between groups goes through group_members_move."""

    municipality_path = "group__season__program__municipality"
    list_display = ["participant", "group", "season", "added_at"]
    list_filter = [("group__season", SeasonFilter)]
    search_fields = ["enrollment__person__last_name", "enrollment__person__first_name", "group__name"]
    list_select_related = ["enrollment__person", "group__season__program"]
    actions = ["move_to_group"]

    def has_add_permission(self, request):
        return False  # members are added on the group's page, where the season is known

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Участник"), ordering="enrollment__person__last_name")
    def participant(self, obj):
        return obj.enrollment.person.full_name

    @admin.display(description=_("Сезон"), ordering="group__season")
    def season(self, obj):
        return obj.group.season

    @admin.action(description=_("Перевести в группу"), permissions=["view"])
    def move_to_group(self, request, queryset):
        if not request.user.has_perm("experts.change_groupmember"):
            raise PermissionDenied
        season_ids = set(queryset.values_list("group__season_id", flat=True))
        groups = ExpertGroup.objects.filter(season_id__in=season_ids).select_related("season__program")
        scope = self._scope(request)
        if scope is not None:
            groups = groups.filter(season__program__municipality_id=scope)
        form = GroupMoveForm(request.POST if "apply" in request.POST else None, groups=groups.order_by("name"))
        if "apply" in request.POST and form.is_valid():
            enrollments = [m.enrollment for m in queryset.select_related("enrollment")]
            try:
                moved = group_members_move(enrollments=enrollments, group=form.cleaned_data["group"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Переведено участников: %(n)d.") % {"n": moved}, messages.SUCCESS)
                return None
        return action_form_response(
            self,
            request,
            template="admin/experts/groupmember/move.html",
            title=_("Перевести в группу"),
            form=form,
            queryset=queryset.select_related("enrollment__person", "group"),
        )


class EntryResultAdminMixin:
    municipality_path = "enrollment__season__program__municipality"
    list_filter = [("enrollment__season", SeasonFilter)]
    search_fields = ["enrollment__person__last_name", "enrollment__person__first_name", "enrollment__person__email"]
    autocomplete_fields = ["enrollment"]

    @admin.display(description=_("Участник"), ordering="enrollment__person__last_name")
    def participant(self, obj):
        return obj.enrollment.person.full_name

    @admin.display(description=_("Сезон"), ordering="enrollment__season")
    def season(self, obj):
        return obj.enrollment.season


admin_grammar.register(
    CompetenceTest,
    Forms(
        MASCULINE,
        "тест цифрового профиля компетенций",
        accusative="тест цифрового профиля компетенций",
        accusative_plural="тесты цифрового профиля компетенций",
        few="теста цифрового профиля компетенций",
        many="тестов цифрового профиля компетенций",
    ),
)


@admin.register(CompetenceTest)
class CompetenceTestAdmin(EntryResultAdminMixin, MunicipalityScopedAdmin):
    list_display = ["participant", "season", "platform", "taken_on", "level", "score", "result_link"]
    list_select_related = ["enrollment__person", "enrollment__season__program"]
    fields = ["enrollment", "platform", "taken_on", "level", "score", "link"]
    date_hierarchy = "taken_on"

    @admin.display(description=_("Результат"))
    def result_link(self, obj):
        if not obj.link:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', obj.link, _("ссылка"))


HIDDEN_NOTES = gettext_lazy("Скрыто: заметки собеседования читают только куратор участника и координатор.")


admin_grammar.register(
    EntryInterview,
    Forms(
        NEUTER,
        "входное собеседование",
        accusative="входное собеседование",
        accusative_plural="входные собеседования",
        few="входных собеседования",
        many="входных собеседований",
    ),
)


@admin.register(EntryInterview)
class EntryInterviewAdmin(EntryResultAdminMixin, MunicipalityScopedAdmin):
    """The notes are read and written only by the participant's curator and the season's coordinators:
    for anyone else — superusers included — the field is left out of the form and shown as hidden."""

    list_display = ["participant", "season", "held_on", "interviewer_name"]
    list_select_related = ["enrollment__person", "enrollment__season__program", "interviewer__person"]

    def _reads_notes(self, request, obj) -> bool:
        if obj is None:
            return user_is_coordinator(request.user)
        return can_read_interview_notes(request.user, obj)

    def get_fields(self, request, obj=None):
        notes = "notes" if self._reads_notes(request, obj) else "notes_hidden"
        return ["enrollment", "interviewer", "held_on", notes]

    def get_readonly_fields(self, request, obj=None):
        return [] if self._reads_notes(request, obj) else ["notes_hidden"]

    @admin.display(description=_("заметки"))
    def notes_hidden(self, obj):
        return HIDDEN_NOTES

    @admin.display(description=_("Кто проводил"), ordering="interviewer__person__last_name")
    def interviewer_name(self, obj):
        return obj.interviewer.person.short_name if obj.interviewer_id else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "interviewer":
            kwargs["queryset"] = kwargs.get("queryset", ExpertAssignment.objects.all()).select_related(
                "person", "season__program"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


CONFIDENTIAL = gettext_lazy("Конфиденциально")


admin_grammar.register(
    Consultation,
    Forms(
        FEMININE,
        "консультация",
        accusative="консультацию",
        accusative_plural="консультации",
        few="консультации",
        many="консультаций",
    ),
)


@admin.register(Consultation)
class ConsultationAdmin(MunicipalityScopedAdmin):
    """Consultations are recorded by the experts on their pages; here they are only looked at.

    The content (and, for a confidential one, the topic and the participants' names) is shown only to whom
    experts.rules.can_read_consultation_content allows: a psychologist's consultation to its author alone —
    not to coordinators, not to superusers. The list shows only that a consultation took place.
    """

    municipality_path = "season__program__municipality"
    list_display = ["held_at", "kind", "expert_role", "participants_count", "season"]
    list_filter = ["kind", "expert__role", ("season", SeasonFilter)]
    list_select_related = ["season__program", "expert"]
    change_form_template = "admin/experts/consultation/change_form.html"
    date_hierarchy = "held_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # The changelist skips list_select_related once the queryset has its own select_related.
            .select_related("expert__person", "season__program")
            .annotate(n_participants=Count("participants"))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a record of work done; the confirmation page would also print the topic

    def _reads(self, request, obj) -> bool:
        return obj is not None and can_read_consultation_content(request.user, obj)

    def _shows_who(self, request, obj) -> bool:
        """The topic and the participants' names: hidden from others only for a confidential consultation."""
        return obj is not None and (not obj.is_confidential or self._reads(request, obj))

    def get_fields(self, request, obj=None):
        shows_who = self._shows_who(request, obj)
        return [
            "season",
            "expert_role",
            "kind",
            "held_at",
            "topic" if shows_who else "topic_hidden",
            "participants_list" if shows_who else "participants_hidden",
            "content" if self._reads(request, obj) else "content_hidden",
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page's subtitle and breadcrumb would print str(obj), which is the topic.
        obj = self.get_object(request, object_id)
        title = obj.topic if self._shows_who(request, obj) else CONFIDENTIAL
        extra = {"subtitle": title, "shown_title": title}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and not self._shows_who(request, obj):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("Роль специалиста"), ordering="expert__role")
    def expert_role(self, obj):
        return obj.expert.get_role_display()

    @admin.display(description=_("Участников"), ordering="n_participants")
    def participants_count(self, obj):
        return obj.n_participants

    @admin.display(description=_("тема"))
    def topic_hidden(self, obj):
        return CONFIDENTIAL

    @admin.display(description=_("участники"))
    def participants_list(self, obj):
        return ", ".join(
            e.person.full_name for e in obj.participants.select_related("person").order_by("person__last_name")
        )

    @admin.display(description=_("участники"))
    def participants_hidden(self, obj):
        return _("%(n)d (конфиденциально)") % {"n": obj.n_participants}

    @admin.display(description=_("содержание"))
    def content_hidden(self, obj):
        return CONFIDENTIAL


# --- Mentoring pairs and the mentor map (Pedkluster 27; seed 001) -------------------------------------------


def mentee_label(enrollment: Enrollment) -> str:
    """How the mentee picker names a participant: the name, the season and the status."""
    return _("%(name)s — %(season)s (%(status)s)") % {
        "name": enrollment.person.full_name,
        "season": enrollment.season,
        "status": enrollment.get_status_display(),
    }


class MenteeAutocompleteView(AutocompleteJsonView):
    """The mentee picker: the active participants only — of the chosen season when the add page was opened with
    `?season=`, else of every season the coordinator sees (the enrollment admin's queryset is municipality-scoped);
    each labelled with its season and status."""

    def get_queryset(self):
        qs = super().get_queryset().filter(status=Enrollment.Status.ACTIVE).select_related("person", "season__program")
        season_id = self.kwargs.get("season_id")
        return qs if season_id is None else qs.filter(season_id=season_id)

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": mentee_label(obj)}


class MenteeSelect(AutocompleteSelect):
    def __init__(self, field, admin_site, season_id: int | None = None, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.season_id = season_id

    def get_url(self):
        if self.season_id is None:
            return reverse(f"{self.admin_site.name}:experts_mentoringpair_mentees")
        return reverse(f"{self.admin_site.name}:experts_mentoringpair_season_mentees", args=[self.season_id])


class MentoringPairAdminForm(forms.ModelForm):
    """A new pair is checked by the service's rules, so a bad choice is reported at its field: a withdrawn,
    excluded or not yet approved participant posted as the mentee is refused with their status."""

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
        # Each pair is judged on its season's own date: the list mixes seasons of different time zones.
        zones = set(queryset.order_by().values_list("season__time_zone", flat=True).distinct())
        on_its_day = Q(pk__in=[])
        for zone in zones:
            on_its_day |= Q(season__time_zone=zone) & pair_running_q(timezone.localdate(timezone=ZoneInfo(zone)))
        running = on_its_day & Q(mentee__status=Enrollment.Status.ACTIVE)
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return queryset


admin_grammar.register(
    MentoringPair,
    Forms(
        FEMININE,
        "наставническая пара",
        accusative="наставническую пару",
        accusative_plural="наставнические пары",
        few="наставнические пары",
        many="наставнических пар",
    ),
)


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

    def _picker_season_id(self, request) -> int | None:
        """The season the mentee picker lists: the posted one, else `?season=` of the add page, if it is a number."""
        raw = request.POST.get("season") or request.GET.get("season") or ""
        return int(raw) if raw.isdecimal() and len(raw) <= 18 else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mentee":
            kwargs["widget"] = MenteeSelect(db_field, self.admin_site, season_id=self._picker_season_id(request))
            kwargs["queryset"] = Enrollment.objects.select_related("person", "season__program")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "mentee" and field is not None:
            field.label_from_instance = mentee_label
        return field

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
        ended = 0
        for pair in queryset.select_related("mentor__person", "mentee__person", "season"):
            try:
                # «Today» in the pair's own season: a Чегдомын pair ended after its midnight carries its date.
                today = timezone.localdate(timezone=pair.season.tz)
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
        mentees = self.admin_site.admin_view(MenteeAutocompleteView.as_view(admin_site=self.admin_site))
        return [
            path("map/", view, name="experts_mentoringpair_map"),
            path("mentees/", mentees, name="experts_mentoringpair_mentees"),
            path("mentees/<int:season_id>/", mentees, name="experts_mentoringpair_season_mentees"),
            *super().get_urls(),
        ]

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
        if raw.isdecimal():  # isdigit() passes «²», which int() refuses
            chosen = next((s for s in seasons if s.pk == int(raw)), None)
        if chosen is None and seasons:
            chosen = seasons[0]
        mentors, unpaired = [], []
        if chosen is not None:
            # Counted: running pairs (no end date, or one still ahead) of mentees still taking part.
            mentors = season_mentor_map([chosen.pk])
            today = timezone.localdate(timezone=chosen.tz)
            running = MentoringPair.objects.filter(pair_running_q(today), season=chosen)
            unpaired = list(
                Enrollment.objects.filter(season=chosen, status=Enrollment.Status.ACTIVE)
                .exclude(pk__in=running.values("mentee_id"))
                .select_related("person__organisation")
                .order_by("person__last_name", "person__first_name")
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Карта наставников"),
            "opts": self.model._meta,
            "seasons": seasons,
            "chosen": chosen,
            "mentors": mentors,
            "unpaired": unpaired,
            "paired_count": sum(len(m.active_pairs) for m in mentors),
            "quiet_count": sum(len(m.quiet_pairs) for m in mentors),
            "quiet_days": QUIET_DAYS,
        }
        return TemplateResponse(request, "admin/experts/mentoring_map.html", context)


class MentoringMeetingAdminForm(forms.ModelForm):
    """A meeting is checked by the service's rules (dates within the pair's period, not in the future)."""

    class Meta:
        model = MentoringMeeting
        fields = ["pair", "held_on", "form", "topic", "notes"]

    def clean(self):
        cleaned = super().clean()
        pair = cleaned.get("pair") or (self.instance.pair if self.instance.pair_id else None)
        if pair is None or "held_on" in self.errors:
            return cleaned
        try:
            mentoring_meeting_check(
                pair=pair,
                held_on=cleaned.get("held_on"),
                form=cleaned.get("form", ""),
                topic=cleaned.get("topic", ""),
                today=timezone.localdate(timezone=pair.season.tz),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        return cleaned


admin_grammar.register(
    MentoringMeeting,
    Forms(
        FEMININE,
        "встреча наставника с наставляемым",
        accusative="встречу наставника с наставляемым",
        accusative_plural="встречи наставников с наставляемыми",
        few="встречи наставника с наставляемым",
        many="встреч наставников с наставляемыми",
    ),
)


@admin.register(MentoringMeeting)
class MentoringMeetingAdmin(MunicipalityScopedAdmin):
    """The mentors' meetings for the coordinator of the season's municipality (Pedkluster 27)."""

    municipality_path = "pair__season__program__municipality"
    form = MentoringMeetingAdminForm
    list_display = ["held_on", "mentee_name", "mentor_name", "form", "topic", "created_by"]
    list_display_links = ["held_on"]
    list_filter = ["form", ("pair__season", SeasonFilter)]
    search_fields = [
        "topic",
        "pair__mentor__person__last_name",
        "pair__mentee__person__last_name",
    ]
    list_select_related = ["pair__mentor__person", "pair__mentee__person", "created_by"]
    autocomplete_fields = ["pair"]
    date_hierarchy = "held_on"

    @admin.display(description=_("Наставляемый"), ordering="pair__mentee__person__last_name")
    def mentee_name(self, obj):
        return obj.pair.mentee.person.full_name

    @admin.display(description=_("Наставник"), ordering="pair__mentor__person__last_name")
    def mentor_name(self, obj):
        return obj.pair.mentor.person.full_name

    def get_fields(self, request, obj=None):
        fields = ["pair", "held_on", "form", "topic", "notes"]
        return fields if obj is None else [*fields, "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A meeting belongs to its pair for good: one logged against the wrong pair is deleted and logged anew.
        return [] if obj is None else ["pair", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["held_on", "form", "topic", "notes"])
            return
        data = form.cleaned_data
        created = mentoring_meeting_log(
            pair=data["pair"],
            held_on=data["held_on"],
            form=data["form"],
            topic=data["topic"],
            notes=data.get("notes", ""),
            by=request.user,
        )
        obj.pk, obj.created_at, obj.created_by = created.pk, created.created_at, created.created_by
